import { describe, expect, it } from "vitest";
import { createFormatters } from "./format";
import { accessibleColours, themeFromBranding } from "./theme";

describe("branding → theme", () => {
  it("builds a ten-shade primary palette around the brand colour", () => {
    const theme = themeFromBranding({ primary_colour: "#dc2626", accent_colour: "#16a34a" });
    expect(theme.primaryColor).toBe("brand");
    const brand = theme.colors?.brand;
    expect(brand).toHaveLength(10);
    expect(brand?.map((shade) => shade.toLowerCase())).toContain("#dc2626");
    expect(theme.colors?.accent?.map((shade) => shade.toLowerCase())).toContain("#16a34a");
  });

  it("makes the brand colour itself the primary shade", () => {
    for (const hex of ["#1f4e79", "#dc2626", "#f5f5dc"]) {
      const theme = themeFromBranding({ primary_colour: hex, accent_colour: hex });
      const shade = theme.primaryShade as { light: number };
      expect(theme.colors?.brand?.[shade.light]?.toLowerCase()).toBe(hex);
    }
  });

  it("falls back to a default colour for a value that is not a hex colour", () => {
    const theme = themeFromBranding({ primary_colour: "not-a-colour", accent_colour: "#123" });
    expect(theme.colors?.brand).toHaveLength(10);
  });
});

describe("accessible colours", () => {
  it("darkens the pale greys text and placeholders would be drawn in on white", () => {
    const { light } = accessibleColours()({} as never);
    expect(light["--mantine-color-dimmed"]).toBe("var(--mantine-color-gray-7)");
    // A file input's placeholder is the only text on its button.
    expect(light["--mantine-color-placeholder"]).toBe("var(--mantine-color-gray-7)");
    // Red's, green's and orange's darkest shades are still too pale on their light backgrounds.
    expect(light["--mantine-color-red-light-color"]).toBe("#a61e1e");
    expect(light["--mantine-color-green-light-color"]).toBe("#1f6b2e");
    expect(light["--mantine-color-orange-text"]).toBe("#a33a0c");
  });
});

describe("formatters", () => {
  it("formats money in the shop's locale and currency", () => {
    const format = createFormatters("de-DE", "EUR");
    expect(format.money("1234.5")).toBe("1.234,50\u00a0€");
    expect(createFormatters("en-GB", "GBP").money("19.99")).toBe("£19.99");
  });

  it("survives a locale the browser does not know", () => {
    expect(createFormatters("xx-invalid-locale-tag-!!", "USD").money("1")).toContain("1");
  });
});
