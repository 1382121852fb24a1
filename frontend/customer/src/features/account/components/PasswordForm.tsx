import { Button, Card, Group, PasswordInput, Stack, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { ProblemAlert, isProblem } from "@oms/shared";
import { useTranslation } from "react-i18next";
import { MIN_PASSWORD_LENGTH } from "../../../lib/passwords";
import { useChangePassword } from "../api";

// Said at the field it is about, not above the form.
const WRONG_CURRENT_PASSWORD = "wrong-current-password";

export function PasswordForm({ email }: { email: string }) {
  const { t } = useTranslation();
  const update = useChangePassword();
  const form = useForm({
    initialValues: { current_password: "", new_password: "", confirm: "" },
    validate: {
      current_password: (value) => (value ? null : t("address.required")),
      new_password: (value) => (value.length < MIN_PASSWORD_LENGTH ? t("auth.passwordTooShort", { count: MIN_PASSWORD_LENGTH }) : null),
      confirm: (value, values) => (value === values.new_password ? null : t("auth.passwordsDiffer")),
    },
  });
  const submit = form.onSubmit(({ current_password, new_password }) =>
    update.mutate(
      { email, current_password, new_password },
      {
        onSuccess: () => {
          form.reset();
          notifications.show({ message: t("account.passwordChanged"), color: "green" });
        },
        onError: (error) => {
          if (!isProblem(error)) return;
          if (error.slug === WRONG_CURRENT_PASSWORD) form.setFieldError("current_password", t("account.wrongCurrentPassword"));
          else form.setErrors(error.fieldErrors);
        },
      },
    ),
  );
  return (
    <Card withBorder component="section" aria-labelledby="password-title">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={3} size="h4" id="password-title">
            {t("account.password")}
          </Title>
          <PasswordInput label={t("account.currentPassword")} autoComplete="current-password" {...form.getInputProps("current_password")} />
          <PasswordInput label={t("account.newPassword")} autoComplete="new-password" {...form.getInputProps("new_password")} />
          <PasswordInput label={t("auth.confirmPassword")} autoComplete="new-password" {...form.getInputProps("confirm")} />
          {!(isProblem(update.error) && update.error.slug === WRONG_CURRENT_PASSWORD) && <ProblemAlert error={update.error} />}
          <Group>
            <Button type="submit" loading={update.isPending}>
              {t("account.changePassword")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
