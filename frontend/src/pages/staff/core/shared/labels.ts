// The domain's words for enum values, as staff read them.
import type { DuesBand, MemberKind, MembershipStatus, PartnershipStatus, PaymentStatus } from "../../../../gql/graphql";

export const KIND_LABELS: Record<MemberKind, string> = { CITY: "City", COUNTY: "County", STATE: "State" };
export const KIND_OPTIONS = (Object.keys(KIND_LABELS) as MemberKind[]).map((value) => ({
  value,
  label: KIND_LABELS[value],
}));

export const MEMBERSHIP_STATUSES: readonly MembershipStatus[] = ["PENDING", "ACTIVE", "GRACE", "LAPSED", "CANCELLED"];

export const BAND_LABELS: Record<DuesBand, string> = {
  UP_TO_25K: "Up to 25,000",
  FROM_25K_TO_50K: "25,001 to 50,000",
  FROM_50K_TO_100K: "50,001 to 100,000",
  FROM_100K_TO_300K: "100,001 to 300,000",
  FROM_300K_TO_500K: "300,001 to 500,000",
  OVER_500K: "Over 500,000",
};
export const BANDS = Object.keys(BAND_LABELS) as DuesBand[];
export const BAND_OPTIONS = BANDS.map((value) => ({ value, label: BAND_LABELS[value] }));

/** The population range of each band (the schedule's input repeats them). */
export const BAND_RANGES: Record<DuesBand, { minPopulation: number; maxPopulation: number | null }> = {
  UP_TO_25K: { minPopulation: 1, maxPopulation: 25_000 },
  FROM_25K_TO_50K: { minPopulation: 25_001, maxPopulation: 50_000 },
  FROM_50K_TO_100K: { minPopulation: 50_001, maxPopulation: 100_000 },
  FROM_100K_TO_300K: { minPopulation: 100_001, maxPopulation: 300_000 },
  FROM_300K_TO_500K: { minPopulation: 300_001, maxPopulation: 500_000 },
  OVER_500K: { minPopulation: 500_001, maxPopulation: null },
};

export const PAYMENT_STATUSES: readonly PaymentStatus[] = [
  "PENDING",
  "SUCCEEDED",
  "FAILED",
  "EXPIRED",
  "PARTIALLY_REFUNDED",
  "REFUNDED",
];

/** The partnership queue's tabs: what awaits staff first. */
export const PARTNERSHIP_STATUSES: readonly PartnershipStatus[] = ["PROPOSED", "PENDING", "ACTIVE", "DORMANT", "TERMINATED"];
