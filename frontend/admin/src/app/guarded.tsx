import type { RouteObject } from "react-router";
import { RequirePermission } from "./access";
import { sectionOf } from "./sections";

/** A section's routes, at the section's path and behind the permission it needs; the
 * feature's paths are relative to it (`index: true` is the section's first page). */
export function guarded(key: string, routes: RouteObject[]): RouteObject {
  const section = sectionOf(key);
  const element = <RequirePermission permission={section.permission} />;
  return section.path === "/" ? { element, children: routes } : { path: section.path.slice(1), element, children: routes };
}
