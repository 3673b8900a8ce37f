import type { RouteObject } from "react-router";

/** The emails the platform sent: search, delivery, sending a parked one again; the digest. */
export const notificationsStaffRoutes: RouteObject[] = [
  {
    path: "staff/notifications",
    lazy: async () => ({ Component: (await import("./NotificationsPage")).NotificationsPage }),
  },
];
