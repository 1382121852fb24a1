import { Anchor, Card, Grid, Group, Stack, Table, Text, Title } from "@mantine/core";
import { DateTime, Money, QueryState, useDocumentTitle } from "@oms/shared";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useCan } from "../../../app/access";
import { AddressBlock } from "../../../lib/AddressBlock";
import { type Order, useOrder, useOrderEvents } from "../api";
import { LiveIndicator } from "./LiveIndicator";
import { OrderNotes } from "./OrderNotes";
import { OrderTimeline } from "./OrderTimeline";
import { StatusActions } from "./StatusActions";
import { StatusLabel } from "../../../lib/StatusLabel";

function Items({ order }: { order: Order }) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={420}>
      <Table aria-label={t("orders.order.items")}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("orders.order.item")}</Table.Th>
            <Table.Th ta="right">{t("orders.order.unitPrice")}</Table.Th>
            <Table.Th ta="right">{t("orders.order.quantity")}</Table.Th>
            <Table.Th ta="right">{t("orders.order.lineTotal")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {order.items.map((item) => (
            <Table.Tr key={item.product_id}>
              <Table.Td>
                <Text size="sm">{item.name}</Text>
                <Text size="xs" c="dimmed">
                  {item.sku}
                </Text>
              </Table.Td>
              <Table.Td ta="right">
                <Money amount={item.unit_price} currency={order.currency} />
              </Table.Td>
              <Table.Td ta="right">{item.quantity}</Table.Td>
              <Table.Td ta="right">
                <Money amount={item.line_total} currency={order.currency} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr>
            <Table.Th colSpan={3}>{t("orders.order.total")}</Table.Th>
            <Table.Th ta="right">
              <Money amount={order.total} currency={order.currency} />
            </Table.Th>
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </Table.ScrollContainer>
  );
}

function Customer({ order }: { order: Order }) {
  const { t } = useTranslation();
  const canOpen = useCan("customers:read") === true;
  const name = order.customer_name || order.customer_email;
  return (
    <Card withBorder component="section" aria-labelledby="customer-title">
      <Text fw={700} id="customer-title">
        {t("orders.order.customer")}
      </Text>
      {canOpen ? (
        <Anchor component={Link} to={`/customers/${order.customer_id}`} size="sm">
          {name}
        </Anchor>
      ) : (
        <Text size="sm">{name}</Text>
      )}
      {order.customer_name && <Text size="sm">{order.customer_email}</Text>}
    </Card>
  );
}

function OrderDetails({ order }: { order: Order }) {
  const { t } = useTranslation();
  useDocumentTitle(t("orders.order.title", { number: order.number }));
  const live = useOrderEvents(order.id);
  const canTransition = useCan("orders:transition") === true;
  return (
    <Stack>
      <Anchor component={Link} to=".." relative="path" size="sm">
        {t("orders.order.back")}
      </Anchor>
      <Group justify="space-between">
        <Group gap="sm">
          <Title order={2}>{t("orders.order.title", { number: order.number })}</Title>
          <StatusLabel code={order.status} />
          <LiveIndicator state={live} />
        </Group>
        <Text size="sm" c="dimmed">
          {t("orders.order.placedAt")} <DateTime value={order.created_at} />
        </Text>
      </Group>
      <Grid gutter="xl">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack>
            <Items order={order} />
            {order.note && (
              <Card withBorder>
                <Text size="sm" fw={600}>
                  {t("orders.order.customerNote")}
                </Text>
                <Text size="sm">{order.note}</Text>
              </Card>
            )}
            {canTransition && <StatusActions order={order} />}
            <OrderNotes orderId={order.id} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack>
            <Customer order={order} />
            <Card withBorder component="section" aria-labelledby="ship-to">
              <Text fw={700} id="ship-to">
                {t("orders.order.shipTo")}
              </Text>
              <AddressBlock address={order.shipping_address} />
            </Card>
            <OrderTimeline order={order} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

export function OrderPage() {
  const { orderId = "" } = useParams();
  const order = useOrder(orderId);
  return (
    <QueryState query={order} lines={6}>
      {(data) => <OrderDetails order={data} />}
    </QueryState>
  );
}
