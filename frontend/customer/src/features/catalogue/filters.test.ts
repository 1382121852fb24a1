import { describe, expect, it } from "vitest";
import { attributesFilter, filterControls } from "./filters";

const furniture = {
  type: "object",
  properties: {
    material: { enum: ["oak", "walnut", "pine"] },
    width_cm: { type: "number", exclusiveMinimum: 0, maximum: 1000 },
    warranty_months: { type: "integer", minimum: 0, maximum: 120 },
    voltage: { type: "integer", enum: [5, 12, 230] },
    wireless: { type: "boolean", title: "Wireless" },
    color: { type: "string", maxLength: 40 },
    tags: { type: "array", items: { type: "string" } },
  },
};

describe("filter controls from the category's schema", () => {
  it("renders enum as multi-select, boolean as switch, number as range, string as text", () => {
    expect(filterControls(furniture)).toEqual([
      { kind: "enum", name: "material", label: "Material", options: ["oak", "walnut", "pine"] },
      { kind: "range", name: "width_cm", label: "Width cm", min: 0, max: 1000, integer: false },
      { kind: "range", name: "warranty_months", label: "Warranty months", min: 0, max: 120, integer: true },
      { kind: "enum", name: "voltage", label: "Voltage", options: [5, 12, 230] },
      { kind: "boolean", name: "wireless", label: "Wireless" },
      { kind: "text", name: "color", label: "Color" },
    ]);
  });

  it("offers nothing for a schema without properties", () => {
    expect(filterControls({})).toEqual([]);
    expect(filterControls(null)).toEqual([]);
    expect(filterControls({ properties: { x: true } })).toEqual([]);
  });

  it("reads nullable types", () => {
    expect(filterControls({ properties: { size: { type: ["number", "null"] } } })).toEqual([
      { kind: "range", name: "size", label: "Size", integer: false },
    ]);
  });
});

describe("the attributes filter", () => {
  const controls = filterControls(furniture);

  it("sends one enum value exactly and several as a list, typed as in the schema", () => {
    expect(attributesFilter(controls, { material: ["oak"], voltage: ["12", "230"] })).toEqual({
      material: "oak",
      voltage: [12, 230],
    });
  });

  it("sends ranges, a switched-on boolean and trimmed text", () => {
    expect(
      attributesFilter(controls, { width_cm: { min: 40 }, warranty_months: { min: 12, max: 24 }, wireless: true, color: " white " }),
    ).toEqual({ width_cm: { min: 40 }, warranty_months: { min: 12, max: 24 }, wireless: true, color: "white" });
  });

  it("leaves out what is not set", () => {
    expect(attributesFilter(controls, { material: [], wireless: false, width_cm: {}, color: "  " })).toBeUndefined();
    expect(attributesFilter(controls, { unknown: "x" })).toBeUndefined();
  });
});
