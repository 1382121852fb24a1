import { Anchor, Card, Group, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { ColourBadge, DateTime, Money, QueryState, useBranding, useDocumentTitle } from "@oms/shared";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type Dashboard, useDashboard } from "../api";
import { TONES } from "../../../lib/tones";
import { DailyChart } from "./DailyChart";

function Figure({ label, orders, revenue, currency }: { label: string; orders: number; revenue: string; currency: string }) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="md">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {t("dashboard.orderCount", { count: orders })}
      </Text>
      <Text>
        <Money amount={revenue} currency={currency} />
      </Text>
    </Card>
  );
}

function Backlog({ outbox }: { outbox: Dashboard["outbox"] }) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="md">
      <Text size="sm" c="dimmed">
        {t("dashboard.outbox")}
      </Text>
      <Text size="xl" fw={700}>
        {t("dashboard.unpublished", { count: outbox.unpublished })}
      </Text>
      <Text size="sm">
        {outbox.oldest_age_seconds === null
          ? t("dashboard.noBacklog")
          : t("dashboard.oldest", { seconds: Math.round(outbox.oldest_age_seconds) })}
      </Text>
    </Card>
  );
}

function PerStatus({ statuses }: { statuses: Dashboard["per_status"] }) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="md">
      <Title order={3} size="h5" mb="sm">
        {t("dashboard.perStatus")}
      </Title>
      <Group gap="sm">
        {statuses.map((status) => (
          <Anchor key={status.code} component={Link} to={`/orders?status=${encodeURIComponent(status.code)}`} underline="never">
            <ColourBadge colour={status.colour} size="lg">
              {status.name}: {status.count}
            </ColourBadge>
          </Anchor>
        ))}
      </Group>
    </Card>
  );
}

function FailedDeliveries({ deliveries }: { deliveries: Dashboard["failed_deliveries"] }) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="md">
      <Title order={3} size="h5" mb="sm">
        {t("dashboard.failedDeliveries")}
      </Title>
      {deliveries.length === 0 ? (
        <Text c="dimmed">{t("dashboard.noFailures")}</Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("dashboard.at")}</Table.Th>
                <Table.Th>{t("dashboard.worker")}</Table.Th>
                <Table.Th>{t("dashboard.event")}</Table.Th>
                <Table.Th>{t("dashboard.order")}</Table.Th>
                <Table.Th>{t("dashboard.state")}</Table.Th>
                <Table.Th>{t("dashboard.error")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {deliveries.map((delivery) => (
                <Table.Tr key={delivery.id}>
                  <Table.Td>
                    <DateTime value={delivery.at} />
                  </Table.Td>
                  <Table.Td>{delivery.worker_type}</Table.Td>
                  <Table.Td>{delivery.event_type}</Table.Td>
                  <Table.Td>
                    {delivery.order_id ? (
                      <Anchor component={Link} to={`/orders/${delivery.order_id}`}>
                        {delivery.order_number ?? delivery.order_id}
                      </Anchor>
                    ) : (
                      "–"
                    )}
                  </Table.Td>
                  <Table.Td>
                    <ColourBadge colour={delivery.status === "dead" ? TONES.bad : TONES.warning}>
                      {t(`dashboard.deliveryStatus.${delivery.status === "dead" ? "dead" : "failed"}`)} · {delivery.attempts}
                    </ColourBadge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={2}>
                      {delivery.last_error ?? ""}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

export function DashboardPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("nav.dashboard"));
  const dashboard = useDashboard();
  const { format } = useBranding();
  return (
    <Stack>
      <Title order={2}>{t("nav.dashboard")}</Title>
      <QueryState query={dashboard} lines={6}>
        {(data) => (
          <Stack>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <Figure label={t("dashboard.today")} orders={data.today.orders} revenue={data.today.revenue} currency={data.currency} />
              <Figure label={t("dashboard.thisWeek")} orders={data.this_week.orders} revenue={data.this_week.revenue} currency={data.currency} />
              <Backlog outbox={data.outbox} />
            </SimpleGrid>
            <PerStatus statuses={data.per_status} />
            <DailyChart days={data.per_day} currency={data.currency} />
            <FailedDeliveries deliveries={data.failed_deliveries} />
            <Text size="xs" c="dimmed">
              {t("dashboard.generated", { at: format.dateTime(data.generated_at), zone: data.timezone })}
            </Text>
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
