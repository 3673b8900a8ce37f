import { CombinedError } from "urql";
import { GraphQLError } from "graphql";

import { apiErrors, humanMessage, splitFieldErrors } from "./errors";

function combined(...errors: { message: string; code: string; field?: string }[]) {
  return new CombinedError({
    graphQLErrors: errors.map(
      (e) => new GraphQLError(e.message, { extensions: { code: e.code, ...(e.field ? { field: e.field } : {}) } }),
    ),
  });
}

describe("API errors", () => {
  it("puts a BAD_USER_INPUT error next to its field, in camelCase", () => {
    const error = combined({ message: "must be an email address", code: "BAD_USER_INPUT", field: "contact_email" });
    const { byField, other } = splitFieldErrors(error, ["name", "contactEmail"]);
    expect(byField).toEqual({ contactEmail: "Must be an email address" });
    expect(other).toEqual([]);
  });

  it("gives every code a human message", () => {
    for (const code of ["NOT_FOUND", "FORBIDDEN", "UNAUTHENTICATED", "CONFLICT", "UNAVAILABLE", "RATE_LIMITED"]) {
      const [error] = apiErrors(combined({ message: "x", code }));
      expect(error && humanMessage(error)).toMatch(/\w{4,}/);
    }
  });

  it("treats an unknown code as an internal error with its reference", () => {
    const error = new CombinedError({
      graphQLErrors: [new GraphQLError("internal error", { extensions: { code: "WEIRD", correlationId: "abc" } })],
    });
    const [first] = apiErrors(error);
    expect(first?.code).toBe("INTERNAL_SERVER_ERROR");
    expect(first && humanMessage(first)).toContain("abc");
  });

  it("reads a network failure as NETWORK", () => {
    const error = new CombinedError({ networkError: new Error("Failed to fetch") });
    expect(apiErrors(error)[0]?.code).toBe("NETWORK");
  });
});
