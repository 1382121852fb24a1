import type { RouteObject } from "react-router";

export const configurationRoutes: RouteObject[] = [
  { index: true, lazy: async () => ({ Component: (await import("./components/ConfigurationPage")).ConfigurationPage }) },
];
