import { describe, expect, it } from "vitest";
import de from "../locales/de.json";
import en from "../locales/en.json";
import { featureStrings } from "./featureStrings";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keys(inner, prefix ? `${prefix}.${key}` : key));
}

const modules = import.meta.glob<{ default: object }>("../features/*/locales/*.json", { eager: true });

describe("the admin app's strings", () => {
  it("files each feature's strings under its name, per language", () => {
    const strings = featureStrings({
      "../features/orders/locales/en.json": { default: { title: "Orders" } },
      "../features/orders/locales/de.json": { default: { title: "Bestellungen" } },
      "../features/orders/notes.json": { default: { ignored: true } },
    });
    expect(strings.en).toEqual({ orders: { title: "Orders" } });
    expect(strings.de).toEqual({ orders: { title: "Bestellungen" } });
  });

  it("has the same keys in English and German, for the app and every feature", () => {
    const strings = featureStrings(modules);
    expect(keys({ ...de, ...strings.de }).sort()).toEqual(keys({ ...en, ...strings.en }).sort());
  });

  it("lets no feature shadow one of the app's own sections", () => {
    const strings = featureStrings(modules);
    for (const feature of Object.keys(strings.en)) expect(Object.keys(en)).not.toContain(feature);
  });
});
