import { SimpleGrid, Stack, Title } from "@mantine/core";
import { QueryState, useDocumentTitle, useMe, useServices } from "@oms/shared";
import { useTranslation } from "react-i18next";
import { AddressBook } from "./AddressBook";
import { PasswordForm } from "./PasswordForm";
import { ProfileForm } from "./ProfileForm";

export function AccountPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("account.title"));
  const me = useMe();
  const { config } = useServices();
  return (
    <Stack>
      <Title order={2}>{t("account.title")}</Title>
      <QueryState query={me}>
        {(user) => (
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <ProfileForm user={user} />
            {config.mode === "local" && <PasswordForm email={user.email} />}
          </SimpleGrid>
        )}
      </QueryState>
      <AddressBook />
    </Stack>
  );
}
