/** A category's attribute schema as edited: JSON text, read back into an object. */
export type ParsedSchema = { schema: Record<string, unknown>; error: null } | { schema: null; error: "notJson" | "notObject"; detail: string };

export function schemaText(schema: Record<string, unknown>): string {
  return JSON.stringify(schema, null, 2);
}

export function parseSchema(text: string): ParsedSchema {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { schema: null, error: "notJson", detail: error instanceof Error ? error.message : String(error) };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { schema: null, error: "notObject", detail: "" };
  }
  return { schema: value as Record<string, unknown>, error: null };
}

/** Whether two schemas are the same document (key order aside). */
export function sameSchema(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
