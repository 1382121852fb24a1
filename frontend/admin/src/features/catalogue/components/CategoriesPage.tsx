import { Anchor, Button, Group, Stack, Table, Title } from "@mantine/core";
import { QueryState, useDocumentTitle } from "@oms/shared";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type Category, useCategories } from "../api";

function attributeCount(category: Category): number {
  const properties = category.attribute_schema.properties;
  return typeof properties === "object" && properties !== null ? Object.keys(properties).length : 0;
}

export function CategoriesPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("catalogue.categories.title"));
  const categories = useCategories();
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t("catalogue.categories.title")}</Title>
        <Button component={Link} to="new">
          {t("catalogue.categories.new")}
        </Button>
      </Group>
      <QueryState query={categories} isEmpty={(list) => list.length === 0} empty={t("catalogue.categories.none")}>
        {(list) => (
          <Table.ScrollContainer minWidth={480}>
            <Table striped highlightOnHover aria-label={t("catalogue.categories.title")}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("catalogue.category.name")}</Table.Th>
                  <Table.Th>{t("catalogue.category.code")}</Table.Th>
                  <Table.Th ta="right">{t("catalogue.category.attributeCount")}</Table.Th>
                  <Table.Th>{t("catalogue.categories.productsOf")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((category) => (
                  <Table.Tr key={category.id}>
                    <Table.Td>
                      <Anchor component={Link} to={category.id}>
                        {category.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td ff="monospace">{category.code}</Table.Td>
                    <Table.Td ta="right">{attributeCount(category)}</Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/products?category=${encodeURIComponent(category.id)}`} size="sm">
                        {t("catalogue.categories.showProducts", { name: category.name })}
                      </Anchor>
                    </Table.Td>
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
