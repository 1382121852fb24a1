import type { Schema } from "@oms/shared";

export type Branding = Schema<"BrandingRead">;
export type BrandingDraft = Schema<"BrandingWrite">;

/** The form's values: every text a string (a cleared optional field is "", sent as null). */
export interface BrandingValues {
  shop_name: string;
  primary_colour: string;
  accent_colour: string;
  support_email: string;
  currency: string;
  locale: string;
  footer_text: string;
  legal_links: { label: string; url: string }[];
}

export const MAX_LEGAL_LINKS = 10;
const HEX = /^#[0-9a-fA-F]{6}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HTTP = /^https?:\/\/[^\s/]+/i;

export function valuesOf(branding: Branding): BrandingValues {
  return {
    shop_name: branding.shop_name,
    primary_colour: branding.primary_colour,
    accent_colour: branding.accent_colour,
    support_email: branding.support_email ?? "",
    currency: branding.currency,
    locale: branding.locale,
    footer_text: branding.footer_text ?? "",
    legal_links: branding.legal_links.map((link) => ({ label: link.label, url: link.url })),
  };
}

/** What `PUT /branding` takes: trimmed, an emptied optional field as null. */
export function draftOf(values: BrandingValues): BrandingDraft {
  const optional = (value: string) => (value.trim() === "" ? null : value.trim());
  return {
    shop_name: values.shop_name.trim(),
    primary_colour: values.primary_colour.toLowerCase(),
    accent_colour: values.accent_colour.toLowerCase(),
    support_email: optional(values.support_email),
    currency: values.currency,
    locale: values.locale.trim(),
    footer_text: optional(values.footer_text),
    legal_links: values.legal_links.map((link) => ({ label: link.label.trim(), url: link.url.trim() })),
  };
}

export type BrandingProblem =
  | "required"
  | "tooLong"
  | "colour"
  | "email"
  | "currency"
  | "locale"
  | "url";

/** The checks the API makes that the browser can make too, by form path. (The API also
 * checks the locale against CLDR and the currency against ISO 4217; its answer goes under
 * the same fields.) */
export function brandingProblems(values: BrandingValues): Record<string, BrandingProblem> {
  const problems: Record<string, BrandingProblem> = {};
  const name = values.shop_name.trim();
  if (name === "") problems.shop_name = "required";
  else if (name.length > 100) problems.shop_name = "tooLong";
  if (!HEX.test(values.primary_colour)) problems.primary_colour = "colour";
  if (!HEX.test(values.accent_colour)) problems.accent_colour = "colour";
  if (values.support_email.trim() !== "" && !EMAIL.test(values.support_email.trim())) problems.support_email = "email";
  if (!/^[A-Z]{3}$/.test(values.currency)) problems.currency = "currency";
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(values.locale.trim())) problems.locale = "locale";
  if (values.footer_text.trim().length > 500) problems.footer_text = "tooLong";
  values.legal_links.forEach((link, index) => {
    if (link.label.trim() === "") problems[`legal_links.${index}.label`] = "required";
    else if (link.label.trim().length > 60) problems[`legal_links.${index}.label`] = "tooLong";
    if (!HTTP.test(link.url.trim())) problems[`legal_links.${index}.url`] = "url";
  });
  return problems;
}

/** ISO 4217 codes the browser knows, as `{value, label}` ("EUR – Euro"), with `current`
 * kept even if the browser does not list it. */
export function currencyOptions(locale: string, current: string): { value: string; label: string }[] {
  const codes = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("currency") : ["EUR", "USD", "GBP", "CHF"];
  const all = codes.includes(current) || current === "" ? codes : [...codes, current].sort();
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames([locale, "en"], { type: "currency" });
  } catch {
    names = null;
  }
  return all.map((code) => {
    const name = names?.of(code);
    return { value: code, label: name && name !== code ? `${code} – ${name}` : code };
  });
}

export const SUGGESTED_LOCALES = ["en", "en-GB", "en-US", "de", "de-DE", "de-AT", "de-CH", "fr-FR", "it-IT", "es-ES", "nl-NL", "pl-PL", "sv-SE", "da-DK"];
