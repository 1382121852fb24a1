import { Alert, Anchor, Button, Checkbox, Code, Group, Modal, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { DateTime, QueryState, problemMessage, useDocumentTitle } from "@oms/shared";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useCan } from "../../../app/access";
import { DELIVERY_STATUSES, type Delivery, WORKER_TYPES, useConfigurations, useDeliveries, useReplayDelivery } from "../api";
import { type DeliveryFilters, filtersFromSearch, isUuid, searchFromFilters } from "../filters";
import { type ReplayOutcome, replayEach } from "../replay";
import { TONES } from "../../../lib/tones";
import { DeliveryStatusBadge } from "./DeliveryStatusBadge";

// After a replay the log is asked again this often for a while, so the new attempt shows.
const WATCH_INTERVAL_MS = 2_000;
const WATCH_FOR_MS = 60_000;

function IdFilter({ label, value, onApply }: { label: string; value: string | undefined; onApply: (value: string | undefined) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(value ?? "");
  const [error, setError] = useState<string | null>(null);
  const apply = () => {
    const trimmed = text.trim();
    if (trimmed && !isUuid(trimmed)) return setError(t("integrations.log.uuidInvalid"));
    setError(null);
    onApply(trimmed || undefined);
  };
  return (
    <TextInput
      label={label}
      value={text}
      onChange={(event) => setText(event.currentTarget.value)}
      onBlur={apply}
      onKeyDown={(event) => event.key === "Enter" && apply()}
      error={error}
      placeholder="00000000-0000-0000-0000-000000000000"
      autoComplete="off"
    />
  );
}

function Filters({ filters, onChange }: { filters: DeliveryFilters; onChange: (filters: DeliveryFilters) => void }) {
  const { t } = useTranslation();
  const configurations = useConfigurations();
  const options = (configurations.data?.pages.flatMap((page) => page.items) ?? []).map((configuration) => ({
    value: configuration.id,
    label: `${configuration.name} (${t(`integrations.types.${configuration.worker_type}`)})`,
  }));
  if (filters.configuration_id && !options.some((option) => option.value === filters.configuration_id)) {
    options.push({ value: filters.configuration_id, label: filters.configuration_id });
  }
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, md: 5 }} component="fieldset" style={{ border: 0, padding: 0, margin: 0 }} aria-label={t("integrations.log.filters")}>
      <Select
        label={t("integrations.log.status")}
        data={DELIVERY_STATUSES.map((status) => ({ value: status, label: t(`integrations.deliveryStatus.${status}`) }))}
        value={filters.status ?? null}
        onChange={(value) => onChange({ ...filters, status: (value ?? undefined) as DeliveryFilters["status"] })}
        clearable
        placeholder={t("integrations.log.any")}
      />
      <Select
        label={t("integrations.log.worker")}
        data={WORKER_TYPES.map((type) => ({ value: type, label: t(`integrations.types.${type}`) }))}
        value={filters.worker ?? null}
        onChange={(value) => onChange({ ...filters, worker: (value ?? undefined) as DeliveryFilters["worker"] })}
        clearable
        placeholder={t("integrations.log.any")}
      />
      <Select
        label={t("integrations.log.configuration")}
        data={options}
        value={filters.configuration_id ?? null}
        onChange={(value) => onChange({ ...filters, configuration_id: value ?? undefined })}
        clearable
        searchable
        placeholder={t("integrations.log.any")}
      />
      <IdFilter key={`order-${filters.order_id ?? ""}`} label={t("integrations.log.orderId")} value={filters.order_id} onApply={(order_id) => onChange({ ...filters, order_id })} />
      <IdFilter key={`event-${filters.event_id ?? ""}`} label={t("integrations.log.eventId")} value={filters.event_id} onApply={(event_id) => onChange({ ...filters, event_id })} />
    </SimpleGrid>
  );
}

function Details({ delivery, configurationName, onClose }: { delivery: Delivery | null; configurationName: string | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={delivery !== null} onClose={onClose} title={t("integrations.log.detailsTitle")} size="lg">
      {delivery && (
        <Stack gap="xs">
          <Group gap="xs">
            <DeliveryStatusBadge status={delivery.status} />
            <Text size="sm">{t("integrations.attemptOf", { attempt: delivery.attempt })}</Text>
            <Text size="sm">{t("integrations.durationMs", { ms: delivery.duration_ms })}</Text>
          </Group>
          <Text size="sm">
            {t("integrations.log.event")}: {delivery.event_type} · <Code>{delivery.event_id}</Code>
          </Text>
          <Text size="sm">
            {t("integrations.log.configuration")}: {configurationName ?? delivery.configuration_id ?? t("integrations.log.deleted")}
          </Text>
          <Text size="sm">
            {t("integrations.log.started")}: <DateTime value={delivery.started_at} /> · {t("integrations.log.finished")}: <DateTime value={delivery.finished_at} />
          </Text>
          <Text size="sm" fw={600}>
            {t("integrations.log.response")}
          </Text>
          <Code block>{delivery.response ?? "–"}</Code>
          <Text size="sm" fw={600}>
            {t("integrations.log.error")}
          </Text>
          <Code block>{delivery.error ?? "–"}</Code>
        </Stack>
      )}
    </Modal>
  );
}

function Outcome({ outcome }: { outcome: ReplayOutcome | undefined }) {
  const { t } = useTranslation();
  if (!outcome) return null;
  if (outcome.state === "pending") return <Text size="sm">{t("integrations.log.replayPending")}</Text>;
  if (outcome.state === "queued") return <Text size="sm" c={TONES.good}>{t("integrations.log.replayQueued")}</Text>;
  return (
    <Text size="sm" c={TONES.bad}>
      {t("integrations.log.replayRefused", { reason: outcome.message })}
    </Text>
  );
}

export function DeliveriesPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("nav.deliveries"));
  const editable = useCan("config:write") === true;
  const [search, setSearch] = useSearchParams();
  const filters = filtersFromSearch(search);
  const { t: common } = useTranslation("common");
  const [watchUntil, setWatchUntil] = useState(0);
  const deliveries = useDeliveries(filters, watchUntil, WATCH_INTERVAL_MS);
  const configurations = useConfigurations();
  const names = new Map((configurations.data?.pages.flatMap((page) => page.items) ?? []).map((configuration) => [configuration.id, configuration.name]));
  const replay = useReplayDelivery();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [outcomes, setOutcomes] = useState<Record<string, ReplayOutcome>>({});
  const [tally, setTally] = useState<{ queued: number; refused: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [details, setDetails] = useState<Delivery | null>(null);
  const rows = deliveries.data?.pages.flatMap((page) => page.items) ?? [];
  const dead = rows.filter((delivery) => delivery.status === "dead" && delivery.configuration_id !== null);

  const setFilters = (next: DeliveryFilters) => {
    setSelected(new Set());
    setSearch(searchFromFilters(next), { replace: true });
  };
  const run = async (ids: string[]) => {
    setBusy(true);
    setTally(null);
    const result = await replayEach(
      ids,
      (id) => replay.mutateAsync(id),
      (id, outcome) => setOutcomes((current) => ({ ...current, [id]: outcome })),
      (error) => problemMessage(error, common),
    );
    setTally(result);
    setSelected(new Set());
    setBusy(false);
    setWatchUntil(Date.now() + WATCH_FOR_MS);
  };
  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const allDeadSelected = dead.length > 0 && dead.every((delivery) => selected.has(delivery.id));

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t("nav.deliveries")}</Title>
        <Anchor component={Link} to="/integrations">
          {t("integrations.toConfigurations")}
        </Anchor>
      </Group>
      <Text c="dimmed">{t("integrations.log.intro")}</Text>
      <Filters filters={filters} onChange={setFilters} />
      {editable && (
        <Group>
          <Button onClick={() => void run([...selected])} disabled={selected.size === 0 || busy} loading={busy}>
            {t("integrations.log.replaySelected", { count: selected.size })}
          </Button>
          {tally && (
            <Alert color={tally.refused ? "orange" : "green"} py={6} role="status">
              {t("integrations.log.replayTally", { queued: tally.queued, refused: tally.refused })}
            </Alert>
          )}
        </Group>
      )}
      <QueryState query={deliveries} isEmpty={(data) => data.pages[0]?.items.length === 0} empty={t("integrations.log.none")} lines={6}>
        {() => (
          <Stack gap="xs">
            <Table.ScrollContainer minWidth={1000}>
              <Table striped aria-label={t("nav.deliveries")}>
                <Table.Thead>
                  <Table.Tr>
                    {editable && (
                      <Table.Th>
                        <Checkbox
                          aria-label={t("integrations.log.selectAllDead")}
                          checked={allDeadSelected}
                          indeterminate={!allDeadSelected && dead.some((delivery) => selected.has(delivery.id))}
                          disabled={dead.length === 0 || busy}
                          onChange={(event) => setSelected(event.currentTarget.checked ? new Set(dead.map((delivery) => delivery.id)) : new Set())}
                        />
                      </Table.Th>
                    )}
                    <Table.Th>{t("integrations.log.started")}</Table.Th>
                    <Table.Th>{t("integrations.log.status")}</Table.Th>
                    <Table.Th>{t("integrations.log.worker")}</Table.Th>
                    <Table.Th>{t("integrations.log.configuration")}</Table.Th>
                    <Table.Th>{t("integrations.log.event")}</Table.Th>
                    <Table.Th>{t("integrations.log.order")}</Table.Th>
                    <Table.Th>{t("integrations.log.attempt")}</Table.Th>
                    <Table.Th>{t("integrations.log.duration")}</Table.Th>
                    <Table.Th>{t("integrations.log.responseOrError")}</Table.Th>
                    <Table.Th>{t("integrations.actions")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((delivery) => {
                    const replayable = delivery.status === "dead" && delivery.configuration_id !== null;
                    const configurationName = delivery.configuration_id ? names.get(delivery.configuration_id) : undefined;
                    const label = `${delivery.event_type} · ${configurationName ?? delivery.worker} · ${t("integrations.attemptOf", { attempt: delivery.attempt })}`;
                    return (
                      <Table.Tr key={delivery.id} data-delivery={delivery.id}>
                        {editable && (
                          <Table.Td>
                            {replayable && (
                              <Checkbox
                                aria-label={t("integrations.log.select", { what: label })}
                                checked={selected.has(delivery.id)}
                                disabled={busy}
                                onChange={(event) => toggle(delivery.id, event.currentTarget.checked)}
                              />
                            )}
                          </Table.Td>
                        )}
                        <Table.Td>
                          <Text size="sm">
                            <DateTime value={delivery.started_at} />
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <DeliveryStatusBadge status={delivery.status} />
                        </Table.Td>
                        <Table.Td>{t(`integrations.types.${delivery.worker}`)}</Table.Td>
                        <Table.Td>
                          {delivery.configuration_id ? (
                            <Anchor component="button" type="button" size="sm" onClick={() => setFilters({ ...filters, configuration_id: delivery.configuration_id ?? undefined })}>
                              {configurationName ?? delivery.configuration_id.slice(0, 8)}
                            </Anchor>
                          ) : (
                            <Text size="sm" c="dimmed">
                              {t("integrations.log.deleted")}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <Anchor component="button" type="button" size="sm" onClick={() => setFilters({ ...filters, event_id: delivery.event_id })} title={delivery.event_id}>
                            {delivery.event_type}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>
                          {delivery.order_id ? (
                            <Anchor component={Link} to={`/orders/${delivery.order_id}`} size="sm">
                              {delivery.order_id.slice(0, 8)}
                            </Anchor>
                          ) : (
                            "–"
                          )}
                        </Table.Td>
                        <Table.Td>{delivery.attempt}</Table.Td>
                        <Table.Td>{t("integrations.durationMs", { ms: delivery.duration_ms })}</Table.Td>
                        <Table.Td maw={280}>
                          <Text size="sm" lineClamp={2} c={delivery.error ? TONES.bad : undefined} style={{ wordBreak: "break-all" }}>
                            {delivery.error ?? delivery.response ?? "–"}
                          </Text>
                          <Outcome outcome={outcomes[delivery.id]} />
                        </Table.Td>
                        <Table.Td>
                          <Group gap={4} wrap="nowrap">
                            <Button size="compact-sm" variant="subtle" onClick={() => setDetails(delivery)} aria-label={t("integrations.log.detailsOf", { what: label })}>
                              {t("integrations.log.details")}
                            </Button>
                            {editable && replayable && (
                              <Button
                                size="compact-sm"
                                variant="light"
                                disabled={busy}
                                onClick={() => void run([delivery.id])}
                                aria-label={t("integrations.log.replayOne", { what: label })}
                              >
                                {t("integrations.log.replay")}
                              </Button>
                            )}
                          </Group>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {deliveries.hasNextPage && (
              <Group>
                <Button variant="default" onClick={() => void deliveries.fetchNextPage()} loading={deliveries.isFetchingNextPage}>
                  {t("integrations.more")}
                </Button>
              </Group>
            )}
          </Stack>
        )}
      </QueryState>
      <Details delivery={details} configurationName={details?.configuration_id ? names.get(details.configuration_id) : undefined} onClose={() => setDetails(null)} />
    </Stack>
  );
}
