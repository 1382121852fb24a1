/** Filter controls generated from a category's attribute JSON Schema, and the `attributes`
 * query parameter built from their values. */

export type FilterControl =
  | { kind: "enum"; name: string; label: string; options: (string | number | boolean)[] }
  | { kind: "boolean"; name: string; label: string }
  | { kind: "range"; name: string; label: string; min?: number; max?: number; integer: boolean }
  | { kind: "text"; name: string; label: string };

export type FilterValue = string[] | boolean | { min?: number; max?: number } | string;
export type FilterValues = Record<string, FilterValue | undefined>;

type JsonSchema = Record<string, unknown>;

function humanise(name: string): string {
  const words = name.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function typesOf(schema: JsonSchema): string[] {
  const type = schema.type;
  if (typeof type === "string") return [type];
  if (Array.isArray(type)) return type.filter((entry): entry is string => typeof entry === "string" && entry !== "null");
  return [];
}

function controlFor(name: string, schema: JsonSchema): FilterControl | null {
  const label = typeof schema.title === "string" && schema.title ? schema.title : humanise(name);
  if (Array.isArray(schema.enum)) {
    const options = schema.enum.filter(
      (value): value is string | number | boolean =>
        typeof value === "string" || typeof value === "number" || typeof value === "boolean",
    );
    return options.length ? { kind: "enum", name, label, options } : null;
  }
  const types = typesOf(schema);
  if (types.includes("boolean")) return { kind: "boolean", name, label };
  if (types.includes("number") || types.includes("integer")) {
    const control: FilterControl = { kind: "range", name, label, integer: !types.includes("number") };
    const min = typeof schema.minimum === "number" ? schema.minimum : schema.exclusiveMinimum;
    const max = typeof schema.maximum === "number" ? schema.maximum : schema.exclusiveMaximum;
    if (typeof min === "number") control.min = min;
    if (typeof max === "number") control.max = max;
    return control;
  }
  if (types.includes("string")) return { kind: "text", name, label };
  return null;
}

export function filterControls(schema: unknown): FilterControl[] {
  if (!schema || typeof schema !== "object") return [];
  const properties = (schema as JsonSchema).properties;
  if (!properties || typeof properties !== "object") return [];
  return Object.entries(properties as Record<string, unknown>).flatMap(([name, property]) => {
    const control = property && typeof property === "object" ? controlFor(name, property as JsonSchema) : null;
    return control ? [control] : [];
  });
}

/** The `attributes` filter for the values set, or undefined when none is. Enum values go
 * back to their schema types (a multi-select speaks strings). */
export function attributesFilter(controls: FilterControl[], values: FilterValues): Record<string, unknown> | undefined {
  const filter: Record<string, unknown> = {};
  for (const control of controls) {
    const value = values[control.name];
    if (value === undefined) continue;
    if (control.kind === "enum" && Array.isArray(value) && value.length) {
      const chosen = control.options.filter((option) => value.includes(String(option)));
      if (chosen.length === 1) filter[control.name] = chosen[0];
      else if (chosen.length > 1) filter[control.name] = chosen;
    } else if (control.kind === "boolean" && value === true) {
      filter[control.name] = true;
    } else if (control.kind === "range" && typeof value === "object" && !Array.isArray(value)) {
      const range: { min?: number; max?: number } = {};
      if (typeof value.min === "number" && Number.isFinite(value.min)) range.min = value.min;
      if (typeof value.max === "number" && Number.isFinite(value.max)) range.max = value.max;
      if (range.min !== undefined || range.max !== undefined) filter[control.name] = range;
    } else if (control.kind === "text" && typeof value === "string" && value.trim()) {
      filter[control.name] = value.trim();
    }
  }
  return Object.keys(filter).length ? filter : undefined;
}
