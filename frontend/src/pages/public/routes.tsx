import type { RouteObject } from "react-router";

// The directory is where most visitors land: in the first chunk, so its rows
// wait for no second script.
import { Directory } from "./Directory";

export const publicRoutes: RouteObject[] = [
  { index: true, lazy: async () => ({ Component: (await import("./Home")).Home }) },
  { path: "directory", Component: Directory },
  { path: "partnerships/:id", lazy: async () => ({ Component: (await import("./Partnership")).Partnership }) },
  { path: "statistics", lazy: async () => ({ Component: (await import("./Statistics")).Statistics }) },
];
