import type { RouteObject } from "react-router";

import { grantsStaffRoutes } from "./grants/routes";
import { coreStaffRoutes } from "./core/routes";
import { notificationsStaffRoutes } from "./notifications/routes";

export const staffRoutes: RouteObject[] = [...coreStaffRoutes, ...grantsStaffRoutes, ...notificationsStaffRoutes];
