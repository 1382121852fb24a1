import { Checkbox, ColorInput, Group, NumberInput, SimpleGrid, Stack, TextInput, Textarea } from "@mantine/core";
import { useForm } from "@mantine/form";
import { ProblemAlert, isProblem, isStaleEdit } from "@oms/shared";
import { useTranslation } from "react-i18next";
import { type StatusRead, useCreateStatus, useDeleteStatus, useUpdateStatus } from "../api";
import { NEW_STATUS, type StatusValues, statusChanges, statusCreate, statusValues } from "../statusForm";
import { EditorActions } from "./EditorActions";

const CODE = /^[a-z][a-z0-9_]*$/;
const COLOUR = /^#[0-9a-fA-F]{6}$/;
const SWATCHES = ["#64748b", "#2563eb", "#0891b2", "#16a34a", "#ca8a04", "#ea580c", "#dc2626", "#9333ea"];

/** Creates a status (`status` null) or edits one; `onStale` hears that someone else changed
 * it meanwhile (the fresh state is loaded by then). */
export function StatusEditor({ status, onDone, onStale }: { status: StatusRead | null; onDone: () => void; onStale: () => void }) {
  const { t } = useTranslation();
  const create = useCreateStatus();
  const update = useUpdateStatus();
  const remove = useDeleteStatus();
  const form = useForm<StatusValues>({
    initialValues: status ? statusValues(status) : NEW_STATUS,
    validate: {
      code: (value) => (CODE.test(value.trim()) ? null : t("workflow.status.codeInvalid")),
      name: (value) => (value.trim() ? null : t("workflow.required")),
      colour: (value) => (COLOUR.test(value) ? null : t("workflow.status.colourInvalid")),
      is_terminal: (value, values) => (value && values.is_initial ? t("workflow.status.initialTerminal") : null),
    },
  });
  const mutation = status ? update : create;
  const onError = (error: unknown) => {
    if (isStaleEdit(error)) onStale();
    if (isProblem(error)) form.setErrors(error.fieldErrors);
  };
  const submit = form.onSubmit((values) => {
    if (status) {
      const body = statusChanges(status, values);
      if (Object.keys(body).length === 0) return onDone();
      update.mutate({ code: status.code, body }, { onSuccess: onDone, onError });
    } else {
      create.mutate(statusCreate(values), { onSuccess: onDone, onError });
    }
  });
  return (
    <form onSubmit={submit} noValidate aria-label={status ? t("workflow.status.editTitle", { name: status.name }) : t("workflow.status.addTitle")}>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t("workflow.status.code")}
            description={t("workflow.status.codeHint")}
            required
            maxLength={50}
            autoComplete="off"
            {...form.getInputProps("code")}
          />
          <TextInput label={t("workflow.status.name")} required maxLength={100} {...form.getInputProps("name")} />
          <TextInput label={t("workflow.status.customerName")} description={t("workflow.status.customerNameHint")} maxLength={100} {...form.getInputProps("customer_name")} />
          <ColorInput
            label={t("workflow.status.colour")}
            format="hex"
            swatches={SWATCHES}
            required
            {...form.getInputProps("colour")}
          />
        </SimpleGrid>
        <Textarea label={t("workflow.status.customerDescription")} maxLength={500} autosize minRows={2} {...form.getInputProps("customer_description")} />
        <NumberInput
          label={t("workflow.status.position")}
          description={t("workflow.status.positionHint")}
          min={0}
          max={10000}
          allowDecimal={false}
          allowNegative={false}
          w={220}
          {...form.getInputProps("position")}
        />
        <Group>
          <Checkbox label={t("workflow.status.initial")} description={t("workflow.status.initialHint")} {...form.getInputProps("is_initial", { type: "checkbox" })} />
          <Checkbox label={t("workflow.status.terminal")} description={t("workflow.status.terminalHint")} {...form.getInputProps("is_terminal", { type: "checkbox" })} />
          <Checkbox label={t("workflow.status.releasesStock")} description={t("workflow.status.releasesStockHint")} {...form.getInputProps("releases_stock", { type: "checkbox" })} />
        </Group>
        {!isStaleEdit(mutation.error) && <ProblemAlert error={mutation.error} />}
        <ProblemAlert error={remove.error} />
        <EditorActions
          exists={status !== null}
          deleteLabel={t("workflow.status.delete")}
          createLabel={t("workflow.status.create")}
          deleting={remove.isPending}
          saving={mutation.isPending}
          onDelete={() => status && remove.mutate(status.code, { onSuccess: onDone })}
          onCancel={onDone}
        />
      </Stack>
    </form>
  );
}
