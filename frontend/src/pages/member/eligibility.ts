// A preview of a programme's eligibility rules against what the portal knows of
// the community. The grants service decides at submission (and lists its own
// reasons on the application); this only tells the member what to expect.
import { formatDate, formatNumber, humanize } from "../../components/format";
import type { GrantPartnershipRequirement } from "../../gql/graphql";

export interface Rules {
  goodStandingRequired: boolean;
  partnershipRequirement: GrantPartnershipRequirement;
  maxPopulation?: number | null;
  allowedCountries: readonly string[];
  coolingOffYears: number;
}

export interface Community {
  status?: string | null;
  goodStanding?: boolean | null;
  population?: number | null;
  partnerships: readonly { id: string; status: string; recognized: boolean; country: string }[];
}

/** When the community last won an award, if ever. */
export type LastAward = string | null | undefined;

/** Partnerships an application to this programme could name. */
export function qualifyingPartnerships<P extends Community["partnerships"][number]>(
  rules: Rules,
  partnerships: readonly P[],
): P[] {
  return partnerships.filter(
    (p) =>
      p.status !== "TERMINATED" &&
      (rules.partnershipRequirement !== "ACTIVE" || p.status === "ACTIVE") &&
      (rules.partnershipRequirement !== "RECOGNIZED" || p.recognized) &&
      (rules.allowedCountries.length === 0 || rules.allowedCountries.includes(p.country)),
  );
}

/** Every rule the community does not meet now, in the service's words where it can. */
export function eligibilityReasons(rules: Rules, community: Community, lastAward: LastAward, now = new Date()): string[] {
  const reasons: string[] = [];
  if (rules.goodStandingRequired && !community.goodStanding) {
    reasons.push(
      `Your community is not in good standing (membership ${humanize(community.status).toLowerCase()}): pay the open dues first.`,
    );
  }
  if (qualifyingPartnerships(rules, community.partnerships).length === 0) {
    const kind =
      rules.partnershipRequirement === "ACTIVE"
        ? "an active partnership"
        : rules.partnershipRequirement === "RECOGNIZED"
          ? "a recognized partnership"
          : "a partnership";
    const where = rules.allowedCountries.length ? ` with a community in ${rules.allowedCountries.join(", ")}` : "";
    reasons.push(`The programme asks for ${kind}${where}; your community has none.`);
  }
  if (rules.maxPopulation != null) {
    if (community.population == null) reasons.push("Your community's population is not known.");
    else if (community.population > rules.maxPopulation) {
      reasons.push(
        `Population of ${formatNumber(community.population)} is above the programme's maximum of ${formatNumber(rules.maxPopulation)}.`,
      );
    }
  }
  if (rules.coolingOffYears > 0 && lastAward) {
    const until = new Date(lastAward);
    until.setFullYear(until.getFullYear() + rules.coolingOffYears);
    if (until > now) {
      reasons.push(
        `A grant was awarded on ${formatDate(lastAward)}; past grantees wait ${rules.coolingOffYears} year(s), until ${formatDate(until.toISOString())}.`,
      );
    }
  }
  return reasons;
}
