import type { RouteObject } from "react-router";

export const reviewerRoutes: RouteObject[] = [];
