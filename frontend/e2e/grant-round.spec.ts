// Scenario 3: a grant round from end to end. Staff create and publish a
// programme in the staff console; a member applies and submits once it opens;
// staff assign reviewers; a reviewer with a conflict of interest (their home
// community is the applicant) is kept off the application and cannot open it;
// another reviewer scores it; staff award it; the member sees the award.
//
// A programme must be published before it opens and takes applications only
// while open, and the platform's clock is real: the programme opens about two
// minutes after the test starts, and the test waits for it.
import type { Page } from "@playwright/test";

import { escapeRegExp, expect, test, type Api } from "./fixtures";

const RUN = Date.now().toString(36);
const PROGRAMME = `Youth exchanges e2e ${RUN}`;
const TITLE = `Summer music exchange ${RUN}`;

interface Applicant {
  memberId: string;
  memberName: string;
  state: string | null;
  partnershipId: string;
  partnerCity: string;
  country: string;
}

interface Home {
  id: string;
  name: string;
  state: string | null;
}

/** A member in good standing with an active partnership: it can apply. */
async function findApplicant(api: Api): Promise<Applicant> {
  const data = await api.graphql<{
    partnerships: { edges: { node: { id: string; memberId: string; partnerCity: string; country: string } }[] };
  }>(
    `query E2eGrantPartnerships {
      partnerships(filter: { status: ACTIVE }, first: 50) { edges { node { id memberId partnerCity country } } }
    }`,
    {},
    "staff",
  );
  for (const { node } of data.partnerships.edges) {
    const { member } = await api.graphql<{
      member: { id: string; name: string; state: string | null; goodStanding: boolean | null } | null;
    }>(
      `query E2eGrantApplicant($id: ID!) { member(id: $id) { id name state goodStanding } }`,
      { id: node.memberId },
      "staff",
    );
    if (member?.goodStanding) {
      return {
        memberId: member.id,
        memberName: member.name,
        state: member.state,
        partnershipId: node.id,
        partnerCity: node.partnerCity,
        country: node.country,
      };
    }
  }
  throw new Error("the seed has no member in good standing with an active partnership");
}

/**
 * A member the conflict rules (docs/grants.md) do not tie to the applicant:
 * another community, not partners with it (no partner in the US by the
 * other's name), and not a partner of the city the application is about.
 */
async function findUnrelatedHome(api: Api, applicant: Applicant): Promise<Home> {
  type Partner = { partnerCity: string; country: string };
  const simple = (city: string) => city.split(",")[0]!.replace(/\s+/g, "").toLowerCase();
  const data = await api.graphql<{
    members: { edges: { node: { id: string; name: string; state: string | null; partnerships: Partner[] } }[] };
  }>(
    `query E2eGrantHomes { members(first: 100) { edges { node { id name state partnerships { partnerCity country } } } } }`,
    {},
    "staff",
  );
  const members = data.members.edges.map((e) => e.node);
  const { member } = await api.graphql<{ member: { partnerships: Partner[] } }>(
    `query E2eGrantApplicantPartners($id: ID!) { member(id: $id) { partnerships { partnerCity country } } }`,
    { id: applicant.memberId },
    "staff",
  );
  const applicantUsPartners = new Set(
    member.partnerships.filter((p) => p.country === "US").map((p) => simple(p.partnerCity)),
  );
  const home = members.find(
    (m) =>
      m.id !== applicant.memberId &&
      simple(m.name) !== simple(applicant.memberName) &&
      !applicantUsPartners.has(simple(m.name)) &&
      !m.partnerships.some(
        (p) =>
          (p.country === "US" && simple(p.partnerCity) === simple(applicant.memberName)) ||
          (p.country === applicant.country && simple(p.partnerCity) === simple(applicant.partnerCity)),
      ),
  );
  if (!home) throw new Error("no member free of conflicts with the applicant to be a reviewer's home");
  return home;
}

/** Choose in the Mantine Select or MultiSelect named `name` (typing `search` first, if given). */
async function choose(page: Page, name: string | RegExp, option: RegExp, search?: string): Promise<void> {
  const box = page.getByRole("combobox", { name });
  await box.click();
  if (search !== undefined) await box.fill(search);
  await page.getByRole("option", { name: option }).first().click();
}

const label = (m: { name: string; state: string | null }) => (m.state ? `${m.name}, ${m.state}` : m.name);

/** Type a date and time into the MaskedDateInput labelled `prefix`, in the browser's own time zone. */
async function typeDateTime(page: Page, prefix: string, when: Date): Promise<void> {
  const parts = await page.evaluate((ms) => {
    const d = new Date(ms);
    const two = (n: number) => String(n).padStart(2, "0");
    return {
      year: String(d.getFullYear()),
      month: two(d.getMonth() + 1),
      day: two(d.getDate()),
      hours: two(d.getHours()),
      minutes: two(d.getMinutes()),
    };
  }, when.getTime());
  for (const [part, value] of Object.entries(parts)) {
    const field = page.getByLabel(`${prefix}: ${part}`, { exact: true });
    await field.focus();
    await field.press("Backspace");
    await field.press("Backspace");
    await field.pressSequentially(value, { delay: 20 });
  }
  await page.keyboard.press("Escape");
}

/** The browser's clock (its time zone is the config's), rounded up to a whole minute. */
async function openingTime(page: Page, secondsAhead: number): Promise<Date> {
  const ms = await page.evaluate((ahead) => Date.now() + ahead * 1000, secondsAhead);
  return new Date(Math.ceil(ms / 60_000) * 60_000);
}

test("a grant round: publish, apply, assign around a conflict, score, award", async ({ page, api, signIn }) => {
  test.setTimeout(8 * 60_000);

  const applicant = await findApplicant(api);
  const fairHome = await findUnrelatedHome(api, applicant);
  const conflicted = { id: `e2e-coi-${RUN}`, name: `Casey Conflicted ${RUN}` };
  const fair = { id: `e2e-fair-${RUN}`, name: `Fran Fair ${RUN}` };

  // --- Staff register the two reviewers: one in the console, one by the API.
  await signIn(page, "staff");
  await page.goto("/staff/reviewers");
  await page.getByLabel("Reviewer id", { exact: false }).fill(conflicted.id);
  await page.getByRole("textbox", { name: /^Name/ }).fill(conflicted.name);
  await choose(page, "Home member community", new RegExp(`^${escapeRegExp(label({ name: applicant.memberName, state: applicant.state }))}$`), applicant.memberName);
  await page.getByRole("button", { name: "Register reviewer" }).click();
  await expect(page.getByRole("row", { name: new RegExp(conflicted.name) })).toContainText(applicant.memberName);
  await api.graphql(
    `mutation E2eGrantFairReviewer($input: RegisterReviewerInput!) { registerReviewer(input: $input) { reviewerId } }`,
    { input: { reviewerId: fair.id, name: fair.name, homeMemberId: fairHome.id, active: true } },
    "staff",
  );

  // --- Staff create the programme as a draft, then publish it before it opens.
  await page.goto("/staff/grants/new");
  await page.getByLabel(/^Programme name/).fill(PROGRAMME);
  await page.getByLabel("Description").fill("Young people travel between partner cities.");
  await page.getByLabel("Youth and education").check();
  const opensAt = await openingTime(page, 100);
  await typeDateTime(page, "Opens at", opensAt);
  await page.getByRole("textbox", { name: /^Total budget/ }).fill("20000");
  await page.getByRole("textbox", { name: /^Maximum award/ }).fill("5000");
  const first = page.getByRole("group", { name: "Criterion 1" });
  await first.getByLabel(/^Criterion name/).fill("Impact");
  await first.getByLabel(/^Key/).fill("impact");
  await first.getByLabel(/^Weight/).fill("3");
  await page.getByRole("button", { name: "Add criterion" }).click();
  const second = page.getByRole("group", { name: "Criterion 2" });
  await second.getByLabel(/^Criterion name/).fill("Feasibility");
  await second.getByLabel(/^Key/).fill("feasibility");
  await second.getByLabel(/^Maximum score/).fill("10");
  await second.getByLabel(/^Weight/).fill("2");
  await expect(second.getByText("40% of the total")).toBeVisible();
  await page.getByRole("textbox", { name: /^Reviewers per application/ }).fill("2");
  await page.getByLabel(/^Blind review/).check();
  await choose(page, "Review panel", new RegExp(conflicted.name), conflicted.name);
  await choose(page, "Review panel", new RegExp(fair.name), fair.name);
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Create draft" }).click();

  await expect(page.getByRole("heading", { level: 2, name: PROGRAMME })).toBeVisible();
  const programId = new URL(page.url()).pathname.split("/").pop()!;
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  const publish = page.getByRole("dialog", { name: "Publish this programme?" });
  await publish.getByRole("button", { name: "Publish programme" }).click();
  await expect(publish).toBeHidden();
  await expect(page.getByText("Upcoming", { exact: true })).toBeVisible();

  // --- The member applies: a draft now, submitted once the programme opens.
  await signIn(page, { role: "member", memberId: applicant.memberId });
  const applicationId = await memberApplies(page, programId, applicant, opensAt);

  // --- Staff assign reviewers: the conflicted one is kept off the application.
  await signIn(page, "staff");
  await page.goto(`/staff/grants/${programId}`);
  await page.getByRole("button", { name: "Assign reviewers" }).click();
  const round = page.getByTestId("assignment-round");
  await expect(round).toContainText("1 assignment made");
  await expect(round).toContainText(`${TITLE}: 1 missing`);
  await expect(round.getByRole("row", { name: new RegExp(fair.name) }).getByRole("cell").last()).toHaveText("1");
  await expect(round.getByRole("row", { name: new RegExp(conflicted.name) }).getByRole("cell").last()).toHaveText("0");

  // --- The conflicted reviewer neither has it nor can open it.
  await signIn(page, { role: "reviewer", reviewerId: conflicted.id });
  await page.goto("/review");
  await expect(page.getByRole("heading", { name: "Review assignments" })).toBeVisible();
  await expect(page.getByText(TITLE)).toHaveCount(0);
  await page.goto(`/review/assignments/${applicationId}`);
  await expect(page.getByRole("alert")).toContainText("Not among your assignments");
  await expect(page.getByText("Young people", { exact: false })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Submit review" })).toHaveCount(0);

  // --- The other reviewer scores it, blind.
  await signIn(page, { role: "reviewer", reviewerId: fair.id });
  await page.goto("/review");
  await page.getByRole("link", { name: TITLE }).click();
  await expect(page.getByText("Blind review", { exact: true })).toBeVisible();
  await expect(page.getByText(applicant.memberName, { exact: true })).toHaveCount(0);
  await expect(page.getByText("Weight 3 · 60%")).toBeVisible();
  await page.getByRole("textbox", { name: /^Impact/ }).fill("9");
  await page.getByRole("button", { name: "Submit review" }).click();
  await expect(page.getByText("Must be from 0 to 5")).toBeVisible();
  await page.getByRole("textbox", { name: /^Impact/ }).fill("4");
  await page.getByRole("textbox", { name: /^Feasibility/ }).fill("7");
  await expect(page.getByTestId("weighted-total")).toContainText("76 / 100");
  await page.getByLabel("Comment").fill("A clear plan with host families on both sides.");
  await page.getByRole("button", { name: "Submit review" }).click();
  await expect(page.getByRole("heading", { name: "Your review" })).toBeVisible();
  await expect(page.getByText("76 / 100").first()).toBeVisible();

  // --- Staff see it ranked, and award it.
  await signIn(page, "staff");
  await page.goto(`/staff/grants/${programId}?tab=ranking`);
  const ranked = page.getByTestId("rank-1");
  await expect(ranked).toContainText(TITLE);
  await expect(ranked).toContainText("76");
  await expect(ranked).toContainText("1 of 2");
  await ranked.getByRole("link", { name: TITLE }).click();
  await expect(page.getByRole("heading", { level: 2, name: TITLE })).toBeVisible();
  await page.getByLabel("Conditions").fill("Photographs of the exchange for the newsletter.");
  await page.getByRole("button", { name: "Award grant…" }).click();
  const confirm = page.getByRole("dialog", { name: "Award this grant?" });
  await confirm.getByRole("button", { name: "Award grant", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Decision letter" })).toBeVisible();
  await expect(page.getByTestId("decision-letter")).toContainText("We are pleased to award");

  // --- The member sees the award.
  await signIn(page, { role: "member", memberId: applicant.memberId });
  await memberSeesAward(page, applicationId);
});

/**
 * The member's side (src/pages/member/): a draft prepared while the programme
 * is upcoming, submitted once it is open. Returns the application's id.
 */
async function memberApplies(page: Page, programId: string, applicant: Applicant, opensAt: Date): Promise<string> {
  await page.goto("/member/grants");
  await expect(page.getByText(new RegExp(`Opening soon:.*${escapeRegExp(PROGRAMME)}`))).toBeVisible();
  await page.goto(`/member/grants/programmes/${programId}/apply`);
  await expect(page.getByText(/you can prepare a draft now/)).toBeVisible();
  await choose(page, "Partnership", new RegExp(`^${escapeRegExp(applicant.partnerCity)},`));
  await page.getByLabel("Project title").fill(TITLE);
  await page.getByRole("textbox", { name: /^Amount requested/ }).fill("4000");
  await page.getByLabel("Narrative").fill("Twenty young musicians spend two weeks with host families.");
  await page.getByLabel("Budget line 1: item").fill("Travel and lodging");
  await page.getByLabel("Budget line 1: amount").fill("4000");
  await page.getByRole("button", { name: "Save draft" }).click();
  await page.waitForURL(/\/member\/grants\/applications\/[^/]+$/);
  const applicationId = new URL(page.url()).pathname.split("/").pop()!;
  await expect(page.getByText("Draft", { exact: true })).toBeVisible();

  // Submissions open at the opening time (the platform's clock is real).
  const wait = opensAt.getTime() - (await page.evaluate(() => Date.now())) + 2_000;
  if (wait > 0) await page.waitForTimeout(wait);
  await page.goto("/member/grants");
  const card = page.getByRole("article", { name: PROGRAMME });
  await card.getByRole("link", { name: "Continue our application" }).click();
  await page.getByRole("button", { name: "Submit application" }).click();
  await expect(page.getByText("Submitted", { exact: true })).toBeVisible();
  return applicationId;
}

async function memberSeesAward(page: Page, applicationId: string): Promise<void> {
  await page.goto("/member/grants");
  const row = page.getByRole("row", { name: new RegExp(escapeRegExp(TITLE)) });
  await expect(row).toContainText("Awarded");
  await expect(row.getByRole("link", { name: /^Awarded/ })).toBeVisible();
  await row.getByRole("link", { name: TITLE }).click();
  await expect(page).toHaveURL(new RegExp(`/member/grants/applications/${applicationId}$`));
  await expect(page.getByTestId("decision-letter")).toContainText("We are pleased to award");
  await expect(page.getByTestId("decision-letter")).toContainText("USD 4,000.00");
}
