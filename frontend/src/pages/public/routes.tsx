import type { RouteObject } from "react-router";

// Every page is a chunk of its own, so a page loads only its own code. The
// gateway preloads a page's chunks with the app (gateway/webapp.py), so the
// directory's rows wait for no second round trip.
export const publicRoutes: RouteObject[] = [
  { index: true, lazy: async () => ({ Component: (await import("./Home")).Home }) },
  { path: "directory", lazy: async () => ({ Component: (await import("./Directory")).Directory }) },
  { path: "partnerships/:id", lazy: async () => ({ Component: (await import("./Partnership")).Partnership }) },
  { path: "statistics", lazy: async () => ({ Component: (await import("./Statistics")).Statistics }) },
];
