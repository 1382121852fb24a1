import { Checkbox, Group, Select, SimpleGrid, Stack, Text } from "@mantine/core";
import { ProblemAlert, isProblem, isStaleEdit } from "@oms/shared";
import { type SyntheticEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ROLES, type Role, type StatusRead, type TransitionRead, useCreateTransition, useDeleteTransition, useUpdateTransition } from "../api";
import { EditorActions } from "./EditorActions";

export interface TransitionDraft {
  from_status: string;
  to_status: string;
}

/** Creates a transition (from a draft: chosen in the form, or drawn on the graph) or edits
 * the roles that may take one. */
export function TransitionEditor({
  transition,
  draft,
  statuses,
  onDone,
  onStale,
}: {
  transition: TransitionRead | null;
  draft: TransitionDraft | null;
  statuses: StatusRead[];
  onDone: () => void;
  onStale: () => void;
}) {
  const { t } = useTranslation();
  const create = useCreateTransition();
  const update = useUpdateTransition();
  const remove = useDeleteTransition();
  const [from, setFrom] = useState<string | null>(transition?.from_status ?? draft?.from_status ?? null);
  const [to, setTo] = useState<string | null>(transition?.to_status ?? draft?.to_status ?? null);
  const [roles, setRoles] = useState<Role[]>((transition?.roles as Role[] | undefined) ?? ["admin"]);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const mutation = transition ? update : create;
  const name = (code: string | null) => statuses.find((status) => status.code === code)?.name ?? code ?? "";
  const options = statuses.map((status) => ({ value: status.code, label: `${status.name} (${status.code})` }));
  const onError = (error: unknown) => {
    if (isStaleEdit(error)) onStale();
    if (isProblem(error)) setFieldErrors(error.fieldErrors);
  };
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    if (!transition) {
      if (!from) errors.from_status = t("workflow.required");
      if (!to) errors.to_status = t("workflow.required");
      else if (to === from) errors.to_status = t("workflow.transition.loop");
    }
    if (roles.length === 0) errors.roles = t("workflow.transition.rolesRequired");
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) return;
    if (transition) update.mutate({ id: transition.id, roles }, { onSuccess: onDone, onError });
    else if (from && to) create.mutate({ from_status: from, to_status: to, roles }, { onSuccess: onDone, onError });
  };
  const title = transition ? t("workflow.transition.editTitle", { from: name(transition.from_status), to: name(transition.to_status) }) : t("workflow.transition.addTitle");
  return (
    <form onSubmit={submit} noValidate aria-label={title}>
      <Stack>
        {transition ? (
          <Text>{t("workflow.transition.between", { from: name(transition.from_status), to: name(transition.to_status) })}</Text>
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select label={t("workflow.transition.from")} data={options} value={from} onChange={setFrom} required searchable error={fieldErrors.from_status} />
            <Select label={t("workflow.transition.to")} data={options} value={to} onChange={setTo} required searchable error={fieldErrors.to_status} />
          </SimpleGrid>
        )}
        <Checkbox.Group
          label={t("workflow.transition.roles")}
          description={t("workflow.transition.rolesHint")}
          value={roles}
          onChange={(value) => setRoles(value as Role[])}
          error={fieldErrors.roles}
          required
        >
          <Group mt="xs">
            {ROLES.map((role) => (
              <Checkbox key={role} value={role} label={t(`workflow.roles.${role}`)} />
            ))}
          </Group>
        </Checkbox.Group>
        {!isStaleEdit(mutation.error) && <ProblemAlert error={mutation.error} />}
        <ProblemAlert error={remove.error} />
        <EditorActions
          exists={transition !== null}
          deleteLabel={t("workflow.transition.delete")}
          createLabel={t("workflow.transition.create")}
          deleting={remove.isPending}
          saving={mutation.isPending}
          onDelete={() => transition && remove.mutate(transition.id, { onSuccess: onDone })}
          onCancel={onDone}
        />
      </Stack>
    </form>
  );
}
