// Decisions: instalment conditions in words, and the API's field names as the form's.
import type { InstalmentCondition } from "../../../gql/graphql";

export const CONDITIONS: { value: InstalmentCondition; label: string }[] = [
  { value: "NONE", label: "No condition" },
  { value: "AGREEMENT_SIGNED", label: "Grant agreement signed" },
  { value: "INTERIM_REPORT_ACCEPTED", label: "Interim report accepted" },
  { value: "FINAL_REPORT_ACCEPTED", label: "Final report accepted" },
  { value: "RECEIPTS_ACCEPTED", label: "Receipts accepted" },
];

/** The API's "decision.instalments[0].amountCents" as the form's "instalments.0.amount". */
export function decisionPath(field: string): string | null {
  const path = field
    .replace(/^decision\./, "")
    .replace(/\[(\d+)\]/g, ".$1")
    .replace(/amountCents$/, "amount");
  return /^(amount|conditions|reasons|instalments(\.\d+\.(amount|condition))?)$/.test(path) ? path : null;
}
