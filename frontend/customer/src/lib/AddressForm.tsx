import { Select, SimpleGrid, Stack, TextInput } from "@mantine/core";
import { type UseFormReturnType, useForm } from "@mantine/form";
import type { Schema } from "@oms/shared";
import type { TFunction } from "i18next";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { type CountryCode, countryOptions } from "./countries";

export type ShippingAddress = Schema<"ShippingAddress">;

export interface AddressValues {
  name: string;
  line1: string;
  line2: string;
  city: string;
  postal_code: string;
  country: string;
  phone: string;
}

export const EMPTY_ADDRESS: AddressValues = { name: "", line1: "", line2: "", city: "", postal_code: "", country: "", phone: "" };

// As the API's ShippingAddress checks them.
const PHONE = /^\+?[0-9][0-9 ()./-]{3,28}[0-9]$/;

function required(max: number, t: TFunction) {
  return (value: string) => (!value.trim() ? t("address.required") : value.length > max ? t("address.tooLong", { max }) : null);
}

export function addressValidation(t: TFunction) {
  return {
    name: required(200, t),
    line1: required(200, t),
    line2: (value: string) => (value.length > 200 ? t("address.tooLong", { max: 200 }) : null),
    city: required(200, t),
    postal_code: required(20, t),
    country: (value: string) => (value ? null : t("address.required")),
    phone: (value: string) => (value.trim() && !PHONE.test(value.trim()) ? t("address.phoneInvalid") : null),
  };
}

export function toShippingAddress(values: AddressValues): ShippingAddress {
  const address: ShippingAddress = {
    name: values.name.trim(),
    line1: values.line1.trim(),
    city: values.city.trim(),
    postal_code: values.postal_code.trim(),
    country: values.country as CountryCode,
  };
  if (values.line2.trim()) address.line2 = values.line2.trim();
  if (values.phone.trim()) address.phone = values.phone.trim();
  return address;
}

/** The form as a change to a saved address: an optional field left empty is removed (null),
 * not kept as it was. */
export function toAddressChanges(values: AddressValues): Schema<"SavedAddressUpdate"> {
  return { ...toShippingAddress(values), line2: values.line2.trim() || null, phone: values.phone.trim() || null };
}

export function fromShippingAddress(address: ShippingAddress): AddressValues {
  return {
    name: address.name,
    line1: address.line1,
    line2: address.line2 ?? "",
    city: address.city,
    postal_code: address.postal_code,
    country: address.country,
    phone: address.phone ?? "",
  };
}

/** Server field errors under `prefix` (`shipping_address.`) as this form's errors. */
export function addressErrors(fieldErrors: Record<string, string>, prefix = ""): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [field, message] of Object.entries(fieldErrors)) {
    if (prefix && !field.startsWith(prefix)) continue;
    const name = field.slice(prefix.length);
    if (name in EMPTY_ADDRESS) errors[name] = message;
  }
  return errors;
}

export function useAddressForm<Extra extends object = object>(initial: AddressValues & Extra) {
  const { t } = useTranslation();
  return useForm<AddressValues & Extra>({
    mode: "controlled",
    initialValues: initial,
    validate: addressValidation(t) as never,
  });
}

export function AddressFields<V extends AddressValues>({ form }: { form: UseFormReturnType<V> }) {
  const { t, i18n } = useTranslation();
  const countries = useMemo(() => countryOptions(i18n.resolvedLanguage ?? "en"), [i18n.resolvedLanguage]);
  return (
    <Stack gap="sm">
      <TextInput label={t("address.name")} autoComplete="name" required {...form.getInputProps("name")} />
      <TextInput label={t("address.line1")} autoComplete="address-line1" required {...form.getInputProps("line1")} />
      <TextInput label={t("address.line2")} autoComplete="address-line2" {...form.getInputProps("line2")} />
      <SimpleGrid cols={{ base: 1, xs: 2 }}>
        <TextInput label={t("address.postalCode")} autoComplete="postal-code" required {...form.getInputProps("postal_code")} />
        <TextInput label={t("address.city")} autoComplete="address-level2" required {...form.getInputProps("city")} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, xs: 2 }}>
        <Select label={t("address.country")} data={countries} searchable required autoComplete="country" {...form.getInputProps("country")} />
        <TextInput label={t("address.phone")} type="tel" autoComplete="tel" {...form.getInputProps("phone")} />
      </SimpleGrid>
    </Stack>
  );
}
