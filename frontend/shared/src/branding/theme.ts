import { generateColors } from "@mantine/colors-generator";
import { type CSSVariablesResolver, type MantineColorShade, type MantineColorsTuple, type MantineThemeOverride, createTheme } from "@mantine/core";
import type { Schema } from "../api/types";

export type Branding = Schema<"BrandingRead">;

const HEX = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;
const FALLBACK_PRIMARY = "#2563eb";

function palette(hex: string, fallback: string): MantineColorsTuple {
  return generateColors(HEX.test(hex) ? hex : fallback);
}

/** Where the generator placed the brand colour itself (by its lightness), so that filled
 * buttons show exactly the deployment's colour. */
function shadeOf(colours: MantineColorsTuple, hex: string): MantineColorShade {
  const index = colours.findIndex((shade) => shade.toLowerCase() === hex.toLowerCase());
  return (index >= 0 ? index : 6) as MantineColorShade;
}

/** The deployment's colours as a Mantine theme: a ten-shade palette generated around each
 * brand colour, the brand colour itself as the primary shade. */
export function themeFromBranding(
  branding: Pick<Branding, "primary_colour" | "accent_colour">,
  labels: { close: string } = { close: "Close" },
): MantineThemeOverride {
  const brand = palette(branding.primary_colour, FALLBACK_PRIMARY);
  const light = shadeOf(brand, branding.primary_colour);
  return createTheme({
    primaryColor: "brand",
    primaryShade: { light, dark: Math.max(light - 1, 0) as MantineColorShade },
    autoContrast: true,
    colors: {
      brand,
      accent: palette(branding.accent_colour, branding.primary_colour),
    },
    defaultRadius: "md",
    components: {
      Modal: { defaultProps: { closeButtonProps: { "aria-label": labels.close } } },
      Notification: { defaultProps: { closeButtonProps: { "aria-label": labels.close } } },
    },
  });
}

const ACCESSIBLE_TEXT = ["brand", "red", "green", "yellow", "orange", "blue", "gray"];
const DARKER_TEXT = [
  ["red", "#a61e1e"],
  ["green", "#1f6b2e"],
  ["orange", "#a33a0c"],
] as const;

/** Mantine's dimmed text, placeholders and light-variant colours are too pale on white for
 * WCAG AA: darker shades of the same colours. (A file input's placeholder is the only text
 * of its button.) */
export function accessibleColours(): CSSVariablesResolver {
  const light: Record<string, string> = {
    "--mantine-color-dimmed": "var(--mantine-color-gray-7)",
    "--mantine-color-placeholder": "var(--mantine-color-gray-7)",
    "--mantine-color-error": "var(--mantine-color-red-9)",
  };
  for (const colour of ACCESSIBLE_TEXT) {
    light[`--mantine-color-${colour}-light-color`] = `var(--mantine-color-${colour}-9)`;
    light[`--mantine-color-${colour}-text`] = `var(--mantine-color-${colour}-9)`;
  }
  // Even yellow's darkest shade is too pale on its own light background, and red's, green's
  // and orange's on theirs in a striped row (3.7 to 4.2:1): darker still, 5.5:1 there.
  light["--mantine-color-yellow-light-color"] = "var(--mantine-color-dark-7)";
  for (const [colour, darker] of DARKER_TEXT) {
    light[`--mantine-color-${colour}-light-color`] = darker;
    light[`--mantine-color-${colour}-text`] = darker;
  }
  return () => ({ variables: {}, light, dark: {} });
}
