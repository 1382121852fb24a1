import type { RouteObject } from "react-router";

// This section's pages, each its own chunk (`lazy`), paths relative to the section's (`index: true` first).
export const customersRoutes: RouteObject[] = [
  { index: true, lazy: async () => ({ Component: (await import("./components/CustomersPage")).CustomersPage }) },
  { path: ":customerId", lazy: async () => ({ Component: (await import("./components/CustomerPage")).CustomerPage }) },
];
