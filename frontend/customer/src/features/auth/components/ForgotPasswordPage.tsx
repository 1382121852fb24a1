import { Alert, Anchor, Button, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { AuthCard, ProblemAlert, bodyOf, useApi, useServices } from "@oms/shared";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const api = useApi();
  const { config } = useServices();
  const form = useForm({
    initialValues: { email: "" },
    validate: { email: (value) => (/^\S+@\S+$/.test(value.trim()) ? null : t("auth.emailInvalid")) },
  });
  const request = useMutation({
    mutationFn: (email: string) => bodyOf(api.POST("/api/v1/auth/password-reset", { body: { email } })),
  });
  if (!config.password_reset_enabled) {
    return (
      <AuthCard title={t("auth.forgotTitle")}>
        <Text>{t("auth.resetUnavailable")}</Text>
        <Anchor component={Link} to="/sign-in">
          {t("auth.backToSignIn")}
        </Anchor>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t("auth.forgotTitle")}>
      {request.isSuccess ? (
        <Alert color="green" role="status">
          {t("auth.resetSent")}
        </Alert>
      ) : (
        <form onSubmit={form.onSubmit(({ email }) => request.mutate(email.trim()))} noValidate>
          <Stack>
            <Text size="sm">{t("auth.forgotText")}</Text>
            <TextInput label={t("auth.email")} type="email" autoComplete="email" required {...form.getInputProps("email")} />
            <ProblemAlert error={request.error} />
            <Button type="submit" loading={request.isPending}>
              {t("auth.sendResetLink")}
            </Button>
          </Stack>
        </form>
      )}
      <Anchor component={Link} to="/sign-in" size="sm">
        {t("auth.backToSignIn")}
      </Anchor>
    </AuthCard>
  );
}
