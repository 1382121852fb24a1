import type { Schema } from "@oms/shared";

export type Role = Schema<"Role">;
export const ROLES: readonly Role[] = ["admin", "manager", "customer"];
export const STAFF_ROLES: readonly Role[] = ["admin", "manager"];

export interface UserFilter {
  q: string;
  role: Role | null;
  active: boolean | null;
}

/** The listing's filter from the page's address (`?q=ann&role=manager&active=false`), so a
 * view can be shared; what is not a known value is left out. */
export function filterFromSearch(search: URLSearchParams): UserFilter {
  const role = search.get("role");
  const active = search.get("active");
  return {
    q: (search.get("q") ?? "").slice(0, 320),
    role: ROLES.includes(role as Role) ? (role as Role) : null,
    active: active === "true" ? true : active === "false" ? false : null,
  };
}

export function searchOfFilter(filter: UserFilter): URLSearchParams {
  const search = new URLSearchParams();
  if (filter.q.trim()) search.set("q", filter.q.trim());
  if (filter.role) search.set("role", filter.role);
  if (filter.active !== null) search.set("active", String(filter.active));
  return search;
}

/** The filter as `GET /users` takes it. */
export function queryOfFilter(filter: UserFilter): { q?: string; role?: Role; active?: boolean } {
  return {
    ...(filter.q.trim() ? { q: filter.q.trim() } : {}),
    ...(filter.role ? { role: filter.role } : {}),
    ...(filter.active !== null ? { active: filter.active } : {}),
  };
}
