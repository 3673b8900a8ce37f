import { Badge } from "@mantine/core";

import { humanize } from "./format";

const COLORS: Record<string, string> = {
  ACTIVE: "green",
  PAID: "green",
  SUCCEEDED: "green",
  AWARDED: "green",
  PUBLISHED: "green",
  ACCEPTED: "green",
  PENDING: "yellow",
  PROPOSED: "yellow",
  OPEN: "blue",
  DRAFT: "gray",
  SUBMITTED: "blue",
  GRACE: "orange",
  DORMANT: "orange",
  LAPSED: "red",
  FAILED: "red",
  CANCELLED: "gray",
  TERMINATED: "gray",
  DECLINED: "red",
  WITHDRAWN: "gray",
  REFUNDED: "grape",
  PARTIALLY_REFUNDED: "grape",
  EXPIRED: "gray",
  SENT: "green",
  PARKED: "red",
  SKIPPED: "gray",
};

/** The status in its colour; `label` when the status's own word is not the reader's. */
export function StatusBadge({ status, label }: { status: string | null | undefined; label?: string }) {
  return (
    <Badge color={COLORS[status ?? ""] ?? "gray"} variant="light">
      {label ?? humanize(status)}
    </Badge>
  );
}
