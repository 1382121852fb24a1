import { describe, expect, it } from "vitest";
import { parseSchema, sameSchema, schemaText } from "./schemaText";

describe("the attribute schema as JSON text", () => {
  it("reads back what it wrote", () => {
    const schema = { type: "object", properties: { width_cm: { type: "number" } }, required: ["width_cm"] };
    expect(parseSchema(schemaText(schema))).toEqual({ schema, error: null });
  });

  it("says when the text is not JSON, with the parser's reason", () => {
    const parsed = parseSchema('{"type": "object",}');
    expect(parsed.error).toBe("notJson");
    expect(parsed.schema).toBeNull();
    if (parsed.error) expect(parsed.detail).not.toBe("");
  });

  it("takes only a JSON object", () => {
    expect(parseSchema("[]").error).toBe("notObject");
    expect(parseSchema("true").error).toBe("notObject");
    expect(parseSchema("null").error).toBe("notObject");
  });

  it("compares schemas regardless of key order", () => {
    expect(sameSchema({ a: 1, b: { c: [1, 2], d: null } }, { b: { d: null, c: [1, 2] }, a: 1 })).toBe(true);
    expect(sameSchema({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
  });
});
