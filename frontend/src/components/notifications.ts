// The platform's emails in words: what each kind is about, and which a member
// community can turn off (the API says which: `notificationPreferences.optional`).
import type { NotificationKind, NotificationStatus } from "../gql/graphql";

export const KIND_LABELS: Record<NotificationKind, string> = {
  INVOICE_ISSUED: "Dues invoice issued",
  DUES_REMINDER: "Dues reminder",
  PAYMENT_RECEIPT: "Payment receipt",
  PAYMENT_FAILED: "Payment failed",
  CHECKOUT_EXPIRED: "Checkout expired",
  REFUND_ISSUED: "Refund issued",
  MEMBERSHIP_LAPSED: "Membership lapsed",
  PARTNERSHIP_NEWS: "Partnership news",
  APPLICATION_SUBMITTED: "Grant application received",
  APPLICATION_DECIDED: "Grant decision",
  INSTALMENT_RELEASED: "Grant instalment released",
  REVIEW_ASSIGNED: "Review assignment",
  GRANT_ROUND_ANNOUNCEMENT: "Grant round announcement",
  GRANTEE_REPORT_DUE: "Grantee report due",
  GRANTEE_REPORT_ACCEPTED: "Grantee report accepted",
  REVIEW_REMINDER: "Review deadline reminder",
  STAFF_DIGEST: "Staff daily digest",
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind as NotificationKind] ?? kind;
}

export const KIND_OPTIONS = (Object.keys(KIND_LABELS) as NotificationKind[]).map((value) => ({
  value,
  label: KIND_LABELS[value],
}));

export const NOTIFICATION_STATUSES: NotificationStatus[] = ["PENDING", "SENT", "PARKED", "SKIPPED"];

/** What a status means to a member or a reviewer (staff read the status itself). */
export const RECIPIENT_STATUS_LABELS: Record<NotificationStatus, string> = {
  SENT: "Sent",
  PENDING: "Sending",
  PARKED: "Not delivered yet",
  SKIPPED: "Not sent: turned off",
};

/** What each optional kind brings, for the member's switches. */
export const OPTIONAL_DESCRIPTIONS: Partial<Record<NotificationKind, string>> = {
  PARTNERSHIP_NEWS: "When a partnership of yours changes status: approved, marked dormant, reactivated or ended.",
  GRANT_ROUND_ANNOUNCEMENT: "When a new grant programme opens for applications.",
};

/** The kinds a member community receives and cannot turn off, each with why. */
export const MEMBER_ALWAYS_SENT: { kind: NotificationKind; why: string }[] = [
  { kind: "INVOICE_ISSUED", why: "Your dues are owed from it." },
  { kind: "DUES_REMINDER", why: "Missing the due date puts your membership at risk." },
  { kind: "PAYMENT_RECEIPT", why: "It is your proof of payment." },
  { kind: "PAYMENT_FAILED", why: "Your dues are still unpaid." },
  { kind: "CHECKOUT_EXPIRED", why: "Your dues are still unpaid." },
  { kind: "REFUND_ISSUED", why: "It records money returned to you." },
  { kind: "MEMBERSHIP_LAPSED", why: "Your community is no longer in good standing." },
  { kind: "APPLICATION_SUBMITTED", why: "It confirms we have your application." },
  { kind: "APPLICATION_DECIDED", why: "It carries the decision letter." },
  { kind: "INSTALMENT_RELEASED", why: "It records grant money paid to you." },
  { kind: "GRANTEE_REPORT_DUE", why: "The grant agreement requires the report." },
  { kind: "GRANTEE_REPORT_ACCEPTED", why: "It confirms your report met the agreement." },
];
