// Shared fixtures of the browser tests. Import `test` and `expect` from here:
//
//   import { chooseOption, expect, expectAccessible, test } from "./fixtures";
//
//   test.use({ signedInAs: "staff" });          // every page of this file signs in as staff
//
//   test("…", async ({ page, api, signIn, platform }) => {
//     const memberId = await api.memberWithPartnerships();
//     await signIn(page, { role: "member", memberId });   // a dev token; then navigate
//     await page.goto("/member/invoices");
//     const data = await api.graphql<{ members: { totalCount: number } }>(
//       "query E2eCount { members { totalCount } }", {}, "staff");   // as staff; null: anonymous
//     await chooseOption(page, "Country", "Japan");   // a Mantine Select by its label
//     await expectAccessible(page);                   // axe: no serious or critical violation
//     await platform.stop("partnerships");            // started again after the test, always
//   });
//
// Also: `signInThroughPage(page, role, {memberName, reviewerName, next})` (the
// sign-in page as a person uses it), `api.graphqlRaw` (errors included),
// `api.reviewerId()`; pages.ts: `MAIN_PAGES`, `openMainPage`, `expectPageReady`.
// BASE_URL: the platform's gateway (serving the built app); CONTROL_URL: the
// pytest harness's stop/start endpoint (tests/webapp/conftest.py), unset when
// the tests run against a platform they do not control (`platform.available`).
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Page } from "@playwright/test";

export { expect };

export type Role = "staff" | "member" | "reviewer";

/** Whom to act as: a role, or a role with the member or reviewer it acts for. */
export type As = Role | { role: Role; memberId?: string; reviewerId?: string };

/** Where the web app keeps the signed-in user's token (src/auth/session.ts). */
export const TOKEN_KEY = "sister-cities.token";

export const BASE_URL = (process.env.BASE_URL ?? "http://127.0.0.1:8000").replace(/\/$/, "");
export const CONTROL_URL = (process.env.CONTROL_URL ?? "").replace(/\/$/, "");

function normalize(as: As): { role: Role; memberId?: string; reviewerId?: string } {
  return typeof as === "string" ? { role: as } : as;
}

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } & Record<string, unknown> }[];
}

export class GraphQLFailure extends Error {
  constructor(
    readonly errors: NonNullable<GraphQLResponse<unknown>["errors"]>,
    query: string,
  ) {
    const codes = errors.map((e) => `${e.extensions?.code ?? "ERROR"}: ${e.message}`).join("; ");
    super(`GraphQL failed (${codes}) for:\n${query.trim()}`);
  }
}

/** The platform's API, as the tests' own client (to set up data, or to compare with a page). */
export class Api {
  private readonly tokens = new Map<string, Promise<string>>();

  /** A development token from the gateway's POST /auth/dev/token (cached per identity). */
  token(as: As): Promise<string> {
    const request = normalize(as);
    const key = JSON.stringify(request);
    let token = this.tokens.get(key);
    if (!token) {
      token = (async () => {
        const response = await fetch(`${BASE_URL}/auth/dev/token`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(request),
        });
        const body = (await response.json().catch(() => ({}))) as { token?: string; error?: string };
        if (!response.ok || !body.token) {
          throw new Error(`POST /auth/dev/token ${key}: HTTP ${response.status} ${body.error ?? ""}`);
        }
        return body.token;
      })();
      token.catch(() => this.tokens.delete(key));
      this.tokens.set(key, token);
    }
    return token;
  }

  /** The whole answer, errors included (`as`: who asks; null or omitted: anonymous). */
  async graphqlRaw<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    as: As | null = null,
  ): Promise<GraphQLResponse<T>> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (as) headers.authorization = `Bearer ${await this.token(as)}`;
    const response = await fetch(`${BASE_URL}/graphql`, {
      method: "POST",
      headers,
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    try {
      return JSON.parse(text) as GraphQLResponse<T>;
    } catch {
      throw new Error(`POST /graphql: HTTP ${response.status}, not JSON: ${text.slice(0, 300)}`);
    }
  }

  /** The data; throws `GraphQLFailure` if the answer has any error. */
  async graphql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    as: As | null = null,
  ): Promise<T> {
    const body = await this.graphqlRaw<T>(query, variables, as);
    if (body.errors?.length || !body.data) throw new GraphQLFailure(body.errors ?? [], query);
    return body.data;
  }

  // --- data the seed always has -------------------------------------------

  /** Members (as staff sees them), optionally by part of the name. */
  async members(search?: string, first = 20): Promise<{ id: string; name: string; state: string | null }[]> {
    const data = await this.graphql<{ members: { edges: { node: { id: string; name: string; state: string | null } }[] } }>(
      `query E2eMembers($search: String, $first: Int!) {
        members(filter: { search: $search }, first: $first) { edges { node { id name state } } }
      }`,
      { search: search ?? null, first },
      "staff",
    );
    return data.members.edges.map((edge) => edge.node);
  }

  async firstMemberId(search?: string): Promise<string> {
    const [member] = await this.members(search, 1);
    if (!member) throw new Error(`no member${search ? ` matching ${search}` : ""}`);
    return member.id;
  }

  /** A member with recognized partnerships (its portal has something to show). */
  async memberWithPartnerships(): Promise<string> {
    const data = await this.graphql<{ partnerships: { edges: { node: { memberId: string } }[] } }>(
      `query E2ePartnershipMember { partnerships(first: 1, filter: { recognized: true }) { edges { node { memberId } } } }`,
      {},
      "staff",
    );
    const id = data.partnerships.edges[0]?.node.memberId;
    if (!id) throw new Error("no partnership with a member");
    return id;
  }

  /** A reviewer's id: an existing one, or one registered now (home: a seeded member). */
  async reviewerId(): Promise<string> {
    const data = await this.graphql<{ reviewers: { reviewerId: string; active: boolean }[] }>(
      `query E2eReviewers { reviewers { reviewerId active } }`,
      {},
      "staff",
    );
    const existing = data.reviewers.find((r) => r.active);
    if (existing) return existing.reviewerId;
    const homeMemberId = await this.firstMemberId();
    const created = await this.graphql<{ registerReviewer: { reviewerId: string } }>(
      `mutation E2eRegisterReviewer($input: RegisterReviewerInput!) {
        registerReviewer(input: $input) { reviewerId }
      }`,
      { input: { reviewerId: "e2e-reviewer", name: "Robin Reviewer", homeMemberId, active: true } },
      "staff",
    );
    return created.registerReviewer.reviewerId;
  }
}

/** Stop and start the platform's processes (the pytest harness's control endpoint). */
export class PlatformControl {
  readonly stopped = new Set<string>();

  /** False when the tests run against a platform they do not control (no CONTROL_URL). */
  get available(): boolean {
    return CONTROL_URL !== "";
  }

  private async call(service: string, action: "stop" | "start"): Promise<void> {
    if (!this.available) throw new Error("CONTROL_URL is not set: the platform cannot be controlled");
    const response = await fetch(`${CONTROL_URL}/services/${encodeURIComponent(service)}/${action}`, {
      method: "POST",
    });
    if (!response.ok) {
      throw new Error(`${action} ${service}: HTTP ${response.status} ${await response.text()}`);
    }
  }

  /** Stop a process: a Procfile name (members, partnerships, grants, payments, notifications, gateway, stripe, mail). */
  async stop(service: string): Promise<void> {
    this.stopped.add(service);
    await this.call(service, "stop");
  }

  /** Start it again; resolves once it answers its health check. */
  async start(service: string): Promise<void> {
    await this.call(service, "start");
    this.stopped.delete(service);
  }
}

let signIns = 0;

/**
 * Sign `page` in as `as` with a development token in sessionStorage, as the
 * sign-in page would. Takes effect on the next navigation (`page.goto`); a
 * later sign-in (another role) replaces it, and signing out in the app sticks.
 */
export async function signInWithToken(page: Page, token: string): Promise<void> {
  const marker = `e2e.sign-in.${++signIns}`;
  const args = { key: TOKEN_KEY, token, marker };
  await page.addInitScript(({ key, token, marker }) => {
    if (sessionStorage.getItem(marker)) return;
    sessionStorage.setItem(marker, "1");
    sessionStorage.setItem(key, token);
  }, args);
  if (page.url().startsWith("http")) {
    await page.evaluate(({ key, token, marker }) => {
      sessionStorage.setItem(marker, "1");
      sessionStorage.setItem(key, token);
    }, args);
  }
}

const SIGN_IN_BUTTON: Record<Role, string> = {
  staff: "Sign in as staff",
  member: "Sign in as this member",
  reviewer: "Sign in as this reviewer",
};

/**
 * Sign in through the development sign-in page, as a person would. For a member,
 * `memberName` is typed into the Member box and its first match chosen; for a
 * reviewer, `reviewerName` is chosen. Ends on the page the sign-in goes to.
 */
export async function signInThroughPage(
  page: Page,
  role: Role,
  options: { memberName?: string; reviewerName?: string; next?: string } = {},
): Promise<void> {
  await page.goto(options.next ? `/sign-in?next=${encodeURIComponent(options.next)}` : "/sign-in");
  if (role === "member") {
    if (!options.memberName) throw new Error("signInThroughPage: a member needs memberName");
    await chooseOption(page, "Member", new RegExp(escapeRegExp(options.memberName), "i"), options.memberName);
  } else if (role === "reviewer") {
    if (!options.reviewerName) throw new Error("signInThroughPage: a reviewer needs reviewerName");
    await chooseOption(page, "Reviewer", new RegExp(escapeRegExp(options.reviewerName), "i"), options.reviewerName);
  }
  const before = page.url();
  await page.getByRole("button", { name: SIGN_IN_BUTTON[role] }).click();
  await page.waitForURL((url) => url.toString() !== before && url.pathname !== "/sign-in");
}

/**
 * Choose `option` in the Mantine Select (or Autocomplete) labelled `label`:
 * open it, type the option's text when it is searchable, click the option.
 */
export async function chooseOption(page: Page, label: string, option: string | RegExp, search?: string): Promise<void> {
  const input = page.locator("input").and(page.getByLabel(label, { exact: true }));
  await input.click();
  const text = search ?? (typeof option === "string" ? option : undefined);
  if (text !== undefined && (await input.isEditable())) await input.fill(text);
  const name = typeof option === "string" ? new RegExp(`^\\s*${escapeRegExp(option)}`) : option;
  await page.getByRole("option", { name }).first().click();
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown; failureSummary?: string }[];
}

/** axe-core's WCAG 2.x A/AA scan of the page as it is now: the violations of impact serious or critical. */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** The violations as a person reads them (for a failing test's message). */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 5)
        .map((n) => `    ${JSON.stringify(n.target)}${n.failureSummary ? `\n      ${n.failureSummary.replace(/\n/g, "\n      ")}` : ""}`)
        .join("\n");
      const more = v.nodes.length > 5 ? `\n    … and ${v.nodes.length - 5} more` : "";
      return `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}${more}`;
    })
    .join("\n");
}

/** Fails, listing them, if axe finds violations of impact serious or critical on the page as it is now. */
export async function expectAccessible(page: Page, where: string = new URL(page.url()).pathname): Promise<void> {
  const violations = await seriousA11yViolations(page);
  expect(
    violations.map((v) => v.id),
    `serious or critical accessibility violations on ${where}:\n${describeViolations(violations)}`,
  ).toEqual([]);
}

interface Fixtures {
  /** Set with `test.use({ signedInAs: "staff" })`: the `page` starts signed in. */
  signedInAs: As | null;
  /** Sign a page in (development token in sessionStorage); navigate afterwards. */
  signIn: (page: Page, as: As) => Promise<void>;
  platform: PlatformControl;
}

interface WorkerFixtures {
  api: Api;
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  api: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, provide) => {
      await provide(new Api());
    },
    { scope: "worker" },
  ],
  signedInAs: [null, { option: true }],
  signIn: async ({ api }, provide) => {
    await provide(async (page, as) => signInWithToken(page, await api.token(as)));
  },
  page: async ({ page, signedInAs, signIn }, provide) => {
    if (signedInAs) await signIn(page, signedInAs);
    await provide(page);
  },
  // eslint-disable-next-line no-empty-pattern
  platform: async ({}, provide) => {
    const control = new PlatformControl();
    await provide(control);
    // Whatever a test stopped is started again, pass or fail.
    for (const service of [...control.stopped]) await control.start(service);
  },
});
