import { Alert, Anchor, Button, PasswordInput, Stack } from "@mantine/core";
import { useForm } from "@mantine/form";
import { AuthCard, ProblemAlert, bodyOf, isProblem, useApi } from "@oms/shared";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { MIN_PASSWORD_LENGTH } from "../../../lib/passwords";

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const api = useApi();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const form = useForm({
    initialValues: { password: "", confirm: "" },
    validate: {
      password: (value) => (value.length < MIN_PASSWORD_LENGTH ? t("auth.passwordTooShort", { count: MIN_PASSWORD_LENGTH }) : null),
      confirm: (value, values) => (value === values.password ? null : t("auth.passwordsDiffer")),
    },
  });
  const reset = useMutation({
    mutationFn: (password: string) => bodyOf(api.POST("/api/v1/auth/password-reset/confirm", { body: { token, password } })),
    onError: (error) => isProblem(error) && form.setErrors(error.fieldErrors),
  });
  const invalidToken = !token || (isProblem(reset.error) && reset.error.slug === "invalid-reset-token");
  return (
    <AuthCard title={t("auth.resetTitle")}>
      {reset.isSuccess ? (
        <Alert color="green" role="status">
          {t("auth.resetDone")}
        </Alert>
      ) : invalidToken ? (
        <Alert color="red" role="alert">
          {t("auth.resetInvalid")}{" "}
          <Anchor component={Link} to="/forgot-password">
            {t("auth.requestNewLink")}
          </Anchor>
        </Alert>
      ) : (
        <form onSubmit={form.onSubmit(({ password }) => reset.mutate(password))} noValidate>
          <Stack>
            <PasswordInput
              label={t("account.newPassword")}
              description={t("auth.passwordHint", { count: MIN_PASSWORD_LENGTH })}
              autoComplete="new-password"
              required
              {...form.getInputProps("password")}
            />
            <PasswordInput label={t("auth.confirmPassword")} autoComplete="new-password" required {...form.getInputProps("confirm")} />
            <ProblemAlert error={reset.error} />
            <Button type="submit" loading={reset.isPending}>
              {t("auth.setPassword")}
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
