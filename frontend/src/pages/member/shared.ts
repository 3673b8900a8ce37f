// Words and lists the member portal shares: dues bands, a programme area's
// words, and the signed-in member's id (the lists of countries, continents
// and programme areas: ../public/geo/places, shared with the public pages).
import { useAuth } from "../../auth/AuthProvider";
import type { DuesBand } from "../../gql/graphql";
import { PROGRAM_AREAS } from "../public/geo/places";

export const BAND_LABELS: Record<DuesBand, string> = {
  UP_TO_25K: "Up to 25,000 people",
  FROM_25K_TO_50K: "25,001 to 50,000 people",
  FROM_50K_TO_100K: "50,001 to 100,000 people",
  FROM_100K_TO_300K: "100,001 to 300,000 people",
  FROM_300K_TO_500K: "300,001 to 500,000 people",
  OVER_500K: "Over 500,000 people",
};

export function bandLabel(band: string | null | undefined): string {
  return band ? (BAND_LABELS[band as DuesBand] ?? band) : "—";
}

export function areaLabel(area: string): string {
  return PROGRAM_AREAS.find((a) => a.value === area)?.label ?? area;
}

/** The signed-in member community's id (pages sit inside RequireRole member). */
export function useMemberId(): string {
  return useAuth().identity.memberId ?? "";
}

/** Dollars typed in a form as cents for the API. */
export function toCents(amount: number | string | null | undefined): number {
  const value = typeof amount === "string" ? Number(amount) : (amount ?? 0);
  return Number.isFinite(value) ? Math.round(value * 100) : 0;
}

export function fromCents(cents: number | null | undefined): number | string {
  return cents == null ? "" : cents / 100;
}
