import type { RouteObject } from "react-router";

/** Members, dues, payments, the partnership queue. */
export const coreStaffRoutes: RouteObject[] = [];
