import { describe, expect, it } from "vitest";
import de from "../locales/de.json";
import en from "../locales/en.json";
import { supportedLanguage } from "./createI18n";

export function keysOf(catalogue: object, prefix = ""): string[] {
  return Object.entries(catalogue).flatMap(([key, value]) =>
    value && typeof value === "object" ? keysOf(value as object, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

describe("shared message catalogue", () => {
  it("has the same keys in English and German", () => {
    expect(keysOf(de).sort()).toEqual(keysOf(en).sort());
  });
});

describe("supportedLanguage", () => {
  it("reads the language of a locale", () => {
    expect(supportedLanguage("de-CH")).toBe("de");
    expect(supportedLanguage("en_GB")).toBe("en");
    expect(supportedLanguage("fr-FR")).toBeNull();
    expect(supportedLanguage(undefined)).toBeNull();
  });
});
