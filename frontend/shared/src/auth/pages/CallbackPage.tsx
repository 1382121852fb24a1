import { Center, Loader } from "@mantine/core";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useNavigate } from "react-router";
import { ProblemAlert } from "../../components/ProblemAlert";
import { safeReturnTo } from "../returnTo";
import { useServices } from "../ServicesProvider";

/** Where the OpenID provider sends the browser back with the authorization code. */
export function CallbackPage() {
  const { t } = useTranslation("common");
  const { auth } = useServices();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const started = useRef(false);
  useEffect(() => {
    if (auth.mode !== "oidc" || started.current) return;
    started.current = true;
    auth
      .completeSignIn()
      .then((returnTo) => navigate(safeReturnTo(returnTo), { replace: true }))
      .catch((caught: unknown) => setError(caught));
  }, [auth, navigate]);
  if (auth.mode !== "oidc") return <Navigate to="/" replace />;
  if (error) return <ProblemAlert error={error} title={t("auth.callbackFailed")} />;
  return (
    <Center py="xl">
      <Loader role="status" aria-label={t("auth.signingIn")} />
    </Center>
  );
}
