import { Button, Stack, Text, Title } from "@mantine/core";
import { LoadingState, type Schema, useMe, useServices } from "@oms/shared";
import { useTranslation } from "react-i18next";
import { Outlet } from "react-router";

export type Permission = Schema<"Permission">;

/** Staff's way in: whoever may read every order. */
export const STAFF: Permission = "orders:read-all";

/** Whether the signed-in user holds `permission` (undefined while their profile loads). The
 * API decides for itself; this only hides what it would refuse. */
export function useCan(permission: Permission): boolean | undefined {
  const { data } = useMe();
  return data ? data.permissions.includes(permission) : undefined;
}

export function NoAccess() {
  const { t } = useTranslation();
  const { auth } = useServices();
  return (
    <Stack align="flex-start" role="alert">
      <Title order={2}>{t("access.deniedTitle")}</Title>
      <Text>{t("access.deniedText")}</Text>
      <Button variant="light" onClick={() => void auth.signOut()}>
        {t("nav.signOut")}
      </Button>
    </Stack>
  );
}

/** Renders its routes only for a user who holds `permission`. */
export function RequirePermission({ permission }: { permission: Permission }) {
  const allowed = useCan(permission);
  if (allowed === undefined) return <LoadingState />;
  return allowed ? <Outlet /> : <NoAccess />;
}
