// How staff read the two sides of a partnership.
import type { StaffPartnershipFieldsFragment } from "../../../../gql/graphql";

export function partnerName(p: Pick<StaffPartnershipFieldsFragment, "partnerCity" | "partnerRegion" | "countryName">): string {
  return [p.partnerCity, p.partnerRegion, p.countryName].filter(Boolean).join(", ");
}

export function memberLabel(p: StaffPartnershipFieldsFragment): string {
  const name = p.member?.name ?? p.memberName ?? "the member";
  const state = p.member?.state ?? p.memberState;
  return state ? `${name}, ${state}` : name;
}
