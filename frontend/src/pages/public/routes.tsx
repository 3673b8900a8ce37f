import type { RouteObject } from "react-router";

export const publicRoutes: RouteObject[] = [
  { index: true, lazy: async () => ({ Component: (await import("./Home")).Home }) },
  { path: "directory", lazy: async () => ({ Component: (await import("./Directory")).Directory }) },
  { path: "partnerships/:id", lazy: async () => ({ Component: (await import("./Partnership")).Partnership }) },
  { path: "statistics", lazy: async () => ({ Component: (await import("./Statistics")).Statistics }) },
];
