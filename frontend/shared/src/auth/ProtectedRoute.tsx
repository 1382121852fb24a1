import { Center, Loader } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Navigate, Outlet, useLocation } from "react-router";
import { useAuthStatus } from "./ServicesProvider";

/** Renders its routes for a signed-in user; sends anyone else to sign in and back. */
export function ProtectedRoute() {
  const status = useAuthStatus();
  const location = useLocation();
  const { t } = useTranslation("common");
  if (status === "restoring") {
    return (
      <Center py="xl">
        <Loader role="status" aria-label={t("loading")} />
      </Center>
    );
  }
  if (status === "signed-out") {
    const returnTo = location.pathname + location.search;
    return <Navigate to={`/sign-in?returnTo=${encodeURIComponent(returnTo)}`} replace />;
  }
  return <Outlet />;
}
