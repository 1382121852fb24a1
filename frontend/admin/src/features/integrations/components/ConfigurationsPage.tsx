import { Alert, Anchor, Badge, Button, Group, Modal, Stack, Switch, Table, Tabs, Text, Title } from "@mantine/core";
import { DateTime, ProblemAlert, QueryState, useDocumentTitle } from "@oms/shared";
import type { TFunction } from "i18next";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useCan } from "../../../app/access";
import { type Configuration, WORKER_TYPES, type WorkerType, useConfigurations, useDeleteConfiguration, useUpdateConfiguration } from "../api";
import { formValue } from "../settingsForm";
import { ConfigurationForm } from "./ConfigurationForm";
import { TestFire } from "./TestFire";

type Dialog = { kind: "edit"; id: string | null } | { kind: "test"; id: string } | { kind: "delete"; id: string };

/** What a configuration's settings amount to, in a line. */
function summary(configuration: Configuration, t: TFunction): string {
  switch (configuration.worker_type) {
    case "webhook":
      return configuration.settings.url;
    case "inventory": {
      // Its schema's either-or makes the generated type unknown: read it as plain data.
      const settings = formValue(configuration.settings);
      if (typeof settings.warehouse_url === "string") return settings.warehouse_url;
      return settings.apply_locally === true ? t("integrations.locally") : "";
    }
    case "email":
      return [configuration.settings.send_to_customer ? t("integrations.theCustomer") : null, ...configuration.settings.recipients]
        .filter(Boolean)
        .join(", ");
  }
}

function EnabledSwitch({ configuration, editable }: { configuration: Configuration; editable: boolean }) {
  const { t } = useTranslation();
  const update = useUpdateConfiguration();
  return (
    <Stack gap={2}>
      <Switch
        checked={configuration.enabled}
        disabled={!editable || update.isPending}
        aria-label={t("integrations.enabledNamed", { name: configuration.name })}
        onChange={(event) =>
          update.mutate({ id: configuration.id, body: { worker_type: configuration.worker_type, enabled: event.currentTarget.checked } })
        }
      />
      <ProblemAlert error={update.error} />
    </Stack>
  );
}

function ConfigurationList({ workerType, editable, onOpen }: { workerType: WorkerType; editable: boolean; onOpen: (dialog: Dialog) => void }) {
  const { t } = useTranslation();
  const configurations = useConfigurations(workerType);
  return (
    <QueryState query={configurations} isEmpty={(data) => data.pages[0]?.items.length === 0} empty={t(`integrations.none.${workerType}`)}>
      {(data) => (
        <Stack gap="xs">
          <Table.ScrollContainer minWidth={820}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("integrations.name")}</Table.Th>
                  <Table.Th>{t("integrations.enabled")}</Table.Th>
                  <Table.Th>{t("integrations.triggerStatuses")}</Table.Th>
                  <Table.Th>{t("integrations.triggerEvents")}</Table.Th>
                  <Table.Th>{t(`integrations.summary.${workerType}`)}</Table.Th>
                  <Table.Th>{t("integrations.updated")}</Table.Th>
                  <Table.Th>{t("integrations.actions")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.pages
                  .flatMap((page) => page.items)
                  .map((configuration) => (
                    <Table.Tr key={configuration.id}>
                      <Table.Td fw={600}>{configuration.name}</Table.Td>
                      <Table.Td>
                        <EnabledSwitch configuration={configuration} editable={editable} />
                      </Table.Td>
                      <Table.Td>
                        {configuration.trigger_statuses.length === 0 ? (
                          <Text size="sm" c="dimmed">
                            {t("integrations.anyStatus")}
                          </Text>
                        ) : (
                          <Group gap={4}>
                            {configuration.trigger_statuses.map((code) => (
                              <Badge key={code} variant="outline" size="sm">
                                {code}
                              </Badge>
                            ))}
                          </Group>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          {configuration.trigger_events.length === 0
                            ? t("integrations.anyEvent")
                            : configuration.trigger_events.map((event) => t(`integrations.events.${event}`)).join(", ")}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" style={{ wordBreak: "break-all" }}>
                          {summary(configuration, t)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          <DateTime value={configuration.updated_at} />
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          {editable && (
                            <>
                              <Button size="compact-sm" variant="light" onClick={() => onOpen({ kind: "edit", id: configuration.id })} aria-label={t("integrations.editTitle", { name: configuration.name })}>
                                {t("integrations.edit")}
                              </Button>
                              <Button size="compact-sm" variant="light" onClick={() => onOpen({ kind: "test", id: configuration.id })} aria-label={t("integrations.test.titleNamed", { name: configuration.name })}>
                                {t("integrations.test.button")}
                              </Button>
                            </>
                          )}
                          <Button
                            size="compact-sm"
                            variant="subtle"
                            component={Link}
                            to={`/deliveries?configuration_id=${configuration.id}`}
                            aria-label={t("integrations.deliveriesOf", { name: configuration.name })}
                          >
                            {t("integrations.deliveries")}
                          </Button>
                          {editable && (
                            <Button size="compact-sm" variant="subtle" color="red" onClick={() => onOpen({ kind: "delete", id: configuration.id })} aria-label={t("integrations.deleteNamed", { name: configuration.name })}>
                              {t("integrations.delete")}
                            </Button>
                          )}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {configurations.hasNextPage && (
            <Group>
              <Button variant="default" onClick={() => void configurations.fetchNextPage()} loading={configurations.isFetchingNextPage}>
                {t("integrations.more")}
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </QueryState>
  );
}

function DeleteConfiguration({ configuration, onDone }: { configuration: Configuration; onDone: () => void }) {
  const { t } = useTranslation();
  const remove = useDeleteConfiguration();
  return (
    <Stack>
      <Text>{t("integrations.deleteQuestion", { name: configuration.name })}</Text>
      <ProblemAlert error={remove.error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {t("integrations.cancel")}
        </Button>
        <Button color="red" loading={remove.isPending} onClick={() => remove.mutate(configuration.id, { onSuccess: onDone })}>
          {t("integrations.delete")}
        </Button>
      </Group>
    </Stack>
  );
}

function Dialogs({ workerType, dialog, onClose }: { workerType: WorkerType; dialog: Dialog | null; onClose: () => void }) {
  const { t } = useTranslation();
  const configurations = useConfigurations(workerType);
  const [stale, setStale] = useState(false);
  const close = () => {
    setStale(false);
    onClose();
  };
  const configuration =
    dialog && dialog.id ? (configurations.data?.pages.flatMap((page) => page.items).find((candidate) => candidate.id === dialog.id) ?? null) : null;
  const title =
    dialog?.kind === "test"
      ? t("integrations.test.titleNamed", { name: configuration?.name ?? "" })
      : dialog?.kind === "delete"
        ? t("integrations.deleteNamed", { name: configuration?.name ?? "" })
        : configuration
          ? t("integrations.editTitle", { name: configuration.name })
          : t(`integrations.addTitle.${workerType}`);
  const missing = dialog !== null && dialog.id !== null && configuration === null;
  return (
    <Modal opened={dialog !== null} onClose={close} title={title} size="xl">
      {stale && (
        <Alert color="yellow" mb="sm" role="alert">
          {t("integrations.stale")}
        </Alert>
      )}
      {missing ? (
        <Alert color="yellow" role="alert">
          {t("integrations.gone")}
        </Alert>
      ) : dialog?.kind === "edit" ? (
        <ConfigurationForm
          key={configuration ? `${configuration.id}-${configuration.updated_at}` : "new"}
          workerType={workerType}
          configuration={configuration}
          onDone={close}
          onStale={() => setStale(true)}
        />
      ) : dialog?.kind === "test" && configuration ? (
        <TestFire configuration={configuration} />
      ) : dialog?.kind === "delete" && configuration ? (
        <DeleteConfiguration configuration={configuration} onDone={close} />
      ) : null}
    </Modal>
  );
}

export function ConfigurationsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("nav.integrations"));
  const editable = useCan("config:write") === true;
  const [search, setSearch] = useSearchParams();
  const requested = search.get("type");
  const workerType: WorkerType = WORKER_TYPES.find((type) => type === requested) ?? "webhook";
  const [dialog, setDialog] = useState<Dialog | null>(null);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t("nav.integrations")}</Title>
        <Anchor component={Link} to="/deliveries">
          {t("integrations.toLog")}
        </Anchor>
      </Group>
      <Text c="dimmed">{t("integrations.intro")}</Text>
      <Tabs value={workerType} onChange={(value) => value && setSearch({ type: value }, { replace: true })} keepMounted={false}>
        <Tabs.List>
          {WORKER_TYPES.map((type) => (
            <Tabs.Tab key={type} value={type}>
              {t(`integrations.types.${type}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {WORKER_TYPES.map((type) => (
          <Tabs.Panel key={type} value={type} pt="md">
            <Stack>
              <Group justify="space-between">
                <Text size="sm">{t(`integrations.typeHelp.${type}`)}</Text>
                {editable && <Button onClick={() => setDialog({ kind: "edit", id: null })}>{t(`integrations.add.${type}`)}</Button>}
              </Group>
              <ConfigurationList workerType={type} editable={editable} onOpen={setDialog} />
            </Stack>
          </Tabs.Panel>
        ))}
      </Tabs>
      <Dialogs workerType={workerType} dialog={dialog} onClose={() => setDialog(null)} />
    </Stack>
  );
}
