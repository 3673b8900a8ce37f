import type { RouteObject } from "react-router";

/** Grant programmes, reviewers, assignment, ranking, decisions, awards. */
export const grantsStaffRoutes: RouteObject[] = [];
