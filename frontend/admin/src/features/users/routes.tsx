import type { RouteObject } from "react-router";

export const usersRoutes: RouteObject[] = [
  { index: true, lazy: async () => ({ Component: (await import("./components/UsersPage")).UsersPage }) },
];
