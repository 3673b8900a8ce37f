// The app's main pages, each with whom it is for: the accessibility scan and the
// screenshots (accessibility.spec.ts, screenshots.spec.ts) visit every one.
import type { Page } from "@playwright/test";

import { expect, type Api, type As } from "./fixtures";

export interface MainPage {
  /** File-name-safe: the screenshot is docs/screenshots/<slug>.png. */
  slug: string;
  title: string;
  /** Who looks at it; null: anyone (not signed in). */
  as: "member" | "reviewer" | "staff" | null;
  /** The address, or how to find it from the API's data. */
  path: string | ((api: Api) => Promise<string>);
}

export const MAIN_PAGES: MainPage[] = [
  { slug: "home", title: "Home", as: null, path: "/" },
  { slug: "directory", title: "Partnership directory", as: null, path: "/directory" },
  {
    slug: "partnership",
    title: "A partnership",
    as: null,
    path: async (api) => `/partnerships/${await firstPartnershipId(api)}`,
  },
  { slug: "statistics", title: "Statistics", as: null, path: "/statistics" },
  { slug: "sign-in", title: "Sign in", as: null, path: "/sign-in" },
  { slug: "member-overview", title: "Member: our membership", as: "member", path: "/member" },
  { slug: "member-details", title: "Member: contact details", as: "member", path: "/member/details" },
  { slug: "member-invoices", title: "Member: dues and invoices", as: "member", path: "/member/invoices" },
  { slug: "member-partnerships", title: "Member: our partnerships", as: "member", path: "/member/partnerships" },
  { slug: "member-grants", title: "Member: grants", as: "member", path: "/member/grants" },
  { slug: "member-notifications", title: "Member: notifications", as: "member", path: "/member/notifications" },
  { slug: "reviewer-assignments", title: "Reviewer: assignments", as: "reviewer", path: "/review" },
  { slug: "reviewer-notifications", title: "Reviewer: emails", as: "reviewer", path: "/review/notifications" },
  { slug: "staff-members", title: "Staff: members", as: "staff", path: "/staff/members" },
  { slug: "staff-dues", title: "Staff: dues", as: "staff", path: "/staff/dues" },
  { slug: "staff-payments", title: "Staff: payments", as: "staff", path: "/staff/payments" },
  { slug: "staff-partnership-queue", title: "Staff: partnership queue", as: "staff", path: "/staff/partnerships" },
  { slug: "staff-grant-programmes", title: "Staff: grant programmes", as: "staff", path: "/staff/grants" },
  { slug: "staff-reviewers", title: "Staff: reviewers", as: "staff", path: "/staff/reviewers" },
  { slug: "staff-notifications", title: "Staff: notifications", as: "staff", path: "/staff/notifications" },
];

async function firstPartnershipId(api: Api): Promise<string> {
  const data = await api.graphql<{ partnerships: { edges: { node: { id: string } }[] } }>(
    `query E2eFirstPartnership { partnerships(first: 1) { edges { node { id } } } }`,
  );
  const id = data.partnerships.edges[0]?.node.id;
  if (!id) throw new Error("the directory is empty");
  return id;
}

/** Whom a page of `entry.as` is shown to: a member with partnerships, a reviewer. */
export async function identityFor(api: Api, as: MainPage["as"]): Promise<As | null> {
  if (as === "member") return { role: "member", memberId: await api.memberWithPartnerships() };
  if (as === "reviewer") return { role: "reviewer", reviewerId: await api.reviewerId() };
  return as;
}

/**
 * Wait until the page has its data: no request in flight, no loader left, the
 * fonts in. Then check it is the page asked for: not "Page not found", not
 * sent to sign in, not "Not for this account", and its title set.
 */
export async function expectPageReady(page: Page, path: string): Promise<void> {
  await page.waitForLoadState("networkidle");
  await expect(page.locator('[aria-busy="true"], [aria-label="Loading"]')).toHaveCount(0);
  await page.evaluate("document.fonts.ready.then(() => undefined)");
  const wanted = new URL(path, "http://x").pathname;
  expect(new URL(page.url()).pathname, `${path} stayed where it was`).toBe(wanted);
  await expect(page.getByRole("heading", { name: "Page not found" })).toHaveCount(0);
  await expect(page.getByText("Not for this account")).toHaveCount(0);
  await expect(page).toHaveTitle(/ · Sister Cities$/);
}

/** Sign in as the page's audience (if any), open it, and wait until it is ready. */
export async function openMainPage(
  page: Page,
  entry: MainPage,
  { api, signIn }: { api: Api; signIn: (page: Page, as: As) => Promise<void> },
): Promise<string> {
  const as = await identityFor(api, entry.as);
  if (as) await signIn(page, as);
  const path = typeof entry.path === "string" ? entry.path : await entry.path(api);
  await page.goto(path);
  await expectPageReady(page, path);
  return path;
}
