import { Anchor, Checkbox, Group, Table, Text, UnstyledButton } from "@mantine/core";
import { DateTime, Money } from "@oms/shared";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { OrderSummary } from "../api";
import { type OrderSort, type SortField, sortDirection, toggledSort } from "../filters";
import { StatusLabel } from "../../../lib/StatusLabel";

function SortHeader({ field, sort, onSort, label, align }: { field: SortField; sort: OrderSort; onSort: (sort: OrderSort) => void; label: string; align?: "right" }) {
  const { t } = useTranslation();
  const direction = sortDirection(sort, field);
  const arrow = direction === "ascending" ? "▲" : direction === "descending" ? "▼" : "";
  return (
    <Table.Th aria-sort={direction ?? "none"} ta={align}>
      <UnstyledButton
        onClick={() => onSort(toggledSort(sort, field))}
        aria-label={t("orders.table.sortBy", { column: label })}
        fw={700}
        fz="sm"
      >
        <Group gap={4} wrap="nowrap" justify={align === "right" ? "flex-end" : undefined}>
          <span>{label}</span>
          <span aria-hidden="true">{arrow}</span>
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

export function OrdersTable({
  orders,
  sort,
  onSort,
  selected,
  onSelect,
  selectable,
}: {
  orders: OrderSummary[];
  sort: OrderSort;
  onSort: (sort: OrderSort) => void;
  selected: ReadonlySet<string>;
  onSelect: (ids: string[], chosen: boolean) => void;
  selectable: boolean;
}) {
  const { t } = useTranslation();
  const chosenHere = orders.filter((order) => selected.has(order.id)).length;
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            {selectable && (
              <Table.Th w={40}>
                <Checkbox
                  aria-label={t("orders.table.selectAll")}
                  checked={orders.length > 0 && chosenHere === orders.length}
                  indeterminate={chosenHere > 0 && chosenHere < orders.length}
                  onChange={(event) => onSelect(orders.map((order) => order.id), event.currentTarget.checked)}
                />
              </Table.Th>
            )}
            <SortHeader field="number" sort={sort} onSort={onSort} label={t("orders.table.number")} />
            <SortHeader field="created_at" sort={sort} onSort={onSort} label={t("orders.table.placed")} />
            <Table.Th>{t("orders.table.customer")}</Table.Th>
            <Table.Th>{t("orders.table.status")}</Table.Th>
            <SortHeader field="total" sort={sort} onSort={onSort} label={t("orders.table.total")} align="right" />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {orders.map((order) => (
            <Table.Tr key={order.id} data-order={order.number} bg={selected.has(order.id) ? "var(--mantine-primary-color-light)" : undefined}>
              {selectable && (
                <Table.Td>
                  <Checkbox
                    aria-label={t("orders.table.select", { number: order.number })}
                    checked={selected.has(order.id)}
                    onChange={(event) => onSelect([order.id], event.currentTarget.checked)}
                  />
                </Table.Td>
              )}
              <Table.Td>
                <Anchor component={Link} to={order.id} fw={600}>
                  {order.number}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <DateTime value={order.created_at} />
              </Table.Td>
              <Table.Td>
                {order.customer_name && <Text size="sm">{order.customer_name}</Text>}
                <Text size="xs" c="dimmed">
                  {order.customer_email}
                </Text>
              </Table.Td>
              <Table.Td>
                <StatusLabel code={order.status} />
              </Table.Td>
              <Table.Td ta="right">
                <Money amount={order.total} currency={order.currency} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
