export interface AuditFilter {
  actor: string;
  entity: string;
  entity_id: string;
  action: string;
  /** Moments as ISO 8601 with their offset (`2026-01-31T23:00:00.000Z`), or "". */
  since: string;
  until: string;
}

export const EMPTY_FILTER: AuditFilter = { actor: "", entity: "", entity_id: "", action: "", since: "", until: "" };
const KEYS = Object.keys(EMPTY_FILTER) as (keyof AuditFilter)[];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Kinds of entry the log records (docs/audit.md), offered as choices; others may be typed. */
export const ENTITIES = ["branding", "status", "transition", "category", "product", "worker_configuration", "email_template", "user", "account", "address", "order"];

function moment(value: string | null): string {
  if (!value) return "";
  const time = Date.parse(value);
  return Number.isNaN(time) || !/([zZ]|[+-]\d{2}:?\d{2})$/.test(value) ? "" : new Date(time).toISOString();
}

export function filterFromSearch(search: URLSearchParams): AuditFilter {
  const actor = search.get("actor") ?? "";
  return {
    actor: UUID.test(actor) ? actor.toLowerCase() : "",
    entity: (search.get("entity") ?? "").slice(0, 64),
    entity_id: (search.get("entity_id") ?? "").slice(0, 400),
    action: (search.get("action") ?? "").slice(0, 64),
    since: moment(search.get("since")),
    until: moment(search.get("until")),
  };
}

export function searchOfFilter(filter: AuditFilter): URLSearchParams {
  const search = new URLSearchParams();
  for (const key of KEYS) if (filter[key].trim()) search.set(key, filter[key].trim());
  return search;
}

/** The filter as `GET /audit` (and its CSV export) takes it: only what is set. */
export function queryOfFilter(filter: AuditFilter): Partial<AuditFilter> {
  const query: Partial<AuditFilter> = {};
  for (const key of KEYS) if (filter[key].trim()) query[key] = filter[key].trim();
  return query;
}

export function isActorId(value: string): boolean {
  return UUID.test(value.trim());
}

/** A `datetime-local` input's value (the browser's local time) as a moment with its offset. */
export function momentOfLocal(local: string): string {
  if (!local) return "";
  const time = new Date(local).getTime();
  return Number.isNaN(time) ? "" : new Date(time).toISOString();
}

/** A moment as a `datetime-local` input shows it, in the browser's local time. */
export function localOfMoment(iso: string): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
