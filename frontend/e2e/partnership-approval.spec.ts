// Scenario 4: a member proposes a partnership; staff approve it through the
// partnership queue (the signed agreement recorded, then activated); an
// anonymous visitor then finds it in the public directory.
import { expect, test, type Api } from "./fixtures";

/** A partner community no seed has: the directory search finds only ours. */
function uniquePartnerCity(): string {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  let tag = "";
  for (let i = 0; i < 6; i++) tag += letters[Math.floor(Math.random() * letters.length)];
  return `Approvalia ${tag[0]!.toUpperCase()}${tag.slice(1)}`;
}

/** "1 December 2026": the calendar's name of the first day of this month (never in the future). */
function firstOfThisMonth(): string {
  const parts = new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "America/New_York" }).formatToParts(
    new Date(),
  );
  const month = parts.find((p) => p.type === "month")?.value;
  const year = parts.find((p) => p.type === "year")?.value;
  return `1 ${month} ${year}`;
}

/** A member in good standing, so that its active partnership is recognized. */
async function memberInGoodStanding(api: Api): Promise<{ id: string; name: string; state: string }> {
  const data = await api.graphql<{ members: { edges: { node: { id: string; name: string; state: string } }[] } }>(
    `query E2eApprovalMember { members(filter: { status: ACTIVE }, first: 1) { edges { node { id name state } } } }`,
    {},
    "staff",
  );
  const member = data.members.edges[0]?.node;
  if (!member) throw new Error("the seed has no ACTIVE member");
  return member;
}

async function terminateAll(api: Api, partnerCity: string): Promise<void> {
  const data = await api.graphql<{ partnerships: { edges: { node: { id: string; status: string } }[] } }>(
    `query E2eApprovalFind($search: String!) { partnerships(filter: { search: $search }, first: 10) { edges { node { id status } } } }`,
    { search: partnerCity },
    "staff",
  );
  for (const { node } of data.partnerships.edges) {
    if (node.status === "TERMINATED") continue;
    await api.graphql(
      `mutation E2eApprovalCleanup($id: ID!) { terminatePartnership(id: $id, reason: "end of the e2e test") { id } }`,
      { id: node.id },
      "staff",
    );
  }
}

test("a proposal approved through the staff queue appears in the public directory", async ({ page, api, signIn }) => {
  const member = await memberInGoodStanding(api);
  const partnerCity = uniquePartnerCity();

  try {
    // 1. The member proposes the partnership in its portal.
    await signIn(page, { role: "member", memberId: member.id });
    await page.goto("/member/partnerships/new");
    await page.getByRole("textbox", { name: "Partner community" }).fill(partnerCity);
    const country = page.getByRole("combobox", { name: "Country" });
    await country.click();
    await country.fill("Iceland");
    await page.getByRole("option", { name: /Iceland/ }).first().click();
    await page.getByRole("radio", { name: "Friendship city" }).check();
    await page.getByRole("checkbox", { name: /Arts/ }).check();
    await page.getByRole("button", { name: "Propose partnership" }).click();
    await expect(page).toHaveURL(/\/member\/partnerships\/[^/]+$/);

    // 2. Staff find it in the queue's Proposed tab and record the signed agreement.
    await signIn(page, "staff");
    await page.goto(`/staff/partnerships?search=${encodeURIComponent(partnerCity)}`);
    await expect(page.getByRole("tab", { name: /Proposed/, selected: true })).toBeVisible();
    const proposed = page.getByRole("table", { name: "Proposed partnerships" }).locator("tbody tr").filter({ hasText: partnerCity });
    await expect(proposed).toHaveCount(1);
    await expect(proposed).toContainText(member.name);
    await proposed.getByRole("button", { name: /^Record agreement/ }).click();

    const agreement = page.getByRole("dialog", { name: "Record the signed agreement" });
    await agreement.getByRole("textbox", { name: /Council resolution/ }).fill("Resolution E2E-4");
    await agreement.getByRole("button", { name: /Signed on/ }).click();
    await page.getByRole("button", { name: firstOfThisMonth(), exact: true }).click();
    await agreement.getByRole("textbox", { name: /U\.S\. signatory/ }).fill("Mayor Alex Example");
    await agreement.getByRole("textbox", { name: /Partner signatory/ }).fill("Borgarstjóri Sigrún Dæmi");
    await agreement.getByRole("textbox", { name: /Document reference/ }).fill("City clerk, file E2E-4");
    await agreement.getByRole("button", { name: "Record agreement" }).click();
    await expect(agreement).toBeHidden();

    // 3. It waits in the Pending tab; staff verify it and activate it.
    await page.getByRole("tab", { name: /Pending/ }).click();
    const pending = page.getByRole("table", { name: "Pending partnerships" }).locator("tbody tr").filter({ hasText: partnerCity });
    await expect(pending).toHaveCount(1);
    await pending.getByRole("button", { name: /^Activate/ }).click();
    const activate = page.getByRole("dialog", { name: "Activate the partnership" });
    await expect(activate).toContainText("Resolution E2E-4");
    await expect(activate).toContainText("will be recognized and shown in the public directory");
    await activate.getByRole("button", { name: "Activate" }).click();
    await expect(activate).toBeHidden();

    // The Active tab has it; its page says it is recognized.
    await page.getByRole("tab", { name: /Active/ }).click();
    const active = page.getByRole("table", { name: "Active partnerships" }).locator("tbody tr").filter({ hasText: partnerCity });
    await expect(active).toHaveCount(1);
    await active.getByRole("link", { name: partnerCity }).click();
    await expect(page.getByRole("status").filter({ hasText: "Recognized" })).toBeVisible();

    // 4. An anonymous visitor finds it in the public directory.
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("banner").getByRole("link", { name: "Sign in", exact: true })).toBeVisible();
    await page.goto(`/directory?search=${encodeURIComponent(partnerCity)}`);
    const found = page.getByRole("table").first().locator("tbody tr").filter({ hasText: partnerCity });
    await expect(found).toHaveCount(1);
    await expect(found).toContainText(member.name);
    await expect(found).toContainText("Iceland");
  } finally {
    // Leave the directory as the seed made it, for the tests that count it.
    await terminateAll(api, partnerCity).catch(() => undefined);
  }
});
