import { Group, List, Stack, Text, Timeline, Title } from "@mantine/core";
import { ColourBadge, DateTime } from "@oms/shared";
import { useTranslation } from "react-i18next";
import { useCan } from "../../../app/access";
import { type Order, useConfigurationNames, useDeliveries } from "../api";
import { type DeliveryGroup, buildTimeline } from "../timeline";
import { StatusLabel } from "../../../lib/StatusLabel";
import { TONES } from "../../../lib/tones";

const DELIVERY_COLOURS = { succeeded: TONES.good, failed: TONES.warning, dead: TONES.bad } as const;

function DeliveryItem({ group, configurationName }: { group: DeliveryGroup; configurationName: string | undefined }) {
  const { t } = useTranslation();
  return (
    <List.Item>
      <Stack gap={2}>
        <Group gap="xs" wrap="wrap">
          <Text size="sm" fw={600}>
            {t(`orders.timeline.worker.${group.worker}`)} · {configurationName ?? t("orders.timeline.configurationGone")}
          </Text>
          <Text size="xs" c="dimmed">
            {group.eventType}
          </Text>
          <ColourBadge size="sm" colour={DELIVERY_COLOURS[group.status]}>
            {t(`orders.timeline.delivery.${group.status}`)}
          </ColourBadge>
        </Group>
        <List size="xs" spacing={2} withPadding listStyleType="none">
          {group.attempts.map((attempt) => (
            <List.Item key={attempt.id}>
              <Text size="xs" component="span">
                {t("orders.timeline.attempt", { attempt: attempt.attempt })} · <DateTime value={attempt.started_at} /> · {t(`orders.timeline.delivery.${attempt.status}`)} ·{" "}
                {t("orders.timeline.duration", { ms: attempt.duration_ms })}
                {attempt.response && ` · ${t("orders.timeline.response")}: ${attempt.response}`}
                {attempt.error && ` · ${t("orders.timeline.error")}: ${attempt.error}`}
              </Text>
            </List.Item>
          ))}
        </List>
      </Stack>
    </List.Item>
  );
}

/** The order's status changes (who, when, note), each with the deliveries its event caused
 * for a user who may read them (`config:read`). */
export function OrderTimeline({ order }: { order: Order }) {
  const { t } = useTranslation();
  const canReadDeliveries = useCan("config:read") === true;
  const deliveries = useDeliveries(order.id, canReadDeliveries);
  const names = useConfigurationNames(canReadDeliveries);
  const { entries, unplaced } = buildTimeline(order.status_history, deliveries.data ?? []);
  return (
    <section aria-labelledby="timeline-title">
      <Title order={3} size="h4" id="timeline-title" mb="sm">
        {t("orders.timeline.title")}
      </Title>
      <Timeline active={entries.length - 1} bulletSize={16} lineWidth={2}>
        {entries.map((entry, index) => (
          <Timeline.Item key={`${entry.change.at}-${index}`} title={<StatusLabel code={entry.change.status} />} data-status={entry.change.status}>
            <Text size="xs" c="dimmed">
              <DateTime value={entry.change.at} /> · {t("orders.timeline.by", { who: entry.change.actor.email })}
            </Text>
            {entry.change.note && <Text size="sm">{entry.change.note}</Text>}
            {entry.deliveries.length > 0 && (
              <List mt={4} spacing={4} size="sm" aria-label={t("orders.timeline.deliveriesOf", { status: entry.change.status })}>
                {entry.deliveries.map((group) => (
                  <DeliveryItem key={`${group.eventId}-${group.configurationId ?? group.worker}`} group={group} configurationName={group.configurationId ? names.data?.get(group.configurationId) : undefined} />
                ))}
              </List>
            )}
          </Timeline.Item>
        ))}
      </Timeline>
      {unplaced.length > 0 && (
        <>
          <Text size="sm" fw={600} mt="md">
            {t("orders.timeline.otherDeliveries")}
          </Text>
          <List spacing={4} size="sm">
            {unplaced.map((group) => (
              <DeliveryItem key={`${group.eventId}-${group.configurationId ?? group.worker}`} group={group} configurationName={group.configurationId ? names.data?.get(group.configurationId) : undefined} />
            ))}
          </List>
        </>
      )}
      {canReadDeliveries && deliveries.isError && (
        <Text size="sm" c="red.8" role="alert">
          {t("orders.timeline.deliveriesFailed")}
        </Text>
      )}
    </section>
  );
}
