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
};

export function StatusBadge({ status }: { status: string | null | undefined }) {
  return (
    <Badge color={COLORS[status ?? ""] ?? "gray"} variant="light">
      {humanize(status)}
    </Badge>
  );
}
