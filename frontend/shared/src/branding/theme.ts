import { generateColors } from "@mantine/colors-generator";
import { type MantineColorsTuple, type MantineThemeOverride, createTheme } from "@mantine/core";
import type { Schema } from "../api/types";

export type Branding = Schema<"BrandingRead">;

const HEX = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;
const FALLBACK_PRIMARY = "#2563eb";

function palette(hex: string, fallback: string): MantineColorsTuple {
  return generateColors(HEX.test(hex) ? hex : fallback);
}

/** The deployment's colours as a Mantine theme: a ten-shade palette generated around each
 * brand colour, the brand colour itself as the primary shade. */
export function themeFromBranding(branding: Pick<Branding, "primary_colour" | "accent_colour">): MantineThemeOverride {
  return createTheme({
    primaryColor: "brand",
    primaryShade: { light: 6, dark: 5 },
    autoContrast: true,
    colors: {
      brand: palette(branding.primary_colour, FALLBACK_PRIMARY),
      accent: palette(branding.accent_colour, branding.primary_colour),
    },
    defaultRadius: "md",
  });
}
