import type { RouteObject } from "react-router";

/** Grant programmes, reviewers, assignment, ranking, decisions, awards. */
export const grantsStaffRoutes: RouteObject[] = [
  { path: "staff/grants", lazy: async () => ({ Component: (await import("./Programs")).Programs }) },
  { path: "staff/grants/new", lazy: async () => ({ Component: (await import("./ProgramNew")).ProgramNew }) },
  {
    path: "staff/grants/applications/:applicationId",
    lazy: async () => ({ Component: (await import("./ApplicationPage")).ApplicationPage }),
  },
  { path: "staff/grants/awards/:awardId", lazy: async () => ({ Component: (await import("./AwardPage")).AwardPage }) },
  { path: "staff/grants/:programId", lazy: async () => ({ Component: (await import("./ProgramPage")).ProgramPage }) },
  {
    path: "staff/grants/:programId/edit",
    lazy: async () => ({ Component: (await import("./ProgramEdit")).ProgramEdit }),
  },
  { path: "staff/reviewers", lazy: async () => ({ Component: (await import("./Reviewers")).Reviewers }) },
];
