import { Text } from "@mantine/core";
import type { Schema } from "@oms/shared";
import { useTranslation } from "react-i18next";

type Address = Schema<"ShippingAddress">;

function countryName(code: string, language: string): string {
  try {
    return new Intl.DisplayNames([language], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** A shipping address as a postal label, the country in the user's language. */
export function AddressBlock({ address }: { address: Address }) {
  const { i18n } = useTranslation();
  const lines = [
    address.name,
    address.line1,
    address.line2,
    `${address.postal_code} ${address.city}`,
    countryName(address.country, i18n.resolvedLanguage ?? "en"),
    address.phone,
  ].filter((line): line is string => Boolean(line));
  return (
    <Text size="sm" component="address" style={{ fontStyle: "normal" }}>
      {lines.map((line, index) => (
        <span key={`${index}-${line}`} style={{ display: "block" }}>
          {line}
        </span>
      ))}
    </Text>
  );
}
