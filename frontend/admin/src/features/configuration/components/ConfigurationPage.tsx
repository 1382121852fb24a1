import { Alert, Badge, Button, Card, Code, FileInput, Group, List, Modal, Stack, Table, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { ProblemAlert, isProblem, useDocumentTitle } from "@oms/shared";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useExportConfiguration, useImportConfiguration } from "../api";
import { type Change, type DocumentType, type ImportResult, documentProblems, documentTypeOf, groupChanges } from "../document";

const OP_COLOURS = { add: "green", change: "orange", remove: "red" } as const;

function shown(value: unknown): string {
  if (value === null || value === undefined) return "–";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

function ChangesTable({ changes }: { changes: Change[] }) {
  const { t } = useTranslation();
  const groups = groupChanges(changes);
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Badge color="green" variant="light">
          {t("configuration.added", { count: groups.add.length })}
        </Badge>
        <Badge color="orange" variant="light">
          {t("configuration.changed", { count: groups.change.length })}
        </Badge>
        <Badge color="red" variant="light">
          {t("configuration.removed", { count: groups.remove.length })}
        </Badge>
      </Group>
      <Table.ScrollContainer minWidth={720}>
        <Table striped aria-label={t("configuration.changesLabel")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("configuration.op")}</Table.Th>
              <Table.Th>{t("configuration.path")}</Table.Th>
              <Table.Th>{t("configuration.before")}</Table.Th>
              <Table.Th>{t("configuration.after")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {changes.map((change, index) => (
              <Table.Tr key={`${change.path}-${index}`} data-testid="config-change">
                <Table.Td>
                  <Badge color={OP_COLOURS[change.op]} variant="light">
                    {t(`configuration.ops.${change.op}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Code>{change.path}</Code>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c="red" style={{ wordBreak: "break-word" }}>
                    {shown(change.before)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c="green" style={{ wordBreak: "break-word" }}>
                    {shown(change.after)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

function Problems({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!isProblem(error)) return <ProblemAlert error={error} />;
  const problems = documentProblems(error.problem.errors);
  if (problems.length === 0) return <ProblemAlert error={error} />;
  return (
    <Alert color="red" role="alert" title={t("configuration.refused", { count: problems.length })}>
      <Stack gap="xs">
        <Text size="sm">{t("configuration.refusedText")}</Text>
        <List size="sm" spacing={4} data-testid="config-problems">
          {problems.map((problem, index) => (
            <List.Item key={index}>
              <Code>{problem.path || t("configuration.wholeDocument")}</Code> {problem.message}
            </List.Item>
          ))}
        </List>
      </Stack>
    </Alert>
  );
}

interface Loaded {
  name: string;
  text: string;
  type: DocumentType;
}

function Importer() {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [plan, setPlan] = useState<ImportResult | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [confirming, confirm] = useDisclosure(false);
  const dryRun = useImportConfiguration();
  const apply = useImportConfiguration();

  const choose = async (chosen: File | null) => {
    setFile(chosen);
    setPlan(null);
    setResult(null);
    dryRun.reset();
    apply.reset();
    if (!chosen) {
      setLoaded(null);
      return;
    }
    const document = { name: chosen.name, text: await chosen.text(), type: documentTypeOf(chosen) };
    setLoaded(document);
    dryRun.mutate({ text: document.text, type: document.type, dryRun: true }, { onSuccess: setPlan });
  };
  const doApply = () => {
    if (!loaded) return;
    apply.mutate(
      { text: loaded.text, type: loaded.type, dryRun: false },
      {
        onSuccess: (applied) => {
          confirm.close();
          setResult(applied);
          setPlan(null);
        },
        onError: () => confirm.close(),
      },
    );
  };

  return (
    <Card withBorder component="section" aria-labelledby="import-title">
      <Stack>
        <Title order={3} size="h4" id="import-title">
          {t("configuration.importTitle")}
        </Title>
        <Text size="sm">{t("configuration.importText")}</Text>
        <FileInput
          label={t("configuration.file")}
          placeholder={t("configuration.chooseFile")}
          accept=".yaml,.yml,.json,application/yaml,application/json,text/yaml"
          value={file}
          onChange={(chosen) => void choose(chosen)}
          clearable
          clearButtonProps={{ "aria-label": t("configuration.clearFile") }}
          w={420}
        />
        {dryRun.isPending && <Text size="sm">{t("configuration.checking")}</Text>}
        {dryRun.isError && <Problems error={dryRun.error} />}
        {apply.isError && <Problems error={apply.error} />}
        {plan && (
          <Stack gap="sm" data-testid="dry-run">
            <Title order={4} size="h5">
              {t("configuration.dryRunTitle", { name: loaded?.name ?? "" })}
            </Title>
            {plan.changes.length === 0 ? (
              <Text>{t("configuration.noChanges")}</Text>
            ) : (
              <>
                <ChangesTable changes={plan.changes} />
                <Group>
                  <Button onClick={confirm.open}>{t("configuration.apply")}</Button>
                </Group>
              </>
            )}
          </Stack>
        )}
        {result && (
          <Alert color="green" role="status" title={t("configuration.appliedTitle")}>
            <Stack gap="xs">
              <Text size="sm">{t("configuration.appliedText", { count: result.changes.length })}</Text>
              <List size="sm" spacing={2}>
                {result.changes.map((change, index) => (
                  <List.Item key={index}>
                    <Code>{change.line}</Code>
                  </List.Item>
                ))}
              </List>
            </Stack>
          </Alert>
        )}
      </Stack>
      <Modal opened={confirming} onClose={confirm.close} title={t("configuration.confirmTitle")}>
        <Stack>
          <Text>{t("configuration.confirmText", { count: plan?.changes.length ?? 0 })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={confirm.close}>
              {t("configuration.cancel")}
            </Button>
            <Button loading={apply.isPending} onClick={doApply}>
              {t("configuration.confirmApply")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}

export function ConfigurationPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("nav.configuration"));
  const exporter = useExportConfiguration();
  return (
    <Stack>
      <Title order={2}>{t("nav.configuration")}</Title>
      <Text c="dimmed">{t("configuration.intro")}</Text>
      <Card withBorder component="section" aria-labelledby="export-title">
        <Stack align="flex-start">
          <Title order={3} size="h4" id="export-title">
            {t("configuration.exportTitle")}
          </Title>
          <Text size="sm">{t("configuration.exportText")}</Text>
          <Button onClick={() => exporter.mutate()} loading={exporter.isPending}>
            {t("configuration.export")}
          </Button>
          <ProblemAlert error={exporter.error} />
        </Stack>
      </Card>
      <Importer />
    </Stack>
  );
}
