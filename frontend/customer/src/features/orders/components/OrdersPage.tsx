import { Anchor, Button, Center, Group, Stack, Table, Text, Title } from "@mantine/core";
import { DateTime, EmptyState, ErrorState, LoadingState, Money, StatusBadge, useDocumentTitle } from "@oms/shared";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useOrderEvents, useOrders } from "../api";

export function OrdersPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("orders.title"));
  const orders = useOrders();
  useOrderEvents();
  const items = orders.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack>
      <Title order={2}>{t("orders.title")}</Title>
      {orders.isPending ? (
        <LoadingState lines={5} />
      ) : orders.isError ? (
        <ErrorState error={orders.error} onRetry={() => void orders.refetch()} />
      ) : items.length === 0 ? (
        <Stack align="center">
          <EmptyState>{t("orders.empty")}</EmptyState>
          <Button component={Link} to="/">
            {t("cart.continue")}
          </Button>
        </Stack>
      ) : (
        <>
          <Table.ScrollContainer minWidth={420}>
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("orders.number")}</Table.Th>
                  <Table.Th>{t("orders.placed")}</Table.Th>
                  <Table.Th>{t("orders.status")}</Table.Th>
                  <Table.Th ta="right">{t("orders.total")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((order) => (
                  <Table.Tr key={order.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/orders/${order.id}`} fw={600}>
                        {order.number}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <DateTime value={order.created_at} />
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge code={order.status} />
                    </Table.Td>
                    <Table.Td ta="right">
                      <Money amount={order.total} currency={order.currency} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {orders.hasNextPage && (
            <Center>
              <Button variant="light" loading={orders.isFetchingNextPage} onClick={() => void orders.fetchNextPage()}>
                {t("catalogue.loadMore")}
              </Button>
            </Center>
          )}
          <Group />
        </>
      )}
      <Text size="xs" c="dimmed">
        {t("orders.live")}
      </Text>
    </Stack>
  );
}
