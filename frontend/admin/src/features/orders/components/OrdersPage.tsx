import { Button, Group, Stack, Text, Title } from "@mantine/core";
import { EmptyState, ErrorState, LoadingState, ProblemAlert, isProblem, useCustomerStatuses, useDocumentTitle, useServices } from "@oms/shared";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { useCan } from "../../../app/access";
import { useWorkflowStatuses } from "../../../lib/StatusLabel";
import { type BulkResult, downloadOrdersCsv, useOrderEvents, useOrders } from "../api";
import { type OrderFilters, filtersFromSearch, searchFromFilters } from "../filters";
import { BulkResults, BulkStatusChange } from "./BulkStatusChange";
import { LiveIndicator } from "./LiveIndicator";
import { OrderFiltersForm } from "./OrderFiltersForm";
import { OrdersTable } from "./OrdersTable";

function useStatusNames(): { options: { value: string; label: string }[]; nameOf: (code: string) => string } {
  const canReadWorkflow = useCan("config:read") === true;
  const staff = useWorkflowStatuses(canReadWorkflow);
  const customers = useCustomerStatuses();
  const list = (canReadWorkflow ? staff.data : customers.data) ?? [];
  return {
    options: list.map((status) => ({ value: status.code, label: status.name })),
    nameOf: (code) => list.find((status) => status.code === code)?.name ?? code,
  };
}

function ExportButton({ filters }: { filters: OrderFilters }) {
  const { t } = useTranslation();
  const { auth } = useServices();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const exportCsv = async () => {
    setBusy(true);
    setError(null);
    try {
      await downloadOrdersCsv(auth, filters);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="xs" align="flex-end">
      <Button variant="default" onClick={() => void exportCsv()} loading={busy}>
        {t("orders.exportCsv")}
      </Button>
      {error !== null && <ProblemAlert error={error} title={t("orders.exportFailed")} />}
    </Stack>
  );
}

export function OrdersPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("nav.orders"));
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(search), [search]);
  const setFilters = (next: OrderFilters) => {
    setSelected(new Set());
    setSearch(searchFromFilters(next));
  };
  const orders = useOrders(filters);
  const live = useOrderEvents();
  const canBulk = useCan("orders:bulk-transition") === true;
  const statuses = useStatusNames();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [results, setResults] = useState<BulkResult[] | null>(null);
  const rows = orders.data?.pages.flatMap((page) => page.items) ?? [];
  const select = (ids: string[], chosen: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      for (const id of ids) {
        if (chosen) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  const textError = isProblem(orders.error) && orders.error.status === 400;
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Group gap="sm">
          <Title order={2}>{t("nav.orders")}</Title>
          <LiveIndicator state={live} />
        </Group>
        <ExportButton filters={filters} />
      </Group>
      <OrderFiltersForm filters={filters} onChange={setFilters} />
      {results && <BulkResults results={results} statusName={statuses.nameOf} onDismiss={() => setResults(null)} />}
      {canBulk && selected.size > 0 && (
        <BulkStatusChange
          orderIds={[...selected]}
          statuses={statuses.options}
          onClear={() => setSelected(new Set())}
          onDone={(answer) => {
            setResults(answer);
            setSelected(new Set());
          }}
        />
      )}
      {orders.isPending ? (
        <LoadingState lines={8} />
      ) : orders.isError && rows.length === 0 ? (
        textError ? <ProblemAlert error={orders.error} /> : <ErrorState error={orders.error} onRetry={() => void orders.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState>{t("orders.none")}</EmptyState>
      ) : (
        <>
          <OrdersTable orders={rows} sort={filters.sort} onSort={(sort) => setFilters({ ...filters, sort })} selected={selected} onSelect={select} selectable={canBulk} />
          <Group justify="space-between">
            <Text size="sm" c="dimmed" role="status">
              {t("orders.shown", { count: rows.length })}
              {selected.size > 0 && ` · ${t("orders.selected", { count: selected.size })}`}
            </Text>
            {orders.hasNextPage && (
              <Button variant="light" onClick={() => void orders.fetchNextPage()} loading={orders.isFetchingNextPage}>
                {t("orders.loadMore")}
              </Button>
            )}
          </Group>
        </>
      )}
    </Stack>
  );
}
