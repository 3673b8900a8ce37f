import type { RouteObject } from "react-router";

/** The reviewer's workspace: assignments, scoring, recusal. */
export const reviewerRoutes: RouteObject[] = [
  { path: "review", lazy: async () => ({ Component: (await import("./Assignments")).Assignments }) },
  {
    path: "review/assignments/:id",
    lazy: async () => ({ Component: (await import("./AssignmentPage")).AssignmentPage }),
  },
];
