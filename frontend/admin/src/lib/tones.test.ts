import { luminance, readableTextOn } from "@oms/shared";
import { describe, expect, it } from "vitest";
import { TONES } from "./tones";

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a) ?? 0, luminance(b) ?? 0].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

// WCAG AA for text of any size.
const AA = 4.5;

describe("TONES", () => {
  it.each(Object.entries(TONES))("%s carries a badge's text readably", (_, tone) => {
    expect(contrast(tone, readableTextOn(tone))).toBeGreaterThanOrEqual(AA);
  });

  // The delivery log writes errors and replay outcomes in these, on white and on a striped
  // table row (Mantine's gray.0).
  it.each(["good", "bad"] as const)("%s reads as text on the page and on a striped row", (name) => {
    for (const background of ["#ffffff", "#f8f9fa"]) expect(contrast(TONES[name], background)).toBeGreaterThanOrEqual(AA);
  });
});
