import type { RouteObject } from "react-router";

// This section's pages, each its own chunk (`lazy`), paths relative to the section's (`index: true` first).
export const ordersRoutes: RouteObject[] = [
  { index: true, lazy: async () => ({ Component: (await import("./components/OrdersPage")).OrdersPage }) },
  { path: ":orderId", lazy: async () => ({ Component: (await import("./components/OrderPage")).OrderPage }) },
];
