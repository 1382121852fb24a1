import { Button, Center, Grid, SimpleGrid, Stack, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { EmptyState, ErrorState, LoadingState, useDocumentTitle } from "@oms/shared";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams, useSearchParams } from "react-router";
import { useCategories, useProducts } from "../api";
import { type FilterValues, attributesFilter, filterControls } from "../filters";
import { AttributeFilters } from "./AttributeFilters";
import { ProductCard } from "./ProductCard";

function readFilters(raw: string | null): FilterValues {
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as FilterValues) : {};
  } catch {
    return {};
  }
}

export function CataloguePage() {
  const { t } = useTranslation();
  const { categoryCode } = useParams();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get("q") ?? "");
  const [q] = useDebouncedValue(search.trim(), 300);
  const [filters, setFilters] = useState<FilterValues>(() => readFilters(params.get("f")));
  const [debouncedFilters] = useDebouncedValue(filters, 300);
  const categories = useCategories();
  const category = categories.data?.find((candidate) => candidate.code === categoryCode);
  const controls = useMemo(() => filterControls(category?.attribute_schema), [category]);
  const attributes = categoryCode ? attributesFilter(controls, debouncedFilters) : undefined;
  const products = useProducts({ category: categoryCode, q: q || undefined, attributes });
  useDocumentTitle(category?.name ?? t("catalogue.title"));

  const changeFilters = (next: FilterValues) => {
    setFilters(next);
    const updated = new URLSearchParams(params);
    if (Object.keys(next).length) updated.set("f", JSON.stringify(next));
    else updated.delete("f");
    setParams(updated, { replace: true });
  };
  const changeSearch = (value: string) => {
    setSearch(value);
    const updated = new URLSearchParams(params);
    if (value.trim()) updated.set("q", value.trim());
    else updated.delete("q");
    setParams(updated, { replace: true });
  };

  const items = products.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack>
      <Title order={2}>{category?.name ?? t("catalogue.title")}</Title>
      <TextInput
        type="search"
        label={t("catalogue.search")}
        placeholder={t("catalogue.searchPlaceholder")}
        value={search}
        onChange={(event) => changeSearch(event.currentTarget.value)}
        maxLength={100}
      />
      <Grid>
        {controls.length > 0 && (
          <Grid.Col span={{ base: 12, md: 3 }}>
            <AttributeFilters controls={controls} values={filters} onChange={changeFilters} />
          </Grid.Col>
        )}
        <Grid.Col span={{ base: 12, md: controls.length > 0 ? 9 : 12 }}>
          {products.isPending ? (
            <LoadingState lines={6} />
          ) : products.isError ? (
            <ErrorState error={products.error} onRetry={() => void products.refetch()} />
          ) : items.length === 0 ? (
            <EmptyState>{t("catalogue.empty")}</EmptyState>
          ) : (
            <Stack>
              <SimpleGrid cols={{ base: 1, xs: 2, lg: 3 }} aria-live="polite">
                {items.map((product) => (
                  <ProductCard key={product.id} product={product} />
                ))}
              </SimpleGrid>
              {products.hasNextPage && (
                <Center>
                  <Button variant="light" loading={products.isFetchingNextPage} onClick={() => void products.fetchNextPage()}>
                    {t("catalogue.loadMore")}
                  </Button>
                </Center>
              )}
            </Stack>
          )}
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
