import { Button, Checkbox, Group, Stack, Text } from "@mantine/core";
import { ProblemAlert } from "@oms/shared";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type User, useUpdateUser } from "../api";
import { ROLES, type Role } from "../filters";

export function RolesForm({ user, onDone }: { user: User; onDone: () => void }) {
  const { t } = useTranslation();
  const update = useUpdateUser();
  const [roles, setRoles] = useState<Role[]>(user.roles);
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (roles.length === 0) return;
        update.mutate({ id: user.id, body: { roles } }, { onSuccess: onDone });
      }}
    >
      <Stack>
        <Text size="sm">{user.email}</Text>
        <Checkbox.Group
          label={t("users.roles")}
          value={roles}
          onChange={(value) => setRoles(value as Role[])}
          error={roles.length === 0 ? t("users.problems.roles") : undefined}
        >
          <Group mt="xs">
            {ROLES.map((role) => (
              <Checkbox key={role} value={role} label={t(`users.role.${role}`)} />
            ))}
          </Group>
        </Checkbox.Group>
        <ProblemAlert error={update.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t("users.cancel")}
          </Button>
          <Button type="submit" loading={update.isPending} disabled={roles.length === 0}>
            {t("users.saveRoles")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
