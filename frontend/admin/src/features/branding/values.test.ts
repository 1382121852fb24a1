import { describe, expect, it } from "vitest";
import { type Branding, brandingProblems, currencyOptions, draftOf, valuesOf } from "./values";

const saved: Branding = {
  shop_name: "Kettle & Co",
  primary_colour: "#1f4e79",
  accent_colour: "#f39c12",
  support_email: null,
  currency: "EUR",
  locale: "de-DE",
  footer_text: null,
  legal_links: [{ label: "Impressum", url: "https://kettle.example/imp" }],
  logo_url: null,
  favicon_url: null,
  version: 3,
  updated_at: "2026-01-01T00:00:00Z",
};

describe("branding form values", () => {
  it("round-trips a saved branding, an empty optional field as null", () => {
    expect(draftOf(valuesOf(saved))).toEqual({
      shop_name: "Kettle & Co",
      primary_colour: "#1f4e79",
      accent_colour: "#f39c12",
      support_email: null,
      currency: "EUR",
      locale: "de-DE",
      footer_text: null,
      legal_links: [{ label: "Impressum", url: "https://kettle.example/imp" }],
    });
  });

  it("trims and lower-cases what it sends", () => {
    const draft = draftOf({ ...valuesOf(saved), shop_name: "  Tea  ", primary_colour: "#ABCDEF", support_email: " a@b.example ", footer_text: "   " });
    expect(draft).toMatchObject({ shop_name: "Tea", primary_colour: "#abcdef", support_email: "a@b.example", footer_text: null });
  });

  it("finds what the API would refuse, by form path", () => {
    const values = {
      ...valuesOf(saved),
      shop_name: " ",
      primary_colour: "red",
      support_email: "nobody",
      currency: "eur",
      locale: "de_DE",
      legal_links: [{ label: "", url: "ftp://x.example" }],
    };
    expect(brandingProblems(values)).toEqual({
      shop_name: "required",
      primary_colour: "colour",
      support_email: "email",
      currency: "currency",
      locale: "locale",
      "legal_links.0.label": "required",
      "legal_links.0.url": "url",
    });
    expect(brandingProblems(valuesOf(saved))).toEqual({});
  });

  it("lists ISO 4217 currencies with their names and keeps the current one", () => {
    const options = currencyOptions("en", "EUR");
    expect(options.find((option) => option.value === "EUR")?.label).toBe("EUR – Euro");
    expect(options.some((option) => option.value === "CHF")).toBe(true);
    expect(currencyOptions("en", "XYZ").some((option) => option.value === "XYZ")).toBe(true);
  });
});
