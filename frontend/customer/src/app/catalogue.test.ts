import { describe, expect, it } from "vitest";
import de from "../locales/de.json";
import en from "../locales/en.json";

function keysOf(catalogue: object, prefix = ""): string[] {
  return Object.entries(catalogue).flatMap(([key, value]) =>
    value && typeof value === "object" ? keysOf(value as object, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

describe("customer message catalogue", () => {
  it("has the same keys in English and German", () => {
    expect(keysOf(de).sort()).toEqual(keysOf(en).sort());
  });

  it("has no empty message", () => {
    for (const catalogue of [en, de]) {
      const empty = keysOf(catalogue).filter((key) => {
        const value = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], catalogue);
        return typeof value !== "string" || !value.trim();
      });
      expect(empty).toEqual([]);
    }
  });
});
