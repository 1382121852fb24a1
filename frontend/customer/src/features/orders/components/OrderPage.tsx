import { Alert, Button, Card, Grid, Group, Modal, Stack, Table, Text, Timeline, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { DateTime, Money, ProblemAlert, QueryState, type Schema, StatusBadge, isStaleEdit, useCustomerStatuses, useDocumentTitle } from "@oms/shared";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { useCountryName } from "../../../lib/useCountryName";
import { cancelTarget, useChangeOrderStatus, useOrder, useOrderEvents, useOrderTransitions } from "../api";

type Order = Schema<"OrderRead">;

function StatusTimeline({ order }: { order: Order }) {
  const { t } = useTranslation();
  const statuses = useCustomerStatuses();
  const nameOf = (code: string) => statuses.data?.find((status) => status.code === code)?.name ?? code;
  const history = [...order.status_history].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <section aria-labelledby="timeline-title">
      <Title order={3} size="h4" id="timeline-title" mb="sm">
        {t("order.timeline")}
      </Title>
      <Timeline active={history.length - 1} bulletSize={16} lineWidth={2} aria-live="polite">
        {history.map((entry, index) => (
          <Timeline.Item key={`${entry.at}-${index}`} title={nameOf(entry.status)}>
            <Text size="xs" c="dimmed">
              <DateTime value={entry.at} />
            </Text>
            {entry.note && <Text size="sm">{entry.note}</Text>}
          </Timeline.Item>
        ))}
      </Timeline>
    </section>
  );
}

function CancelOrder({ order }: { order: Order }) {
  const { t } = useTranslation();
  const transitions = useOrderTransitions(order.id, order.version);
  const change = useChangeOrderStatus(order.id);
  const [opened, { open, close }] = useDisclosure(false);
  const target = cancelTarget(transitions.data);
  if (!target) return change.isError ? <ProblemAlert error={change.error} /> : null;
  const confirm = () =>
    change.mutate({ status: target.code, version: order.version }, { onSettled: close });
  return (
    <>
      {change.isError && (isStaleEdit(change.error) ? <Alert color="yellow">{t("common:error.stale")}</Alert> : <ProblemAlert error={change.error} />)}
      <Button color="red" variant="light" onClick={open}>
        {t("order.cancel")}
      </Button>
      <Modal opened={opened} onClose={close} title={t("order.cancelTitle", { number: order.number })}>
        <Stack>
          <Text>{t("order.cancelText")}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t("order.keep")}
            </Button>
            <Button color="red" onClick={confirm} loading={change.isPending}>
              {t("order.confirmCancel")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

function OrderDetails({ order }: { order: Order }) {
  const { t } = useTranslation();
  useDocumentTitle(t("order.title", { number: order.number }));
  const address = order.shipping_address;
  const country = useCountryName();
  return (
    <Stack>
      <Group justify="space-between">
        <Group>
          <Title order={2}>{t("order.title", { number: order.number })}</Title>
          <StatusBadge code={order.status} />
        </Group>
        <CancelOrder order={order} />
      </Group>
      <Text size="sm" c="dimmed">
        {t("order.placedAt")} <DateTime value={order.created_at} />
      </Text>
      <Grid gutter="xl">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack>
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
                  {order.items.map((item) => (
                    <Table.Tr key={item.product_id}>
                      <Table.Td>
                        <Text size="sm">{item.name}</Text>
                        <Text size="xs" c="dimmed">
                          {item.sku} · <Money amount={item.unit_price} currency={order.currency} />
                        </Text>
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
                    <Table.Th colSpan={2}>{t("checkout.total")}</Table.Th>
                    <Table.Th ta="right">
                      <Money amount={order.total} currency={order.currency} />
                    </Table.Th>
                  </Table.Tr>
                </Table.Tfoot>
              </Table>
            </Table.ScrollContainer>
            {order.note && (
              <Card withBorder>
                <Text size="sm" fw={600}>
                  {t("checkout.note")}
                </Text>
                <Text size="sm">{order.note}</Text>
              </Card>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack>
            <Card withBorder component="section" aria-labelledby="ship-to">
              <Text fw={700} id="ship-to">
                {t("checkout.shipTo")}
              </Text>
              <Text size="sm" component="address" style={{ fontStyle: "normal" }}>
                {[address.name, address.line1, address.line2, `${address.postal_code} ${address.city}`, country(address.country), address.phone]
                  .filter(Boolean)
                  .map((part) => (
                    <span key={part} style={{ display: "block" }}>
                      {part}
                    </span>
                  ))}
              </Text>
            </Card>
            <StatusTimeline order={order} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

export function OrderPage() {
  const { orderId = "" } = useParams();
  const order = useOrder(orderId);
  useOrderEvents(orderId);
  return <QueryState query={order} lines={6}>{(data) => <OrderDetails order={data} />}</QueryState>;
}
