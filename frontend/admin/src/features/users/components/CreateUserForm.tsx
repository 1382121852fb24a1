import { Button, Checkbox, Group, PasswordInput, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { IdempotencyKeys, ProblemAlert, isProblem } from "@oms/shared";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type User, useCreateUser } from "../api";
import { ROLES, type Role } from "../filters";

const MIN_PASSWORD = 12;

export function CreateUserForm({ onCreated, onCancel }: { onCreated: (user: User) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const create = useCreateUser();
  const [keys] = useState(() => new IdempotencyKeys());
  const form = useForm({
    initialValues: { email: "", full_name: "", password: "", roles: ["manager"] as Role[] },
    validate: {
      email: (value) => (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim()) ? null : t("users.problems.email")),
      password: (value) => (value.length >= MIN_PASSWORD ? null : t("users.problems.password", { min: MIN_PASSWORD })),
      full_name: (value) => (value.trim().length > 200 ? t("users.problems.tooLong") : null),
      roles: (value) => (value.length > 0 ? null : t("users.problems.roles")),
    },
  });
  const submit = form.onSubmit((values) => {
    const body = { email: values.email.trim(), full_name: values.full_name.trim(), password: values.password, roles: values.roles };
    create.mutate(
      { body, key: keys.keyFor(JSON.stringify(body)) },
      {
        onSuccess: (user) => {
          keys.settle();
          onCreated(user);
        },
        onError: (error) => isProblem(error) && form.setErrors(error.fieldErrors),
      },
    );
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput label={t("users.email")} type="email" required autoComplete="off" {...form.getInputProps("email")} />
        <TextInput label={t("users.fullName")} autoComplete="off" {...form.getInputProps("full_name")} />
        <PasswordInput
          label={t("users.password")}
          description={t("users.passwordHint", { min: MIN_PASSWORD })}
          required
          autoComplete="new-password"
          {...form.getInputProps("password")}
        />
        <Checkbox.Group label={t("users.roles")} required {...form.getInputProps("roles")}>
          <Group mt="xs">
            {ROLES.map((role) => (
              <Checkbox key={role} value={role} label={t(`users.role.${role}`)} />
            ))}
          </Group>
        </Checkbox.Group>
        <ProblemAlert error={create.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t("users.cancel")}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t("users.create")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
