import type { Schema, paths } from "@oms/shared";

/** The orders table's view as the URL keeps it (`?status=new&status=confirmed&from=2025-03-01
 * &to=2025-03-31&customer=<id>&q=cora&sort=-total`): shareable, and kept by a reload. */
export type OrderSort = Schema<"OrderSort">;
export type OrderListQuery = NonNullable<paths["/api/v1/orders"]["get"]["parameters"]["query"]>;

export interface OrderFilters {
  statuses: string[];
  /** The first and last day of the range, both included, as `YYYY-MM-DD` in the browser's
   * time zone. */
  from: string | null;
  to: string | null;
  customerId: string | null;
  q: string;
  sort: OrderSort;
}

export const DEFAULT_SORT: OrderSort = "-created_at";
const SORTS: readonly OrderSort[] = ["-created_at", "created_at", "-total", "total", "number", "-number"];
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const NO_FILTERS: OrderFilters = { statuses: [], from: null, to: null, customerId: null, q: "", sort: DEFAULT_SORT };

function validDay(value: string | null): string | null {
  if (!value) return null;
  const match = DAY.exec(value);
  if (!match) return null;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(year, month - 1, day);
  return date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day ? value : null;
}

/** The view a query string describes; whatever it holds that is not a valid view is left
 * out rather than sent to the API. */
export function filtersFromSearch(search: URLSearchParams): OrderFilters {
  const statuses = [...new Set(search.getAll("status").filter((code) => code.trim() !== ""))];
  const sort = search.get("sort");
  const customer = search.get("customer");
  return {
    statuses,
    from: validDay(search.get("from")),
    to: validDay(search.get("to")),
    customerId: customer && UUID.test(customer) ? customer.toLowerCase() : null,
    q: (search.get("q") ?? "").trim(),
    sort: SORTS.includes(sort as OrderSort) ? (sort as OrderSort) : DEFAULT_SORT,
  };
}

/** The query string of a view, with only what differs from the default (so the plain list
 * is just `/orders`). */
export function searchFromFilters(filters: OrderFilters): URLSearchParams {
  const search = new URLSearchParams();
  for (const status of filters.statuses) search.append("status", status);
  if (filters.from) search.set("from", filters.from);
  if (filters.to) search.set("to", filters.to);
  if (filters.customerId) search.set("customer", filters.customerId);
  if (filters.q.trim()) search.set("q", filters.q.trim());
  if (filters.sort !== DEFAULT_SORT) search.set("sort", filters.sort);
  return search;
}

function startOfDay(day: string, plusDays = 0): string {
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  return new Date(year, month - 1, date + plusDays).toISOString();
}

/** The API's parameters for a view: the day range becomes `[from 00:00, the day after to
 * 00:00)` in the browser's time zone. */
export function listQuery(filters: OrderFilters): OrderListQuery {
  const query: OrderListQuery = { sort: filters.sort };
  if (filters.statuses.length) query.status = filters.statuses;
  if (filters.from) query.created_from = startOfDay(filters.from);
  if (filters.to) query.created_to = startOfDay(filters.to, 1);
  if (filters.customerId) query.customer_id = filters.customerId;
  if (filters.q.trim()) query.q = filters.q.trim();
  return query;
}

export type SortField = "created_at" | "total" | "number";

/** The sort after clicking a column's header: that column, or the other way round when it
 * already sorts by it. Dates and totals start largest first, numbers in order. */
export function toggledSort(current: OrderSort, field: SortField): OrderSort {
  if (current === field) return `-${field}` as OrderSort;
  if (current === `-${field}`) return field;
  return field === "number" ? "number" : (`-${field}` as OrderSort);
}

export function sortDirection(current: OrderSort, field: SortField): "ascending" | "descending" | undefined {
  if (current === field) return "ascending";
  if (current === `-${field}`) return "descending";
  return undefined;
}

/** Whether a free text would be accepted: the API needs three letters or digits in a row
 * (the trigram indexes' minimum), or an order number. */
export function searchableText(text: string): boolean {
  return /[\p{L}\p{N}]{3}/u.test(text) || /^\s*(OMS-)?\d+\s*$/i.test(text);
}
