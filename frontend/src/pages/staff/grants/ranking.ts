// The ranking against the budget: which undecided applications what is left covers.
import type { GrantApplicationStatus } from "../../../gql/graphql";

export interface RankingEntry {
  rank: number;
  applicationId: string;
  applicantName?: string | null;
  title: string;
  status: GrantApplicationStatus;
  amountRequestedCents: number;
  cumulativeRequestedCents: number;
  reviewsExpected: number;
  reviews: number;
  score?: number | null;
  spread?: number | null;
  disagreement: boolean;
}

export interface Ranking {
  budgetCents: number;
  awardedCents: number;
  remainingCents: number;
  disagreementThreshold: number;
  entries: readonly RankingEntry[];
}

const UNDECIDED: readonly GrantApplicationStatus[] = ["SUBMITTED", "IN_REVIEW"];

/**
 * Which undecided applications the remaining budget covers, taken in rank
 * order: the running total of what they request, against what is left.
 */
export function budgetLine(ranking: Ranking): Map<string, { runningCents: number; fits: boolean }> {
  const line = new Map<string, { runningCents: number; fits: boolean }>();
  let running = 0;
  for (const entry of ranking.entries) {
    if (!UNDECIDED.includes(entry.status)) continue;
    running += entry.amountRequestedCents;
    line.set(entry.applicationId, { runningCents: running, fits: running <= ranking.remainingCents });
  }
  return line;
}

