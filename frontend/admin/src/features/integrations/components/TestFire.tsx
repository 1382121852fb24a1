import { Alert, Anchor, Button, Code, Group, Loader, Select, SimpleGrid, Stack, Text } from "@mantine/core";
import { ProblemAlert } from "@oms/shared";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type Configuration, EVENT_TYPES, type EventType, isSettled, useEventDeliveries, useFireTestEvent, useStatuses } from "../api";
import { DeliveryStatusBadge } from "./DeliveryStatusBadge";

// How long to wait for the worker to take the test event before saying so.
const PATIENCE_MS = 60_000;

/** Sends the configuration a sample event and shows what its delivery gave, once the worker
 * has tried (a failed attempt is retried: watching goes on until it succeeds or is dead). */
export function TestFire({ configuration }: { configuration: Configuration }) {
  const { t } = useTranslation();
  const statuses = useStatuses();
  const fire = useFireTestEvent();
  const [status, setStatus] = useState<string | null>(null);
  const [eventType, setEventType] = useState<EventType>("order.status_changed");
  const [sentAt, setSentAt] = useState(0);
  const eventId = fire.data?.event_id ?? null;
  const deliveries = useEventDeliveries(eventId, sentAt, PATIENCE_MS);
  const latest = deliveries.data?.items[0];
  const settled = isSettled(latest);
  // Still waiting as long as the last answer came within our patience.
  const watching = eventId !== null && !settled && (deliveries.dataUpdatedAt === 0 || deliveries.dataUpdatedAt - sentAt < PATIENCE_MS);
  const chosen = status ?? statuses.data?.find((candidate) => candidate.code === "confirmed")?.code ?? statuses.data?.[0]?.code ?? null;
  const send = () => {
    if (!chosen) return;
    setSentAt(Date.now());
    fire.mutate({ id: configuration.id, body: { status: chosen, event_type: eventType } });
  };
  return (
    <Stack>
      <Text size="sm">{t("integrations.test.help")}</Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label={t("integrations.test.status")}
          data={(statuses.data ?? []).map((candidate) => ({ value: candidate.code, label: `${candidate.name} (${candidate.code})` }))}
          value={chosen}
          onChange={setStatus}
          allowDeselect={false}
        />
        <Select
          label={t("integrations.test.event")}
          data={EVENT_TYPES.map((type) => ({ value: type, label: t(`integrations.events.${type}`) }))}
          value={eventType}
          onChange={(value) => value && setEventType(value as EventType)}
          allowDeselect={false}
        />
      </SimpleGrid>
      {!configuration.enabled && <Alert color="yellow">{t("integrations.test.disabled")}</Alert>}
      <Group>
        <Button onClick={send} loading={fire.isPending} disabled={!chosen}>
          {t("integrations.test.send")}
        </Button>
      </Group>
      <ProblemAlert error={fire.error ?? deliveries.error} />
      {eventId && (
        <Stack gap="xs" role="status" aria-live="polite">
          {latest ? (
            <>
              <Group gap="xs">
                <Text fw={600}>{t("integrations.test.result")}</Text>
                <DeliveryStatusBadge status={latest.status} />
                <Text size="sm">{t("integrations.attemptOf", { attempt: latest.attempt })}</Text>
                <Text size="sm">{t("integrations.durationMs", { ms: latest.duration_ms })}</Text>
                {!settled && watching && <Loader size="xs" aria-label={t("integrations.test.waiting")} />}
              </Group>
              {(latest.error ?? latest.response) && <Code block>{latest.error ?? latest.response}</Code>}
            </>
          ) : watching ? (
            <Group gap="xs">
              <Loader size="xs" />
              <Text size="sm">{t("integrations.test.waiting")}</Text>
            </Group>
          ) : (
            <Text size="sm">{t("integrations.test.noAnswer")}</Text>
          )}
          <Anchor component={Link} to={`/deliveries?event_id=${eventId}`} size="sm">
            {t("integrations.test.inLog")}
          </Anchor>
        </Stack>
      )}
    </Stack>
  );
}
