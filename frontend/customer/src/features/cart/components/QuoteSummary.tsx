import { Alert, Badge, Group, List, Table, Text } from "@mantine/core";
import { ErrorState, LoadingState, Money } from "@oms/shared";
import { useTranslation } from "react-i18next";
import type { CartLine } from "../../../lib/cart";
import { useQuote } from "../api";

/** The order summary as the server prices it. */
export function QuoteSummary({ lines }: { lines: readonly CartLine[] }) {
  const { t } = useTranslation();
  const quote = useQuote(lines);
  if (quote.isPending) return <LoadingState lines={4} />;
  if (quote.isError) return <ErrorState error={quote.error} onRetry={() => void quote.refetch()} />;
  const { data } = quote;
  return (
    <section aria-labelledby="quote-title" aria-busy={quote.isFetching}>
      <Text id="quote-title" fw={700} mb="xs">
        {t("checkout.summary")}
      </Text>
      {data.problems.length > 0 && (
        <Alert color="yellow" mb="sm" title={t("checkout.stockWarning")}>
          <List size="sm">
            {data.problems.map((problem) => (
              <List.Item key={problem}>{problem}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      <Table.ScrollContainer minWidth={360}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("checkout.item")}</Table.Th>
              <Table.Th ta="right">{t("checkout.quantity")}</Table.Th>
              <Table.Th ta="right">{t("checkout.lineTotal")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.items.map((item) => (
              <Table.Tr key={item.product_id}>
                <Table.Td>
                  <Group gap="xs">
                    <Text size="sm">{item.name}</Text>
                    {!item.in_stock && (
                      <Badge color="red" variant="light">
                        {t("checkout.onlyAvailable", { count: item.available ?? 0 })}
                      </Badge>
                    )}
                  </Group>
                  <Text size="xs" c="dimmed">
                    <Money amount={item.unit_price} currency={data.currency} />
                  </Text>
                </Table.Td>
                <Table.Td ta="right">{item.quantity}</Table.Td>
                <Table.Td ta="right">
                  <Money amount={item.line_total} currency={data.currency} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
          <Table.Tfoot>
            <Table.Tr>
              <Table.Th colSpan={2}>{t("checkout.total")}</Table.Th>
              <Table.Th ta="right">
                <Money amount={data.total} currency={data.currency} />
              </Table.Th>
            </Table.Tr>
          </Table.Tfoot>
        </Table>
      </Table.ScrollContainer>
    </section>
  );
}
