// The contact details a member's own users may change, and what the API takes.
import type { UpdateMemberInput } from "../../gql/graphql";

export interface ContactValues {
  name: string;
  contactEmail: string;
  website: string;
}

export const CONTACT_FIELDS = ["name", "contactEmail", "website"] as const;

/** Only what changed: the API leaves out fields not given; a null website clears it. */
export function contactChanges(before: ContactValues, after: ContactValues): UpdateMemberInput {
  const input: UpdateMemberInput = {};
  if (after.name.trim() !== before.name) input.name = after.name.trim();
  if (after.contactEmail.trim() !== before.contactEmail) input.contactEmail = after.contactEmail.trim();
  if (after.website.trim() !== before.website) input.website = after.website.trim() || null;
  return input;
}
