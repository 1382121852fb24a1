import { describe, expect, it } from "vitest";
import type { RJSFSchema } from "@rjsf/utils";
import { schemaValidator } from "./schemaValidator";

const SCHEMA: RJSFSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  required: ["material"],
  properties: {
    material: { type: "string", enum: ["oak", "steel"] },
    dimensions: { type: "object", properties: { width: { type: "number", minimum: 1 } } },
  },
  additionalProperties: false,
};

describe("the schema validator", () => {
  it("accepts what the schema allows", () => {
    const { errors } = schemaValidator.validateFormData({ material: "oak", dimensions: { width: 3 } }, SCHEMA);
    expect(errors).toEqual([]);
    expect(schemaValidator.isValid(SCHEMA, { material: "steel" }, SCHEMA)).toBe(true);
  });

  it("names each failing field by its path, as rjsf shows it", () => {
    const { errors, errorSchema } = schemaValidator.validateFormData({ material: "gold", dimensions: { width: 0 } }, SCHEMA);
    expect(errors.map((error) => error.property).sort()).toEqual([".dimensions.width", ".material"]);
    expect(errorSchema.material?.__errors?.length).toBe(1);
    expect((errorSchema.dimensions as { width?: { __errors?: string[] } }).width?.__errors?.length).toBe(1);
  });

  it("reports a missing required field and an unknown one", () => {
    const { errors } = schemaValidator.validateFormData({ colour: "red" }, SCHEMA);
    expect(errors.map((error) => error.name).sort()).toEqual(["additionalProperties", "required"]);
    expect(schemaValidator.isValid(SCHEMA, {}, SCHEMA)).toBe(false);
  });
});
