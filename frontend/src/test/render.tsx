// Render a component as the app does (Mantine, router, auth, GraphQL client),
// with a GraphQL client whose answers the test gives.
import { MantineProvider } from "@mantine/core";
import { render, type RenderResult } from "@testing-library/react";
import type { ReactElement } from "react";
import { createMemoryRouter, RouterProvider, type RouteObject } from "react-router";
import { Provider, type Client } from "urql";
import { fromValue, never } from "wonka";

import { AuthProvider } from "../auth/AuthProvider";
import { setToken } from "../auth/session";
import { theme } from "../theme";

export type Answer = { data?: unknown; error?: unknown } | "loading";
/** Answers by operation name; a function gets the variables. */
export type Answers = Record<string, Answer | ((variables: Record<string, unknown>) => Answer)>;

export interface FakeClient {
  client: Client;
  calls: { name: string; variables: Record<string, unknown> }[];
}

function operationName(query: unknown): string {
  const doc = query as { definitions: { kind: string; name?: { value: string } }[] };
  return doc.definitions.find((d) => d.kind === "OperationDefinition")?.name?.value ?? "";
}

export function fakeClient(answers: Answers): FakeClient {
  const calls: FakeClient["calls"] = [];
  const answer = (request: { query: unknown; variables?: object }) => {
    const name = operationName(request.query);
    const variables = (request.variables ?? {}) as Record<string, unknown>;
    calls.push({ name, variables });
    const given = answers[name];
    const result = typeof given === "function" ? given(variables) : given;
    if (result === undefined) throw new Error(`no answer for operation ${name}`);
    return result === "loading" ? never : fromValue(result);
  };
  const client = {
    executeQuery: answer,
    executeMutation: answer,
    executeSubscription: answer,
  } as unknown as Client;
  return { client, calls };
}

export interface RenderOptions {
  answers?: Answers;
  /** The URL the router starts at. */
  path?: string;
  /** The route pattern the element is mounted at (default: `path` without its query). */
  route?: string;
  /** A development token for this role (unsigned: only the app reads it here). */
  as?: { role: "staff" | "member" | "reviewer"; memberId?: string; reviewerId?: string };
  extraRoutes?: RouteObject[];
}

export function unsignedToken(claims: Record<string, unknown>): string {
  const encode = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, "");
  return `${encode({ alg: "none" })}.${encode({ exp: Date.now() / 1000 + 3600, ...claims })}.`;
}

export function renderPage(
  element: ReactElement,
  { answers = {}, path = "/", route, as, extraRoutes = [] }: RenderOptions = {},
): RenderResult & FakeClient & { router: ReturnType<typeof createMemoryRouter> } {
  if (as) {
    setToken(
      unsignedToken({ sub: `test-${as.role}`, role: as.role, member_id: as.memberId, reviewer_id: as.reviewerId }),
    );
  }
  const fake = fakeClient(answers);
  const router = createMemoryRouter(
    [
      { path: route ?? path.split("?")[0], element: <AuthProvider><Provider value={fake.client}>{element}</Provider></AuthProvider> },
      ...extraRoutes,
      { path: "*", element: <div data-testid="elsewhere" /> },
    ],
    { initialEntries: [path] },
  );
  const result = render(
    <MantineProvider theme={theme}>
      <RouterProvider router={router} />
    </MantineProvider>,
  );
  return { ...result, ...fake, router };
}
