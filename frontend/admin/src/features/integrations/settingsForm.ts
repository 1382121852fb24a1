import workerSettings from "@oms/shared/api/workerSettings.json";
import type { RJSFSchema, UiSchema } from "@rjsf/utils";
import type { WorkerType } from "./api";

type JsonSchema = Record<string, unknown>;

const SETTINGS = workerSettings as unknown as Record<WorkerType, JsonSchema>;

function without(schema: JsonSchema, ...keys: string[]): JsonSchema {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => !keys.includes(key)));
}

function isNullSchema(schema: unknown): boolean {
  return typeof schema === "object" && schema !== null && (schema as JsonSchema).type === "null";
}

/** A property as a form control can hold it: `X | null` (pydantic's optional field) becomes
 * X, left out when empty, which the API takes as null. */
function formProperty(schema: JsonSchema): JsonSchema {
  const choices = schema.anyOf;
  if (!Array.isArray(choices)) return schema;
  const kept = choices.filter((choice) => !isNullSchema(choice));
  if (kept.length !== 1 || kept.length === choices.length) return schema;
  return { ...(kept[0] as JsonSchema), ...without(schema, "anyOf") };
}

/** A worker type's settings schema, from the OpenAPI document (`npm run generate`), shaped
 * for a form: optional fields unwrapped, and a root `anyOf` that only requires one of its
 * fields left to the API (a form cannot show it but as a choice of "options"; the API's
 * answer names what is missing). */
export function formSchema(schema: JsonSchema): RJSFSchema {
  const properties = Object.fromEntries(
    Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>).map(([name, property]) => [name, formProperty(property)]),
  );
  return { ...without(schema, "anyOf", "oneOf"), properties };
}

export function settingsSchema(workerType: WorkerType): RJSFSchema {
  return formSchema(SETTINGS[workerType]);
}

/** Settings as the API returned them, for the form: nulls left out (the form has no null). */
export function formValue(settings: unknown): Record<string, unknown> {
  if (typeof settings !== "object" || settings === null) return {};
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== null && value !== undefined));
}

/** Labels and help for each field, in the user's language when the catalogue has them, else
 * the schema's own. */
export function settingsUiSchema(schema: RJSFSchema, text: (field: string, part: "title" | "description", fallback: string) => string): UiSchema {
  const ui: UiSchema = {};
  for (const [field, property] of Object.entries(schema.properties ?? {})) {
    if (typeof property !== "object") continue;
    ui[field] = {
      "ui:title": text(field, "title", property.title ?? field),
      "ui:description": text(field, "description", property.description ?? ""),
      ...(property.type === "string" ? { "ui:autocomplete": "off" } : {}),
    };
  }
  return ui;
}
