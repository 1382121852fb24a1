import { Anchor, Autocomplete, Badge, Button, Group, Stack, Table, Text, TextInput, Title, UnstyledButton } from "@mantine/core";
import { useForm } from "@mantine/form";
import { DateTime, ErrorState, LoadingState, ProblemAlert, useDocumentTitle } from "@oms/shared";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { type AuditEntry, useAuditLog, useExportAudit } from "../api";
import { type AuditFilter, ENTITIES, EMPTY_FILTER, filterFromSearch, isActorId, localOfMoment, momentOfLocal, searchOfFilter } from "../filters";
import { EntryDiff } from "./EntryDiff";

interface FilterValues {
  actor: string;
  entity: string;
  entity_id: string;
  action: string;
  since: string;
  until: string;
}

function toValues(filter: AuditFilter): FilterValues {
  return { ...filter, since: localOfMoment(filter.since), until: localOfMoment(filter.until) };
}

function Filters({ filter, onApply }: { filter: AuditFilter; onApply: (filter: AuditFilter) => void }) {
  const { t } = useTranslation();
  const form = useForm<FilterValues>({
    initialValues: toValues(filter),
    validate: { actor: (value) => (value.trim() === "" || isActorId(value) ? null : t("audit.actorInvalid")) },
  });
  const { setValues } = form;
  const key = searchOfFilter(filter).toString();
  useEffect(() => {
    setValues(toValues(filter));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- when the address's filter changes
  }, [key]);
  return (
    <form
      role="search"
      aria-label={t("audit.filters")}
      noValidate
      onSubmit={form.onSubmit((values) => onApply({ ...values, since: momentOfLocal(values.since), until: momentOfLocal(values.until) }))}
    >
      <Group align="flex-end" gap="sm">
        <TextInput label={t("audit.actor")} placeholder={t("audit.actorPlaceholder")} w={300} {...form.getInputProps("actor")} />
        <Autocomplete label={t("audit.entity")} data={ENTITIES} w={190} maxLength={64} {...form.getInputProps("entity")} />
        <TextInput label={t("audit.entityId")} w={200} maxLength={400} {...form.getInputProps("entity_id")} />
        <TextInput label={t("audit.action")} placeholder="user.updated" w={190} maxLength={64} {...form.getInputProps("action")} />
        <TextInput type="datetime-local" label={t("audit.since")} w={210} {...form.getInputProps("since")} />
        <TextInput type="datetime-local" label={t("audit.until")} w={210} {...form.getInputProps("until")} />
        <Button type="submit">{t("audit.apply")}</Button>
        <Button variant="default" onClick={() => onApply(EMPTY_FILTER)}>
          {t("audit.clear")}
        </Button>
      </Group>
    </form>
  );
}

function EntryRow({ entry, onFilter }: { entry: AuditEntry; onFilter: (change: Partial<AuditFilter>) => void }) {
  const { t } = useTranslation();
  return (
    <Table.Tr>
      <Table.Td style={{ whiteSpace: "nowrap" }}>
        <DateTime value={entry.at} />
      </Table.Td>
      <Table.Td>
        {entry.actor_id ? (
          <Anchor component="button" type="button" size="sm" onClick={() => onFilter({ actor: entry.actor_id ?? "" })} title={t("audit.byThisActor")}>
            {entry.actor_email ?? entry.actor_id}
          </Anchor>
        ) : (
          <Text size="sm" c="dimmed">
            {t(`audit.origin.${entry.origin}`)}
          </Text>
        )}
        {entry.address && (
          <Text size="xs" c="dimmed">
            {entry.address}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <UnstyledButton onClick={() => onFilter({ action: entry.action })} title={t("audit.thisAction")}>
          {/* The whole action, never cut short: it is what the entry is. */}
          <Badge variant="light" tt="none" styles={{ label: { overflow: "visible" } }}>
            {entry.action}
          </Badge>
        </UnstyledButton>
      </Table.Td>
      <Table.Td>
        <Anchor component="button" type="button" size="sm" onClick={() => onFilter({ entity: entry.entity, entity_id: entry.entity_id })} title={t("audit.thisEntity")}>
          {entry.entity}
        </Anchor>
        <Text size="xs" c="dimmed" style={{ wordBreak: "break-all" }}>
          {entry.entity_id}
        </Text>
      </Table.Td>
      <Table.Td miw={320}>
        <EntryDiff entry={entry} />
      </Table.Td>
    </Table.Tr>
  );
}

export function AuditPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("nav.audit"));
  const [search, setSearch] = useSearchParams();
  const filter = filterFromSearch(search);
  const log = useAuditLog(filter);
  const exporter = useExportAudit();
  const apply = (next: AuditFilter) => setSearch(searchOfFilter(next));
  const entries = log.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t("nav.audit")}</Title>
        <Button variant="default" loading={exporter.isPending} onClick={() => exporter.mutate(filter)}>
          {t("audit.export")}
        </Button>
      </Group>
      <ProblemAlert error={exporter.error} />
      <Filters filter={filter} onApply={apply} />
      {log.isPending ? (
        <LoadingState lines={8} />
      ) : log.isError ? (
        <ErrorState error={log.error} onRetry={() => void log.refetch()} />
      ) : entries.length === 0 ? (
        <Text c="dimmed">{t("audit.none")}</Text>
      ) : (
        <Table.ScrollContainer minWidth={960}>
          <Table striped verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("audit.at")}</Table.Th>
                <Table.Th>{t("audit.who")}</Table.Th>
                <Table.Th>{t("audit.action")}</Table.Th>
                <Table.Th>{t("audit.what")}</Table.Th>
                <Table.Th>{t("audit.change")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((entry) => (
                <EntryRow key={entry.id} entry={entry} onFilter={(change) => apply({ ...filter, ...change })} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {log.hasNextPage && (
        <Group>
          <Button variant="default" loading={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
            {t("audit.more")}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
