import type { RouteObject } from "react-router";

export const auditRoutes: RouteObject[] = [
  { index: true, lazy: async () => ({ Component: (await import("./components/AuditPage")).AuditPage }) },
];
