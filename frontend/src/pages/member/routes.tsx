// The member community's portal: its membership, dues, partnerships and grants.
// Every page sits inside RequireRole member (the parent route's element).
import { Outlet, type RouteObject } from "react-router";

import { RequireRole } from "../../components/RequireRole";

export const memberRoutes: RouteObject[] = [
  {
    path: "member",
    element: (
      <RequireRole role="member">
        <Outlet />
      </RequireRole>
    ),
    children: [
      { index: true, lazy: async () => ({ Component: (await import("./Overview")).Overview }) },
      { path: "details", lazy: async () => ({ Component: (await import("./ContactDetails")).ContactDetails }) },
      { path: "invoices", lazy: async () => ({ Component: (await import("./Invoices")).Invoices }) },
      {
        path: "invoices/:invoiceId/paid",
        lazy: async () => ({ Component: (await import("./InvoicePaid")).InvoicePaid }),
      },
      { path: "receipts/:number", lazy: async () => ({ Component: (await import("./Receipt")).Receipt }) },
      { path: "partnerships", lazy: async () => ({ Component: (await import("./Partnerships")).Partnerships }) },
      {
        path: "partnerships/new",
        lazy: async () => ({ Component: (await import("./PartnershipNew")).PartnershipNew }),
      },
      {
        path: "partnerships/suggestions",
        lazy: async () => ({ Component: (await import("./PartnerMatching")).PartnerMatching }),
      },
      {
        path: "notifications",
        lazy: async () => ({ Component: (await import("./Notifications")).Notifications }),
      },
      { path: "grants", lazy: async () => ({ Component: (await import("./Grants")).Grants }) },
      {
        path: "grants/programmes/:programId/apply",
        lazy: async () => ({ Component: (await import("./ApplicationNew")).ApplicationNew }),
      },
      {
        path: "grants/applications/:applicationId",
        lazy: async () => ({ Component: (await import("./Application")).Application }),
      },
      { path: "grants/awards/:awardId", lazy: async () => ({ Component: (await import("./Award")).Award }) },
      {
        path: "partnerships/:partnershipId",
        lazy: async () => ({ Component: (await import("./PartnershipDetail")).PartnershipDetail }),
      },
    ],
  },
];
