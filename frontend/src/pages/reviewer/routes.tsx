import type { RouteObject } from "react-router";

/** The reviewer's workspace: assignments, scoring, recusal. */
export const reviewerRoutes: RouteObject[] = [
  { path: "review", lazy: async () => ({ Component: (await import("./Assignments")).Assignments }) },
  { path: "review/notifications", lazy: async () => ({ Component: (await import("./Notifications")).Notifications }) },
  {
    path: "review/assignments/:id",
    lazy: async () => ({ Component: (await import("./AssignmentPage")).AssignmentPage }),
  },
];
