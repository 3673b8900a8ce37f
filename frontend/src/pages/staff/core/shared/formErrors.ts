// API errors in a form: BAD_USER_INPUT (and a CONFLICT that names a field of
// the form, such as a duplicate name) next to the field; the rest above it.
import type { CombinedError } from "urql";

import { splitFieldErrors, type ApiError } from "../../../../api/errors";

export function formErrors(
  error: CombinedError | undefined | null,
  fields: readonly string[],
): { byField: Record<string, string>; other: ApiError[] } {
  const { byField, other } = splitFieldErrors(error, fields);
  const rest: ApiError[] = [];
  for (const e of other) {
    const field = e.code === "CONFLICT" && e.field && fields.includes(e.field) ? e.field : null;
    if (field && !byField[field]) byField[field] = e.message.charAt(0).toUpperCase() + e.message.slice(1);
    else rest.push(e);
  }
  return { byField, other: rest };
}
