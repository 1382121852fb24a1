import type { paths } from "@oms/shared";

type Query = NonNullable<paths["/api/v1/deliveries"]["get"]["parameters"]["query"]>;

/** What the delivery log is filtered by, as the URL keeps it (shareable). */
export type DeliveryFilters = Pick<Query, "status" | "worker" | "configuration_id" | "order_id" | "event_id">;

const STATUSES: readonly string[] = ["succeeded", "failed", "dead"] satisfies NonNullable<Query["status"]>[];
const WORKERS: readonly string[] = ["email", "webhook", "inventory"] satisfies NonNullable<Query["worker"]>[];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ID_FIELDS = ["configuration_id", "order_id", "event_id"] as const;

export function isUuid(value: string): boolean {
  return UUID.test(value.trim());
}

/** The filters a URL names; a value the API would refuse (a status it does not know, an id
 * that is no UUID) is left out rather than shown as an error page. */
export function filtersFromSearch(search: URLSearchParams): DeliveryFilters {
  const filters: DeliveryFilters = {};
  const status = search.get("status");
  if (status && STATUSES.includes(status)) filters.status = status as DeliveryFilters["status"];
  const worker = search.get("worker");
  if (worker && WORKERS.includes(worker)) filters.worker = worker as DeliveryFilters["worker"];
  for (const field of ID_FIELDS) {
    const value = search.get(field)?.trim();
    if (value && isUuid(value)) filters[field] = value.toLowerCase();
  }
  return filters;
}

/** The URL query of `filters`, in a fixed order, empty ones left out. */
export function searchFromFilters(filters: DeliveryFilters): URLSearchParams {
  const search = new URLSearchParams();
  for (const field of ["status", "worker", ...ID_FIELDS] as const) {
    const value = filters[field];
    if (value) search.set(field, value);
  }
  return search;
}
