import type { Permission } from "./access";

/** The app's sections, in navigation order, each with the permission its pages need (the
 * same the API asks for the calls they make). */
export interface Section {
  key: string;
  path: string;
  permission: Permission;
}

export const SECTIONS: readonly Section[] = [
  { key: "dashboard", path: "/", permission: "orders:read-all" },
  { key: "orders", path: "/orders", permission: "orders:read-all" },
  { key: "products", path: "/products", permission: "catalogue:write" },
  { key: "categories", path: "/categories", permission: "catalogue:write" },
  { key: "customers", path: "/customers", permission: "customers:read" },
  { key: "workflow", path: "/workflow", permission: "config:write" },
  { key: "integrations", path: "/integrations", permission: "config:write" },
  { key: "deliveries", path: "/deliveries", permission: "config:write" },
  { key: "emailTemplates", path: "/email-templates", permission: "config:write" },
  { key: "branding", path: "/branding", permission: "config:write" },
  { key: "users", path: "/users", permission: "users:manage" },
  { key: "audit", path: "/audit", permission: "audit:read" },
  { key: "configuration", path: "/configuration", permission: "config:write" },
];

export function sectionOf(key: string): Section {
  const section = SECTIONS.find((candidate) => candidate.key === key);
  if (!section) throw new Error(`no section ${key}`);
  return section;
}

/** The section a path belongs to: the longest section path it starts with. */
export function activeSection(pathname: string): Section | undefined {
  return [...SECTIONS]
    .sort((a, b) => b.path.length - a.path.length)
    .find((section) => (section.path === "/" ? pathname === "/" : pathname === section.path || pathname.startsWith(`${section.path}/`)));
}
