import { Anchor, Badge, Group, Stack, Table, Text, Title } from "@mantine/core";
import { DateTime, QueryState, useDocumentTitle } from "@oms/shared";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type EmailTemplate, useEmailTemplates } from "../api";

export function TemplateBadges({ template }: { template: EmailTemplate }) {
  const { t } = useTranslation();
  return (
    <Group gap={4}>
      {template.edited ? (
        <Badge variant="light" color="orange">
          {t("emailTemplates.edited")}
        </Badge>
      ) : (
        <Badge variant="light" color="gray">
          {t("emailTemplates.asShipped")}
        </Badge>
      )}
      {!template.shipped && (
        <Badge variant="light" color="blue">
          {t("emailTemplates.ownKey")}
        </Badge>
      )}
    </Group>
  );
}

export function EmailTemplatesPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("nav.emailTemplates"));
  const templates = useEmailTemplates();
  return (
    <Stack>
      <Title order={2}>{t("nav.emailTemplates")}</Title>
      <Text c="dimmed">{t("emailTemplates.intro")}</Text>
      <QueryState query={templates} isEmpty={(data) => data.length === 0}>
        {(data) => (
          <Table.ScrollContainer minWidth={640}>
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("emailTemplates.key")}</Table.Th>
                  <Table.Th>{t("emailTemplates.subject")}</Table.Th>
                  <Table.Th>{t("emailTemplates.state")}</Table.Th>
                  <Table.Th>{t("emailTemplates.updated")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.map((template) => (
                  <Table.Tr key={template.key}>
                    <Table.Td>
                      <Anchor component={Link} to={`/email-templates/${template.key}`} ff="monospace">
                        {template.key}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace" lineClamp={1}>
                        {template.subject}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <TemplateBadges template={template} />
                    </Table.Td>
                    <Table.Td>{template.updated_at ? <DateTime value={template.updated_at} /> : "–"}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </Stack>
  );
}
