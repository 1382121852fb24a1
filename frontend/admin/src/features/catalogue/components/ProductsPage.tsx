import { Anchor, Badge, Button, Group, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { ErrorState, LoadingState, Money, useDocumentTitle } from "@oms/shared";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useCategories, useProducts } from "../api";
import { type ProductFilter, type ProductState, filterFromSearch, searchFromFilter } from "../filters";

const ALL = "*";

function Filters({ filter, onChange }: { filter: ProductFilter; onChange: (filter: ProductFilter) => void }) {
  const { t } = useTranslation();
  const categories = useCategories();
  const [q, setQ] = useState(filter.q);
  const changeQ = useDebouncedCallback((value: string) => onChange({ ...filter, q: value }), 300);
  return (
    <Group align="flex-end" wrap="wrap" role="search" aria-label={t("catalogue.products.filters")}>
      <TextInput
        label={t("catalogue.products.search")}
        placeholder={t("catalogue.products.searchHint")}
        value={q}
        onChange={(event) => {
          setQ(event.currentTarget.value);
          changeQ(event.currentTarget.value);
        }}
        type="search"
        w={280}
      />
      <Select
        label={t("catalogue.products.category")}
        data={[
          { value: ALL, label: t("catalogue.products.allCategories") },
          ...(categories.data ?? []).map((category) => ({ value: category.id, label: category.name })),
        ]}
        value={filter.category || ALL}
        onChange={(value) => onChange({ ...filter, category: !value || value === ALL ? "" : value })}
        allowDeselect={false}
        w={220}
      />
      <Select
        label={t("catalogue.products.state")}
        data={(["all", "active", "archived"] as const).map((state) => ({ value: state, label: t(`catalogue.products.states.${state}`) }))}
        value={filter.state}
        onChange={(value) => onChange({ ...filter, state: (value ?? "all") as ProductState })}
        allowDeselect={false}
        w={160}
      />
    </Group>
  );
}

export function ProductsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("catalogue.products.title"));
  const [search, setSearch] = useSearchParams();
  const filter = filterFromSearch(search);
  const products = useProducts(filter);
  const categories = useCategories();
  const categoryName = (id: string) => categories.data?.find((category) => category.id === id)?.name ?? "";
  const rows = products.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{t("catalogue.products.title")}</Title>
        <Group gap="sm">
          <Button component={Link} to="import" variant="default">
            {t("catalogue.import.open")}
          </Button>
          <Button component={Link} to="new">
            {t("catalogue.products.new")}
          </Button>
        </Group>
      </Group>
      <Filters filter={filter} onChange={(next) => setSearch(searchFromFilter(next), { replace: true })} />
      {products.isPending ? (
        <LoadingState lines={6} />
      ) : products.isError ? (
        <ErrorState error={products.error} onRetry={() => void products.refetch()} />
      ) : rows.length === 0 ? (
        <Text c="dimmed" py="lg" ta="center">
          {t("catalogue.products.none")}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover aria-label={t("catalogue.products.title")}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("catalogue.product.sku")}</Table.Th>
                <Table.Th>{t("catalogue.product.name")}</Table.Th>
                <Table.Th>{t("catalogue.product.category")}</Table.Th>
                <Table.Th ta="right">{t("catalogue.product.price")}</Table.Th>
                <Table.Th ta="right">{t("catalogue.product.stock")}</Table.Th>
                <Table.Th>{t("catalogue.products.state")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((product) => (
                <Table.Tr key={product.id}>
                  <Table.Td>
                    <Anchor component={Link} to={product.id} ff="monospace">
                      {product.sku}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{product.name}</Table.Td>
                  <Table.Td>{categoryName(product.category_id)}</Table.Td>
                  <Table.Td ta="right">
                    <Money amount={product.price} currency={product.currency} />
                  </Table.Td>
                  <Table.Td ta="right">{product.stock ?? t("catalogue.product.untracked")}</Table.Td>
                  <Table.Td>
                    {product.active ? (
                      <Badge variant="outline" color="dark">
                        {t("catalogue.products.states.active")}
                      </Badge>
                    ) : (
                      <Badge variant="default">{t("catalogue.products.states.archived")}</Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {products.hasNextPage && (
        <Group justify="center">
          <Button variant="light" onClick={() => void products.fetchNextPage()} loading={products.isFetchingNextPage}>
            {t("catalogue.products.more")}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
