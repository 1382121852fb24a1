import { Anchor, Button, Group, PasswordInput, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMutation } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { isProblem } from "../../api/problem";
import { ProblemAlert } from "../../components/ProblemAlert";
import type { LocalSession } from "../localSession";
import { safeReturnTo } from "../returnTo";
import { useAuthStatus, useServices } from "../ServicesProvider";
import { AuthCard } from "./AuthCard";

/** Where the sign-in form links to, when the app offers it. */
export interface SignInLinks {
  /** The forgotten-password page (the customer app's, for staff too). */
  forgotPassword?: string;
  /** The sign-up page: only the customer app has one. */
  signUp?: string;
}

function signInMessage(error: unknown, t: TFunction): string | null {
  if (!isProblem(error)) return null;
  if (error.status === 401) return t("auth.wrongCredentials");
  if (error.status === 429) {
    const seconds = Number(error.problem.retry_after);
    return t("auth.tooManyAttempts", { count: Number.isFinite(seconds) ? seconds : 60 });
  }
  return null;
}

function LocalSignIn({ session, returnTo, links }: { session: LocalSession; returnTo: string; links: SignInLinks }) {
  const { t } = useTranslation("common");
  const { config } = useServices();
  const navigate = useNavigate();
  const form = useForm({
    initialValues: { email: "", password: "" },
    validate: {
      email: (value) => (/^\S+@\S+$/.test(value.trim()) ? null : t("auth.emailInvalid")),
      password: (value) => (value ? null : t("auth.required")),
    },
  });
  const signIn = useMutation({
    mutationFn: ({ email, password }: { email: string; password: string }) => session.signIn(email.trim(), password),
    onSuccess: () => navigate(returnTo, { replace: true }),
  });
  const message = signInMessage(signIn.error, t);
  return (
    <form onSubmit={form.onSubmit((values) => signIn.mutate(values))} noValidate>
      <Stack>
        <TextInput label={t("auth.email")} type="email" autoComplete="username" required {...form.getInputProps("email")} />
        <PasswordInput label={t("auth.password")} autoComplete="current-password" required {...form.getInputProps("password")} />
        {message ? (
          <Text c="red" role="alert" size="sm">
            {message}
          </Text>
        ) : (
          <ProblemAlert error={signIn.error} />
        )}
        <Button type="submit" loading={signIn.isPending}>
          {t("auth.signIn")}
        </Button>
        <Group justify="space-between">
          {config.password_reset_enabled && links.forgotPassword && (
            <Anchor href={links.forgotPassword} size="sm">
              {t("auth.forgotPassword")}
            </Anchor>
          )}
          {config.registration_enabled && links.signUp && (
            <Anchor component={Link} to={links.signUp} size="sm">
              {t("auth.noAccount")}
            </Anchor>
          )}
        </Group>
      </Stack>
    </form>
  );
}

export function SignInPage({ links = {} }: { links?: SignInLinks }) {
  const { t } = useTranslation("common");
  const { auth } = useServices();
  const status = useAuthStatus();
  const [params] = useSearchParams();
  const returnTo = safeReturnTo(params.get("returnTo"));
  const redirecting = useRef(false);
  // Sent here from a page (or a reload, which forgets the in-memory tokens): go straight to
  // the provider, whose own session brings the user back without a form.
  const fromPage = params.has("returnTo");
  useEffect(() => {
    if (auth.mode !== "oidc" || !fromPage || status !== "signed-out" || redirecting.current) return;
    redirecting.current = true;
    void auth.signIn(returnTo);
  }, [auth, fromPage, returnTo, status]);
  if (status === "signed-in") return <Navigate to={returnTo} replace />;
  return (
    <AuthCard title={t("auth.signInTitle")}>
      {auth.mode === "local" ? (
        <LocalSignIn session={auth} returnTo={returnTo} links={links} />
      ) : (
        <Button onClick={() => void auth.signIn(returnTo)}>{t("auth.continueWithProvider")}</Button>
      )}
    </AuthCard>
  );
}
