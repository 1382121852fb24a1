const HEX6 = /^#?([0-9a-f]{6})$/i;
const HEX3 = /^#?([0-9a-f]{3})$/i;

function channels(hex: string): [number, number, number] | null {
  const short = HEX3.exec(hex)?.[1];
  const long = HEX6.exec(hex)?.[1] ?? (short ? short.replace(/./g, "$&$&") : undefined);
  if (!long) return null;
  return [0, 2, 4].map((start) => parseInt(long.slice(start, start + 2), 16) / 255) as [number, number, number];
}

/** WCAG 2 relative luminance of a `#rrggbb` or `#rgb` colour. */
export function luminance(hex: string): number | null {
  const rgb = channels(hex);
  if (!rgb) return null;
  const [r, g, b] = rgb.map((value) => (value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Black or white, whichever reads better on `hex` (by WCAG contrast ratio); Mantine's
 * own choice flips too late and leaves white on mid-tone colours such as amber. */
export function readableTextOn(hex: string): "#000000" | "#ffffff" {
  const background = luminance(hex);
  if (background === null) return "#000000";
  const onWhite = 1.05 / (background + 0.05);
  const onBlack = (background + 0.05) / 0.05;
  return onBlack >= onWhite ? "#000000" : "#ffffff";
}
