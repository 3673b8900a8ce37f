// The rubric's arithmetic, as docs/grants.md gives it (the service computes the
// stored totals; this is for showing a reviewer what their scores add up to).

export interface Criterion {
  key: string;
  name: string;
  maxScore: number;
  weight: number;
  anchors: readonly { score: number; text: string }[];
}

/** Each criterion's share of the total, in per cent. */
export function weightShare(rubric: readonly Criterion[], criterion: Criterion): number {
  const weights = rubric.reduce((sum, c) => sum + c.weight, 0);
  return weights > 0 ? (criterion.weight / weights) * 100 : 0;
}

/** sum(score_i / max_i * weight_i) / sum(weight_i) * 100, or null until every criterion has a valid score. */
export function weightedTotal(
  rubric: readonly Criterion[],
  scores: Readonly<Record<string, number | null | undefined>>,
): number | null {
  const weights = rubric.reduce((sum, c) => sum + c.weight, 0);
  if (weights <= 0) return null;
  let points = 0;
  for (const c of rubric) {
    const score = scores[c.key];
    if (score == null || !Number.isInteger(score) || score < 0 || score > c.maxScore) return null;
    points += (score / c.maxScore) * c.weight;
  }
  return (points / weights) * 100;
}

export function formatPoints(points: number | null | undefined): string {
  return points == null ? "—" : points.toFixed(2).replace(/\.?0+$/, "");
}

/** "criterion 'impact' is scored from 0 to 5, not 7" -> "impact". */
export function criterionInMessage(message: string): string | null {
  return /criterion '([^']+)'/.exec(message)?.[1] ?? null;
}
