// A member form's values and what the API takes from them.
import type { DuesBand, MemberKind, UpdateMemberInput } from "../../../../gql/graphql";

export interface MemberValues {
  name: string;
  kind: MemberKind | null;
  state: string | null;
  population: number | string;
  contactEmail: string;
  website: string;
  duesBand: DuesBand | null;
}

export const MEMBER_FIELDS = ["name", "kind", "state", "population", "contactEmail", "website", "duesBand"] as const;

export const EMPTY_MEMBER: MemberValues = {
  name: "",
  kind: "CITY",
  state: null,
  population: "",
  contactEmail: "",
  website: "",
  duesBand: null,
};

/** The population as the API takes it: a whole number, or null when unknown. */
export function populationOf(values: MemberValues): number | null {
  return typeof values.population === "number" ? values.population : null;
}

/** Only what changed: the API leaves out fields not given, and null clears. */
export function memberChanges(before: MemberValues, after: MemberValues): UpdateMemberInput {
  const input: UpdateMemberInput = {};
  if (after.name.trim() !== before.name) input.name = after.name.trim();
  if (after.kind !== before.kind && after.kind) input.kind = after.kind;
  if (after.state !== before.state && after.state) input.state = after.state;
  if (populationOf(after) !== populationOf(before)) input.population = populationOf(after);
  if (after.contactEmail.trim() !== before.contactEmail) input.contactEmail = after.contactEmail.trim();
  if (after.website.trim() !== before.website) input.website = after.website.trim() || null;
  if (populationOf(after) == null && after.duesBand !== before.duesBand) input.duesBand = after.duesBand;
  return input;
}
