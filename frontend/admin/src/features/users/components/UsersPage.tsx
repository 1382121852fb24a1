import { Badge, Button, Group, Menu, Modal, Select, Stack, Table, Text, TextInput, Title, VisuallyHidden } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { DateTime, ErrorState, LoadingState, ProblemAlert, useDocumentTitle, useMe } from "@oms/shared";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { type User, useUnlockUser, useUpdateUser, useUsers } from "../api";
import { ROLES, type Role, type UserFilter, filterFromSearch, searchOfFilter } from "../filters";
import { CreateUserForm } from "./CreateUserForm";
import { RolesForm } from "./RolesForm";

function Filters({ filter, onChange }: { filter: UserFilter; onChange: (filter: UserFilter) => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState(filter.q);
  const changeText = useDebouncedCallback((value: string) => onChange({ ...filter, q: value }), 300);
  return (
    <Group align="flex-end" role="search" aria-label={t("users.filters")}>
      <TextInput
        label={t("users.search")}
        placeholder={t("users.searchPlaceholder")}
        value={q}
        maxLength={320}
        onChange={(event) => {
          setQ(event.currentTarget.value);
          changeText(event.currentTarget.value);
        }}
        w={260}
      />
      <Select
        label={t("users.roleFilter")}
        placeholder={t("users.any")}
        data={ROLES.map((role) => ({ value: role, label: t(`users.role.${role}`) }))}
        value={filter.role}
        onChange={(value) => onChange({ ...filter, role: (value as Role | null) ?? null })}
        clearable
        w={180}
      />
      <Select
        label={t("users.activeFilter")}
        placeholder={t("users.any")}
        data={[
          { value: "true", label: t("users.activeOnly") },
          { value: "false", label: t("users.inactiveOnly") },
        ]}
        value={filter.active === null ? null : String(filter.active)}
        onChange={(value) => onChange({ ...filter, active: value === null ? null : value === "true" })}
        clearable
        w={180}
      />
    </Group>
  );
}

function UserRow({ user, onRoles }: { user: User; onRoles: (user: User) => void }) {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const update = useUpdateUser();
  const unlock = useUnlockUser();
  const toggleActive = () =>
    update.mutate(
      { id: user.id, body: { is_active: !user.is_active } },
      { onSuccess: (saved) => notifications.show({ color: "green", message: t(saved.is_active ? "users.reactivated" : "users.deactivated", { email: saved.email }) }) },
    );
  const doUnlock = () =>
    unlock.mutate(user.id, { onSuccess: () => notifications.show({ color: "green", message: t("users.unlocked", { email: user.email }) }) });
  const error = update.error ?? unlock.error;
  return (
    <Table.Tr data-testid={`user-${user.email}`}>
      <Table.Td>
        <Text size="sm" fw={500}>
          {user.email}
        </Text>
        {error ? <ProblemAlert error={error} /> : null}
      </Table.Td>
      <Table.Td>{user.full_name || "–"}</Table.Td>
      <Table.Td>
        <Group gap={4}>
          {user.roles.map((role) => (
            <Badge key={role} variant="light" color={role === "admin" ? "red" : role === "manager" ? "blue" : "gray"}>
              {t(`users.role.${role}`)}
            </Badge>
          ))}
        </Group>
      </Table.Td>
      <Table.Td>
        <Badge variant="light" color={user.is_active ? "green" : "gray"}>
          {t(user.is_active ? "users.active" : "users.inactive")}
        </Badge>
      </Table.Td>
      <Table.Td>
        <DateTime value={user.created_at} dateOnly />
      </Table.Td>
      <Table.Td>
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Button size="xs" variant="default" loading={update.isPending || unlock.isPending} aria-label={t("users.actionsFor", { email: user.email })}>
              {t("users.actions")}
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item onClick={() => onRoles(user)}>{t("users.changeRoles")}</Menu.Item>
            <Menu.Item onClick={toggleActive} disabled={me?.id === user.id && user.is_active}>
              {t(user.is_active ? "users.deactivate" : "users.reactivate")}
            </Menu.Item>
            <Menu.Item onClick={doUnlock}>{t("users.unlock")}</Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Table.Td>
    </Table.Tr>
  );
}

export function UsersPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("nav.users"));
  const [search, setSearch] = useSearchParams();
  const filter = filterFromSearch(search);
  const users = useUsers(filter);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const rows = users.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t("nav.users")}</Title>
        <Button onClick={() => setCreating(true)}>{t("users.new")}</Button>
      </Group>
      <Filters filter={filter} onChange={(next) => setSearch(searchOfFilter(next), { replace: true })} />
      {users.isPending ? (
        <LoadingState lines={6} />
      ) : users.isError ? (
        <ErrorState error={users.error} onRetry={() => void users.refetch()} />
      ) : rows.length === 0 ? (
        <Text c="dimmed">{t("users.none")}</Text>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("users.email")}</Table.Th>
                <Table.Th>{t("users.fullName")}</Table.Th>
                <Table.Th>{t("users.roles")}</Table.Th>
                <Table.Th>{t("users.state")}</Table.Th>
                <Table.Th>{t("users.created")}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t("users.actions")}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((user) => (
                <UserRow key={user.id} user={user} onRoles={setEditing} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {users.hasNextPage && (
        <Group>
          <Button variant="default" loading={users.isFetchingNextPage} onClick={() => void users.fetchNextPage()}>
            {t("users.more")}
          </Button>
        </Group>
      )}
      <Modal opened={creating} onClose={() => setCreating(false)} title={t("users.newTitle")}>
        <CreateUserForm
          onCancel={() => setCreating(false)}
          onCreated={(user) => {
            setCreating(false);
            notifications.show({ color: "green", message: t("users.createdMessage", { email: user.email }) });
          }}
        />
      </Modal>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={t("users.rolesTitle")}>
        {editing && <RolesForm key={editing.id} user={editing} onDone={() => setEditing(null)} />}
      </Modal>
    </Stack>
  );
}
