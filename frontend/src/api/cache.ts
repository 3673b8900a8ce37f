// Graphcache's view of the schema: entities are keyed by `id` (a receipt by its
// number); shapes without one (pages, counts, results) live inside their parent.
// After a mutation, the listings it can change are fetched again.
import type { CacheExchangeOpts, Cache, KeyingConfig } from "@urql/exchange-graphcache";

import introspection from "../gql/introspection";

const ROOTS = new Set(["Query", "Mutation", "Subscription"]);

function embeddedKeys(): KeyingConfig {
  const keys: KeyingConfig = {};
  for (const type of introspection.__schema.types) {
    if (type.kind !== "OBJECT" || ROOTS.has(type.name) || type.name.startsWith("__")) continue;
    const fields = "fields" in type && Array.isArray(type.fields) ? type.fields : [];
    if (!fields.some((f: { name: string }) => f.name === "id")) keys[type.name] = () => null;
  }
  return keys;
}

/** Mutation -> the Query fields whose listings it can change. */
export const INVALIDATES: Record<string, readonly string[]> = {
  registerMember: ["members"],
  updateMember: ["members"],
  cancelMembership: ["members"],
  reinstateMembership: ["members"],
  setDuesSchedule: ["duesSchedule"],
  openDuesYear: ["duesSchedule", "members", "member", "invoice"],
  proposePartnership: ["partnerships", "partnershipStats"],
  recordAgreement: ["partnerships", "partnershipStats"],
  activatePartnership: ["partnerships", "partnershipStats"],
  markPartnershipDormant: ["partnerships", "partnershipStats"],
  reactivatePartnership: ["partnerships", "partnershipStats"],
  terminatePartnership: ["partnerships", "partnershipStats"],
  setPartnerPreferences: ["partnerPreferences", "partnerSuggestions"],
  createGrantProgram: ["grantPrograms"],
  updateGrantProgram: ["grantPrograms"],
  publishGrantProgram: ["grantPrograms"],
  registerReviewer: ["reviewers"],
  saveApplication: ["applications", "grantPrograms"],
  submitApplication: ["applications", "grantPrograms"],
  withdrawApplication: ["applications", "grantPrograms"],
  assignReviewers: ["applications", "myReviewAssignments", "application", "programRanking"],
  recuse: ["myReviewAssignments", "application"],
  submitReview: ["myReviewAssignments", "programRanking", "application"],
  decideApplication: ["applications", "programRanking", "grantPrograms", "grantProgram"],
  signGrantAgreement: ["grantAward"],
  releaseInstalment: ["grantAward", "disbursements"],
  submitGranteeReport: ["grantAward"],
  reviewGranteeReport: ["grantAward"],
  createDuesCheckout: ["payments"],
  refundPayment: ["payments", "payment", "receipt"],
  markDisbursementPaid: ["disbursements"],
  resendNotification: ["notifications"],
  setNotificationPreferences: ["notificationPreferences"],
};

export function invalidateQueryFields(cache: Cache, fieldNames: readonly string[]): void {
  for (const field of cache.inspectFields("Query")) {
    if (fieldNames.includes(field.fieldName)) {
      cache.invalidate("Query", field.fieldName, field.arguments ?? undefined);
    }
  }
}

export const cacheConfig: Partial<CacheExchangeOpts> = {
  schema: introspection,
  keys: { ...embeddedKeys(), Receipt: (data) => (data.number as string | undefined) ?? null },
  updates: {
    Mutation: Object.fromEntries(
      Object.entries(INVALIDATES).map(([mutation, fields]) => [
        mutation,
        (_result: unknown, _args: unknown, cache: Cache) => invalidateQueryFields(cache, fields),
      ]),
    ),
  },
};
