import type { RouteObject } from "react-router";

const configurations = async () => ({ Component: (await import("./components/ConfigurationsPage")).ConfigurationsPage });
const deliveries = async () => ({ Component: (await import("./components/DeliveriesPage")).DeliveriesPage });

// This section's pages, each its own chunk (`lazy`), paths relative to the section's (`index: true` first).
export const integrationsRoutes: { configurations: RouteObject[]; deliveries: RouteObject[] } = {
  configurations: [{ index: true, lazy: configurations }],
  deliveries: [{ index: true, lazy: deliveries }],
};
