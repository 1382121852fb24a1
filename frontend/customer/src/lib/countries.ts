import type { Schema } from "@oms/shared";

export type CountryCode = Schema<"ShippingAddress">["country"];

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Country options named in the user's language; the server checks the code itself. */
export function countryOptions(language: string): { value: CountryCode; label: string }[] {
  let names: Intl.DisplayNames;
  try {
    names = new Intl.DisplayNames([language], { type: "region", fallback: "none" });
  } catch {
    names = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });
  }
  const options: { value: CountryCode; label: string }[] = [];
  for (const first of LETTERS) {
    for (const second of LETTERS) {
      const code = first + second;
      const label = names.of(code);
      // Skip the pseudo-regions Intl knows but ISO 3166-1 does not list as countries.
      if (label && !["EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"].includes(code)) {
        options.push({ value: code as CountryCode, label });
      }
    }
  }
  return options.sort((a, b) => a.label.localeCompare(b.label, language));
}
