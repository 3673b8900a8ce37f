// Every error code the API sends, as a person would want to read it.
import type { CombinedError } from "urql";

export type ErrorCode =
  | "BAD_USER_INPUT"
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "UNAUTHENTICATED"
  | "CONFLICT"
  | "UNAVAILABLE"
  | "RATE_LIMITED"
  | "GRAPHQL_VALIDATION_FAILED"
  | "GRAPHQL_PARSE_FAILED"
  | "INTERNAL_SERVER_ERROR"
  | "NETWORK";

export interface ApiError {
  code: ErrorCode;
  /** The API's own message (already safe to show). */
  message: string;
  /** For BAD_USER_INPUT: the input field, in the schema's camelCase. */
  field: string | null;
  correlationId: string | null;
}

const HEADLINES: Record<ErrorCode, string> = {
  BAD_USER_INPUT: "Please check what you entered.",
  NOT_FOUND: "We could not find that. It may have been removed, or the link is wrong.",
  FORBIDDEN: "Your account is not allowed to do this.",
  UNAUTHENTICATED: "Please sign in again.",
  CONFLICT: "This changed in the meantime; reload and try again.",
  UNAVAILABLE: "Part of the service is not answering right now.",
  RATE_LIMITED: "Too many requests in a short time. Wait a moment and try again.",
  GRAPHQL_VALIDATION_FAILED: "This page asked for something the server does not know. Reload the page.",
  GRAPHQL_PARSE_FAILED: "This page sent a request the server could not read. Reload the page.",
  INTERNAL_SERVER_ERROR: "Something went wrong on our side.",
  NETWORK: "The server cannot be reached. Check your connection.",
};

const KNOWN = new Set<string>(Object.keys(HEADLINES));

/** `contact_email` and `contactEmail` are the same field to the user. */
export function camelField(field: string): string {
  return field.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function apiErrors(error: CombinedError | undefined | null): ApiError[] {
  if (!error) return [];
  if (error.networkError && error.graphQLErrors.length === 0) {
    const status = (error.response as Response | undefined)?.status;
    const code: ErrorCode = status === 429 ? "RATE_LIMITED" : status === 503 ? "UNAVAILABLE" : "NETWORK";
    return [{ code, message: error.networkError.message, field: null, correlationId: null }];
  }
  return error.graphQLErrors.map((e) => {
    const ext = e.extensions ?? {};
    const raw = typeof ext.code === "string" ? ext.code : "INTERNAL_SERVER_ERROR";
    return {
      code: (KNOWN.has(raw) ? raw : "INTERNAL_SERVER_ERROR") as ErrorCode,
      message: e.message,
      field: typeof ext.field === "string" ? camelField(ext.field) : null,
      correlationId: typeof ext.correlationId === "string" ? ext.correlationId : null,
    };
  });
}

export function hasCode(error: CombinedError | undefined | null, code: ErrorCode): boolean {
  return apiErrors(error).some((e) => e.code === code);
}

/** One sentence for a person: the code's headline, plus the API's own words where useful. */
export function humanMessage(error: ApiError): string {
  const headline = HEADLINES[error.code];
  switch (error.code) {
    case "BAD_USER_INPUT":
    case "CONFLICT":
    case "FORBIDDEN":
      return error.message ? `${headline} ${capitalise(error.message)}.`.replace(/\.\.$/, ".") : headline;
    case "INTERNAL_SERVER_ERROR":
      return error.correlationId ? `${headline} (reference ${error.correlationId})` : headline;
    default:
      return headline;
  }
}

/** BAD_USER_INPUT errors by field, for forms; the rest are for an alert. */
export function splitFieldErrors(
  error: CombinedError | undefined | null,
  fields: readonly string[],
): { byField: Record<string, string>; other: ApiError[] } {
  const byField: Record<string, string> = {};
  const other: ApiError[] = [];
  for (const e of apiErrors(error)) {
    const field = e.field && fields.find((f) => f === e.field || e.field?.endsWith(`.${f}`));
    if (e.code === "BAD_USER_INPUT" && field) byField[field] = capitalise(e.message);
    else other.push(e);
  }
  return { byField, other };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
