import { Anchor, Button, PasswordInput, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { AuthCard, ProblemAlert, bodyOf, isProblem, useApi, useServices } from "@oms/shared";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { MIN_PASSWORD_LENGTH } from "../../../lib/passwords";

interface SignUpValues {
  full_name: string;
  email: string;
  password: string;
  confirm: string;
}

export function SignUpPage() {
  const { t } = useTranslation();
  const { config, auth } = useServices();
  const api = useApi();
  const navigate = useNavigate();
  const form = useForm<SignUpValues>({
    initialValues: { full_name: "", email: "", password: "", confirm: "" },
    validate: {
      full_name: (value) => (value.length > 200 ? t("address.tooLong", { max: 200 }) : null),
      email: (value) => (/^\S+@\S+\.\S+$/.test(value.trim()) ? null : t("auth.emailInvalid")),
      password: (value) => (value.length < MIN_PASSWORD_LENGTH ? t("auth.passwordTooShort", { count: MIN_PASSWORD_LENGTH }) : null),
      confirm: (value, values) => (value === values.password ? null : t("auth.passwordsDiffer")),
    },
  });
  const signUp = useMutation({
    mutationFn: async ({ full_name, email, password }: SignUpValues) => {
      await bodyOf(api.POST("/api/v1/auth/register", { body: { full_name: full_name.trim(), email: email.trim(), password } }));
      if (auth.mode === "local") await auth.signIn(email.trim(), password);
    },
    onSuccess: () => navigate("/", { replace: true }),
    onError: (error) => isProblem(error) && form.setErrors(error.fieldErrors),
  });
  if (!config.registration_enabled || auth.mode !== "local") {
    return (
      <AuthCard title={t("auth.signUpTitle")}>
        <Text>{t("auth.registrationClosed")}</Text>
        <Anchor component={Link} to="/sign-in">
          {t("auth.haveAccount")}
        </Anchor>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t("auth.signUpTitle")}>
      <form onSubmit={form.onSubmit((values) => signUp.mutate(values))} noValidate>
        <Stack>
          <TextInput label={t("account.fullName")} autoComplete="name" {...form.getInputProps("full_name")} />
          <TextInput label={t("auth.email")} type="email" autoComplete="email" required {...form.getInputProps("email")} />
          <PasswordInput
            label={t("auth.password")}
            description={t("auth.passwordHint", { count: MIN_PASSWORD_LENGTH })}
            autoComplete="new-password"
            required
            {...form.getInputProps("password")}
          />
          <PasswordInput label={t("auth.confirmPassword")} autoComplete="new-password" required {...form.getInputProps("confirm")} />
          <ProblemAlert error={signUp.error} />
          <Button type="submit" loading={signUp.isPending}>
            {t("auth.signUp")}
          </Button>
          <Anchor component={Link} to="/sign-in" size="sm">
            {t("auth.haveAccount")}
          </Anchor>
        </Stack>
      </form>
    </AuthCard>
  );
}
