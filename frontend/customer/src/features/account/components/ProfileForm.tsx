import { Button, Card, Group, Stack, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { ProblemAlert, type Schema, isProblem } from "@oms/shared";
import { useTranslation } from "react-i18next";
import { useUpdateProfile } from "../api";

export function ProfileForm({ user }: { user: Schema<"UserRead"> }) {
  const { t } = useTranslation();
  const update = useUpdateProfile();
  const form = useForm({
    initialValues: { full_name: user.full_name },
    validate: { full_name: (value) => (value.length > 200 ? t("address.tooLong", { max: 200 }) : null) },
  });
  const submit = form.onSubmit((values) =>
    update.mutate(
      { full_name: values.full_name.trim() },
      {
        onSuccess: () => notifications.show({ message: t("account.saved"), color: "green" }),
        onError: (error) => isProblem(error) && form.setErrors(error.fieldErrors),
      },
    ),
  );
  return (
    <Card withBorder component="section" aria-labelledby="profile-title">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={3} size="h4" id="profile-title">
            {t("account.profile")}
          </Title>
          <TextInput label={t("account.email")} value={user.email} readOnly />
          <TextInput label={t("account.fullName")} autoComplete="name" {...form.getInputProps("full_name")} />
          <ProblemAlert error={update.error} />
          <Group>
            <Button type="submit" loading={update.isPending}>
              {t("account.saveProfile")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
