import type { Schema } from "@oms/shared";

export type Change = Schema<"ChangeRead">;
export type ImportResult = Schema<"ImportRead">;
export type DocumentType = "application/yaml" | "application/json";

/** The type to send a document file as: JSON by its name or its type, else YAML (what the
 * export writes). */
export function documentTypeOf(file: { name: string; type: string }): DocumentType {
  return file.type === "application/json" || /\.json$/i.test(file.name) ? "application/json" : "application/yaml";
}

export interface ChangeGroups {
  add: Change[];
  change: Change[];
  remove: Change[];
}

/** The dry run's changes by kind, in the order the API listed them. */
export function groupChanges(changes: Change[]): ChangeGroups {
  return {
    add: changes.filter((change) => change.op === "add"),
    change: changes.filter((change) => change.op === "change"),
    remove: changes.filter((change) => change.op === "remove"),
  };
}

/** Every problem of a refused document, each at its path in the document (`statuses[2].code`);
 * a problem without a path is the document's as a whole. */
export function documentProblems(errors: { field: string; message: string }[] | undefined): { path: string; message: string }[] {
  return (errors ?? []).map((error) => ({ path: error.field.replace(/^body\.?/, ""), message: error.message }));
}
