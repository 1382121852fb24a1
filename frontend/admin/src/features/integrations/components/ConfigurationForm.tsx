import { Button, Fieldset, Group, MultiSelect, Stack, Switch, TextInput } from "@mantine/core";
import { ProblemAlert, isProblem, isStaleEdit } from "@oms/shared";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { SchemaForm, serverErrorSchema } from "../../../lib/SchemaForm";
import {
  type Configuration,
  type ConfigurationCreate,
  EVENT_TYPES,
  type EventType,
  type WorkerType,
  useCreateConfiguration,
  useStatuses,
  useUpdateConfiguration,
} from "../api";
import { formValue, settingsSchema, settingsUiSchema } from "../settingsForm";

type Settings = Record<string, unknown>;

/** Creates a configuration of `workerType` or edits `configuration`: its name, triggers and
 * the enable switch, and the settings form generated from the worker type's schema. */
export function ConfigurationForm({
  workerType,
  configuration,
  onDone,
  onStale,
}: {
  workerType: WorkerType;
  configuration: Configuration | null;
  onDone: () => void;
  onStale: () => void;
}) {
  const { t } = useTranslation();
  const statuses = useStatuses();
  const create = useCreateConfiguration();
  const update = useUpdateConfiguration();
  const [name, setName] = useState(configuration?.name ?? "");
  const [enabled, setEnabled] = useState(configuration?.enabled ?? true);
  const [events, setEvents] = useState<EventType[]>(configuration?.trigger_events ?? []);
  const [triggerStatuses, setTriggerStatuses] = useState<string[]>(configuration?.trigger_statuses ?? []);
  const [settings, setSettings] = useState<Settings>(configuration ? formValue(configuration.settings) : {});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const schema = useMemo(() => settingsSchema(workerType), [workerType]);
  const uiSchema = useMemo(
    () =>
      settingsUiSchema(schema, (field, part, fallback) =>
        t(`integrations.settings.${workerType}.${field}.${part}`, { defaultValue: fallback }),
      ),
    [schema, workerType, t],
  );
  const mutation = configuration ? update : create;
  const statusOptions = (statuses.data ?? []).map((status) => ({ value: status.code, label: `${status.name} (${status.code})` }));
  // A trigger on a status since deleted stays choosable, so that it can be removed.
  for (const code of triggerStatuses) if (!statusOptions.some((option) => option.value === code)) statusOptions.push({ value: code, label: code });

  const onError = (error: unknown) => {
    if (isStaleEdit(error)) onStale();
    if (isProblem(error)) setErrors(error.fieldErrors);
  };
  const submit = () => {
    if (!name.trim()) return setErrors({ name: t("integrations.required") });
    setErrors({});
    const common = { name: name.trim(), enabled, trigger_events: events, trigger_statuses: triggerStatuses };
    if (configuration) {
      update.mutate(
        { id: configuration.id, body: { worker_type: workerType, ...common, settings } as never },
        { onSuccess: onDone, onError },
      );
    } else {
      create.mutate({ worker_type: workerType, ...common, settings } as ConfigurationCreate, { onSuccess: onDone, onError });
    }
  };
  const formId = `settings-${workerType}`;
  return (
    // Not a <form>: the generated settings form is one of its own, and forms do not nest.
    <Stack role="group" aria-label={configuration ? t("integrations.editTitle", { name: configuration.name }) : t(`integrations.addTitle.${workerType}`)}>
        <TextInput label={t("integrations.name")} required maxLength={200} value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} />
        <Switch label={t("integrations.enabled")} description={t("integrations.enabledHint")} checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
        <MultiSelect
          label={t("integrations.triggerStatuses")}
          description={t("integrations.triggerStatusesHint")}
          placeholder={triggerStatuses.length ? undefined : t("integrations.anyStatus")}
          data={statusOptions}
          value={triggerStatuses}
          onChange={setTriggerStatuses}
          searchable
          clearable
          error={errors.trigger_statuses ?? Object.entries(errors).find(([field]) => field.startsWith("trigger_statuses."))?.[1]}
        />
        <MultiSelect
          label={t("integrations.triggerEvents")}
          description={t("integrations.triggerEventsHint")}
          placeholder={events.length ? undefined : t("integrations.anyEvent")}
          data={EVENT_TYPES.map((type) => ({ value: type, label: t(`integrations.events.${type}`) }))}
          value={events}
          onChange={(value) => setEvents(value as EventType[])}
          clearable
          error={errors.trigger_events}
        />
        <Fieldset legend={t("integrations.settingsLegend")}>
          <SchemaForm<Settings>
            id={formId}
            schema={schema}
            uiSchema={uiSchema}
            value={settings}
            onChange={setSettings}
            serverErrors={serverErrorSchema(errors, "settings")}
          />
        </Fieldset>
        {!isStaleEdit(mutation.error) && <ProblemAlert error={mutation.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t("integrations.cancel")}
          </Button>
          <Button onClick={submit} loading={mutation.isPending}>
            {configuration ? t("integrations.save") : t("integrations.create")}
          </Button>
        </Group>
    </Stack>
  );
}
