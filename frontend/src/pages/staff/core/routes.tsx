import type { RouteObject } from "react-router";

/** Members, dues, payments, the partnership queue (every page asks for staff). */
export const coreStaffRoutes: RouteObject[] = [
  {
    path: "staff/members",
    lazy: async () => ({ Component: (await import("./members/MembersPage")).MembersPage }),
  },
  {
    path: "staff/members/new",
    lazy: async () => ({ Component: (await import("./members/RegisterMemberPage")).RegisterMemberPage }),
  },
  {
    path: "staff/members/:id",
    lazy: async () => ({ Component: (await import("./members/MemberDetailPage")).MemberDetailPage }),
  },
  {
    path: "staff/members/:id/edit",
    lazy: async () => ({ Component: (await import("./members/EditMemberPage")).EditMemberPage }),
  },
  {
    path: "staff/dues",
    lazy: async () => ({ Component: (await import("./dues/DuesPage")).DuesPage }),
  },
  {
    path: "staff/payments",
    lazy: async () => ({ Component: (await import("./payments/PaymentsPage")).PaymentsPage }),
  },
  {
    path: "staff/payments/:id",
    lazy: async () => ({ Component: (await import("./payments/PaymentDetailPage")).PaymentDetailPage }),
  },
  {
    path: "staff/receipts/:number",
    lazy: async () => ({ Component: (await import("./payments/ReceiptPage")).ReceiptPage }),
  },
  {
    path: "staff/partnerships",
    lazy: async () => ({ Component: (await import("./partnerships/PartnershipQueuePage")).PartnershipQueuePage }),
  },
  {
    path: "staff/partnerships/:id",
    lazy: async () => ({ Component: (await import("./partnerships/PartnershipDetailPage")).PartnershipDetailPage }),
  },
];
