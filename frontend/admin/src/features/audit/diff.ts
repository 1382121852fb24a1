export type DiffKind = "added" | "removed" | "changed";

export interface DiffLine {
  /** Dotted path of the field: `settings.url`. */
  path: string;
  kind: DiffKind;
  before?: unknown;
  after?: unknown;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => same(item, b[index]));
  const left = a as Json;
  const right = b as Json;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  return [...keys].every((key) => key in left && key in right && same(left[key], right[key]));
}

/** What an audit entry's `before` -> `after` changed: each field added, removed or changed,
 * nested objects walked to their fields (lists are compared whole), sorted by path. A
 * creation (no `before`) is all additions, a deletion (no `after`) all removals. */
export function jsonDiff(before: Json | null | undefined, after: Json | null | undefined, prefix = ""): DiffLine[] {
  const left = before ?? {};
  const right = after ?? {};
  const lines: DiffLine[] = [];
  const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
  for (const key of keys) {
    const path = prefix ? `${prefix}.${key}` : key;
    const had = key in left;
    const has = key in right;
    if (had && !has) lines.push({ path, kind: "removed", before: left[key] });
    else if (!had && has) lines.push({ path, kind: "added", after: right[key] });
    else if (isObject(left[key]) && isObject(right[key])) lines.push(...jsonDiff(left[key], right[key], path));
    else if (!same(left[key], right[key])) lines.push({ path, kind: "changed", before: left[key], after: right[key] });
  }
  return lines;
}

/** A value as the diff shows it: JSON, strings quoted, long ones cut. */
export function shownValue(value: unknown, max = 200): string {
  const text = value === undefined ? "" : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
