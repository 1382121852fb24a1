import type { RouteObject } from "react-router";

export const brandingRoutes: RouteObject[] = [
  { index: true, lazy: async () => ({ Component: (await import("./components/BrandingPage")).BrandingPage }) },
];
