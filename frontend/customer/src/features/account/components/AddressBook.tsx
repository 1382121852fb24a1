import { Alert, Badge, Button, Card, Checkbox, Group, Modal, Stack, Text, TextInput, Title } from "@mantine/core";
import { ProblemAlert, QueryState, isProblem, isStaleEdit } from "@oms/shared";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  AddressFields,
  EMPTY_ADDRESS,
  addressErrors,
  fromShippingAddress,
  toAddressChanges,
  toShippingAddress,
  useAddressForm,
} from "../../../lib/AddressForm";
import { useCountryName } from "../../../lib/useCountryName";
import { type AddressRead, useAddresses, useCreateAddress, useDeleteAddress, useUpdateAddress } from "../../../lib/addresses";

export const MAX_ADDRESSES = 20;

interface AddressEditorProps {
  address: AddressRead | null;
  /** A new address would be the first one: it starts as the default. */
  first: boolean;
  onDone: () => void;
  onStale: () => void;
}

function AddressEditor({ address, first, onDone, onStale }: AddressEditorProps) {
  const { t } = useTranslation();
  const create = useCreateAddress();
  const update = useUpdateAddress();
  const form = useAddressForm({
    ...(address ? fromShippingAddress(address) : EMPTY_ADDRESS),
    label: address?.label ?? "",
    is_default: address?.is_default ?? first,
  });
  const mutation = address ? update : create;
  const submit = form.onSubmit((values) => {
    const extra = { label: values.label.trim() || null, is_default: values.is_default };
    const handlers = {
      onSuccess: onDone,
      onError: (error: unknown) => {
        if (isStaleEdit(error)) onStale();
        if (!isProblem(error)) return;
        const errors = addressErrors(error.fieldErrors);
        if (error.fieldErrors.label) errors.label = error.fieldErrors.label;
        form.setErrors(errors);
      },
    };
    if (address) update.mutate({ id: address.id, version: address.version, body: { ...toAddressChanges(values), ...extra } }, handlers);
    else create.mutate({ ...toShippingAddress(values), ...extra }, handlers);
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput label={t("address.label")} description={t("address.labelHint")} maxLength={50} {...form.getInputProps("label")} />
        <AddressFields form={form} />
        <Checkbox label={t("address.makeDefault")} {...form.getInputProps("is_default", { type: "checkbox" })} />
        {!isStaleEdit(mutation.error) && <ProblemAlert error={mutation.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t("cancel")}
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {t("address.save")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function AddressBook() {
  const { t } = useTranslation();
  const addresses = useAddresses();
  const remove = useDeleteAddress();
  const update = useUpdateAddress();
  const [editing, setEditing] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  const count = addresses.data?.length ?? 0;
  const edited = addresses.data?.find((address) => address.id === editing) ?? null;
  const closeEditor = () => {
    setEditing(null);
    setStale(false);
  };
  const country = useCountryName();
  return (
    <Card withBorder component="section" aria-labelledby="addresses-title">
      <Stack>
        <Group justify="space-between">
          <Title order={3} size="h4" id="addresses-title">
            {t("account.addresses")}
          </Title>
          <Button size="xs" onClick={() => setEditing("new")} disabled={count >= MAX_ADDRESSES}>
            {t("address.add")}
          </Button>
        </Group>
        <ProblemAlert error={remove.error ?? update.error} />
        <QueryState query={addresses} isEmpty={(list) => list.length === 0} empty={t("address.none")}>
          {(list) => (
            <Stack gap="xs">
              {list.map((address) => (
                <Card key={address.id} withBorder padding="sm">
                  <Group justify="space-between" align="flex-start" wrap="wrap">
                    <Stack gap={0}>
                      <Group gap="xs">
                        <Text fw={600}>{address.label || address.name}</Text>
                        {address.is_default && <Badge variant="light">{t("address.default")}</Badge>}
                      </Group>
                      <Text size="sm" c="dimmed">
                        {[address.name, address.line1, address.line2, `${address.postal_code} ${address.city}`, country(address.country)].filter(Boolean).join(", ")}
                      </Text>
                    </Stack>
                    <Group gap="xs">
                      {!address.is_default && (
                        <Button size="compact-sm" variant="subtle" onClick={() => update.mutate({ id: address.id, version: address.version, body: { is_default: true } })}>
                          {t("address.makeDefault")}
                        </Button>
                      )}
                      <Button size="compact-sm" variant="light" onClick={() => setEditing(address.id)} aria-label={t("address.editNamed", { name: address.label || address.name })}>
                        {t("address.edit")}
                      </Button>
                      <Button
                        size="compact-sm"
                        variant="light"
                        color="red"
                        loading={remove.isPending && remove.variables === address.id}
                        onClick={() => remove.mutate(address.id)}
                        aria-label={t("address.deleteNamed", { name: address.label || address.name })}
                      >
                        {t("address.delete")}
                      </Button>
                    </Group>
                  </Group>
                </Card>
              ))}
            </Stack>
          )}
        </QueryState>
      </Stack>
      <Modal opened={editing !== null} onClose={closeEditor} title={editing === "new" ? t("address.add") : t("address.edit")} size="lg">
        {stale && (
          <Alert color="yellow" mb="sm" role="alert">
            {t("common:error.stale")}
          </Alert>
        )}
        {editing !== null && (
          // A new version (changed elsewhere) remounts the form with the current values.
          <AddressEditor
            key={edited ? `${edited.id}-${edited.version}` : "new"}
            address={edited}
            first={count === 0}
            onDone={closeEditor}
            onStale={() => setStale(true)}
          />
        )}
      </Modal>
    </Card>
  );
}
