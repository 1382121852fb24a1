import { describe, expect, it } from "vitest";
import { formSchema, formValue, settingsSchema, settingsUiSchema } from "./settingsForm";
import { WORKER_TYPES } from "./api";
import { schemaValidator } from "../../lib/schemaValidator";

describe("the settings forms", () => {
  it("has a schema for every worker type, from the OpenAPI document", () => {
    for (const type of WORKER_TYPES) expect(settingsSchema(type).type).toBe("object");
    expect(Object.keys(settingsSchema("webhook").properties ?? {})).toEqual(["url", "secret", "timeout_seconds"]);
  });

  it("unwraps optional fields and leaves a root either-or to the API", () => {
    const schema = formSchema({
      type: "object",
      anyOf: [{ required: ["a"] }, { required: ["b"] }],
      properties: {
        a: { anyOf: [{ type: "string", pattern: "^x" }, { type: "null" }], title: "A", description: "an a" },
        b: { anyOf: [{ type: "string" }, { type: "integer" }] },
      },
    });
    expect(schema.anyOf).toBeUndefined();
    expect(schema.properties?.a).toEqual({ type: "string", pattern: "^x", title: "A", description: "an a" });
    expect(schema.properties?.b).toEqual({ anyOf: [{ type: "string" }, { type: "integer" }] });
  });

  it("checks a webhook's settings as the API would: a URL is needed, a timeout within bounds", () => {
    const schema = settingsSchema("webhook");
    expect(schemaValidator.isValid(schema, { url: "https://erp.example.com/hook", secret: "whsec_…Qk8=" }, schema)).toBe(true);
    expect(schemaValidator.isValid(schema, { timeout_seconds: 10 }, schema)).toBe(false);
    expect(schemaValidator.isValid(schema, { url: "https://erp.example.com/hook", timeout_seconds: 0 }, schema)).toBe(false);
    expect(schemaValidator.isValid(schema, { url: "https://erp.example.com/hook", extra: 1 }, schema)).toBe(false);
  });

  it("shows the settings the API returned without their nulls", () => {
    expect(formValue({ send_to_customer: true, recipients: [], template: null })).toEqual({ send_to_customer: true, recipients: [] });
  });

  it("labels each field from the catalogue, falling back on the schema", () => {
    const ui = settingsUiSchema(settingsSchema("webhook"), (field, part, fallback) => (field === "url" && part === "title" ? "Adresse" : fallback));
    expect(ui.url).toMatchObject({ "ui:title": "Adresse" });
    expect(ui.timeout_seconds).toMatchObject({ "ui:title": "Timeout Seconds" });
  });
});
