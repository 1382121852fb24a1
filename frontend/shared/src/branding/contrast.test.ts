import { describe, expect, it } from "vitest";
import { luminance, readableTextOn } from "./contrast";

describe("readable text on a colour", () => {
  it("puts black on mid-tone and light colours and white on dark ones", () => {
    expect(readableTextOn("#d97706")).toBe("#000000");
    expect(readableTextOn("#16a34a")).toBe("#000000");
    expect(readableTextOn("#fff")).toBe("#000000");
    expect(readableTextOn("#1e3a8a")).toBe("#ffffff");
    expect(readableTextOn("#000000")).toBe("#ffffff");
  });

  it("measures luminance as WCAG does and refuses what is not a hex colour", () => {
    expect(luminance("#ffffff")).toBeCloseTo(1);
    expect(luminance("#000")).toBe(0);
    expect(luminance("red")).toBeNull();
    expect(readableTextOn("red")).toBe("#000000");
  });
});
