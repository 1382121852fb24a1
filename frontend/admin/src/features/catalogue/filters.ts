/** The product list's filter, kept in the page's URL so that a view can be shared. */
export type ProductState = "all" | "active" | "archived";

export interface ProductFilter {
  q: string;
  /** A category's id, or "" for every category. */
  category: string;
  state: ProductState;
}

const STATES: readonly ProductState[] = ["all", "active", "archived"];
export const DEFAULT_FILTER: ProductFilter = { q: "", category: "", state: "all" };

export function filterFromSearch(search: URLSearchParams): ProductFilter {
  const state = search.get("state") as ProductState | null;
  return {
    q: (search.get("q") ?? "").trim(),
    category: search.get("category") ?? "",
    state: state && STATES.includes(state) ? state : DEFAULT_FILTER.state,
  };
}

/** Only what differs from the default goes into the URL. */
export function searchFromFilter(filter: ProductFilter): URLSearchParams {
  const search = new URLSearchParams();
  if (filter.q.trim()) search.set("q", filter.q.trim());
  if (filter.category) search.set("category", filter.category);
  if (filter.state !== DEFAULT_FILTER.state) search.set("state", filter.state);
  return search;
}
