// Scenario 2: a member pays its dues. It signs in on the development sign-in
// page, opens its invoices, pays the open one on the offline Stripe's checkout
// page (devstripe/page.py: a "Pay <amount>" button), and comes back to the app:
// the payment, the invoice and the membership turn to paid and ACTIVE while the
// page stays open (the paymentStatus subscription, then a refetch), and the
// receipt shows, printable.
//
// The member is registered for the test (staff's registerMember bills it at
// once for the current fiscal year), so its invoice is open and nobody else's
// data changes.
import type { Page } from "@playwright/test";

import { expect, signInThroughPage, test, type Api } from "./fixtures";

interface NewMember {
  id: string;
  name: string;
  invoice: { id: string; fiscalYear: number; amountCents: number; currency: string };
}

/** A member community of its own with an open dues invoice. */
async function memberWithOpenInvoice(api: Api, prefix: string): Promise<NewMember> {
  const tag = Date.now().toString(36);
  const name = `${prefix} ${tag}`;
  const data = await api.graphql<{
    registerMember: {
      id: string;
      name: string;
      invoices: { id: string; fiscalYear: number; amountCents: number; currency: string; status: string }[] | null;
    };
  }>(
    `mutation E2ePayDuesMember($input: RegisterMemberInput!) {
      registerMember(input: $input) { id name invoices { id fiscalYear amountCents currency status } }
    }`,
    {
      input: {
        name,
        kind: "CITY",
        state: "VT",
        population: 30000,
        contactEmail: `clerk@${tag}.example`,
      },
    },
    "staff",
  );
  const invoice = data.registerMember.invoices?.find((i) => i.status === "OPEN");
  if (!invoice) throw new Error(`${name} was registered without an open invoice: has this fiscal year a dues schedule?`);
  return { id: data.registerMember.id, name: data.registerMember.name, invoice };
}

function money(cents: number, currency: string): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(cents / 100);
}

/** A mark in the page's window: gone if the page was loaded again. */
async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => {
    (globalThis as unknown as { e2eSamePage?: boolean }).e2eSamePage = true;
  });
}

async function expectSamePage(page: Page): Promise<void> {
  const same = await page.evaluate(() => (globalThis as unknown as { e2eSamePage?: boolean }).e2eSamePage === true);
  expect(same, "the page was not reloaded").toBe(true);
}

async function openInvoices(page: Page, member: NewMember) {
  await page.getByRole("navigation", { name: "Your area" }).getByRole("link", { name: "Dues and invoices" }).click();
  await expect(page).toHaveURL(/\/member\/invoices$/);
  const row = page.getByTestId(`invoice-${member.invoice.id}`);
  await expect(row).toContainText(String(member.invoice.fiscalYear));
  await expect(row).toContainText(money(member.invoice.amountCents, member.invoice.currency));
  return row;
}

test("a member pays its dues through Stripe and becomes active without a reload", async ({ page, api }) => {
  const member = await memberWithOpenInvoice(api, "Paydues");
  const amount = money(member.invoice.amountCents, member.invoice.currency);

  // Sign in on the development sign-in page, choosing the member by name.
  await signInThroughPage(page, "member", { memberName: member.name });
  await expect(page).toHaveURL(/\/member$/);
  await expect(page.getByTestId("membership-status")).toContainText("Pending");
  await expect(page.getByTestId("good-standing")).toHaveText("Not in good standing");

  // The invoice is open; Pay dues goes to Stripe's checkout page.
  const row = await openInvoices(page, member);
  await expect(row).toContainText("Open");
  await row.getByRole("button", { name: /Pay dues/ }).click();
  await page.waitForURL(/\/checkout\/cs_/);
  await expect(page.locator("h1")).toContainText(`FY${member.invoice.fiscalYear}`);

  // devstripe's page: "Pay 500.00 USD" pays, then Stripe sends the payer back.
  await page.getByRole("button", { name: /^Pay / }).click();
  await page.waitForURL(new RegExp(`/member/invoices/${member.invoice.id}/paid\\?session_id=cs_`));
  await markPage(page);

  // Live: Stripe's confirmation, then the invoice paid and the membership active.
  await expect(page.getByTestId("payment-status")).toHaveText("Succeeded", { timeout: 30_000 });
  await expect(page.getByTestId("invoice-status")).toHaveText("Paid", { timeout: 30_000 });
  await expect(page.getByTestId("member-status")).toHaveText("Active");
  await expect(page.getByTestId("membership-active")).toContainText("your membership is active");

  // The receipt, printable.
  const receipt = page.getByTestId("receipt");
  await expect(receipt).toBeVisible();
  await expect(receipt.getByRole("heading", { name: /^Receipt R-\d{4}-\d+$/ })).toBeVisible();
  await expect(receipt).toContainText(member.name);
  await expect(receipt).toContainText(amount);
  await expect(receipt).toContainText(member.invoice.id);
  await expect(receipt).toContainText(`fiscal year ${member.invoice.fiscalYear}`);
  await expect(receipt.getByRole("button", { name: "Print" })).toBeVisible();
  const number = (await receipt.getByRole("heading").first().textContent())!.replace("Receipt ", "").trim();
  await expectSamePage(page);

  // Elsewhere in the portal, still without a reload: the overview and the invoices agree.
  await page.getByRole("navigation", { name: "Your area" }).getByRole("link", { name: "Our membership" }).click();
  await expect(page.getByTestId("membership-status")).toContainText("Active");
  await expect(page.getByTestId("good-standing")).toHaveText("In good standing");
  const paidRow = await openInvoices(page, member);
  await expect(paidRow).toContainText("Paid");
  await expect(paidRow.getByRole("button", { name: /Pay dues/ })).toHaveCount(0);
  await paidRow.getByRole("link", { name: `Receipt ${number}` }).click();
  await expect(page).toHaveURL(new RegExp(`/member/receipts/${number}$`));
  await expect(page.getByTestId("receipt")).toContainText(amount);
  await expectSamePage(page);

  // What the API says.
  const after = await api.graphql<{ member: { status: string; goodStanding: boolean; invoices: { id: string; status: string }[] } }>(
    `query E2ePayDuesAfter($id: ID!) { member(id: $id) { status goodStanding invoices { id status } } }`,
    { id: member.id },
    "staff",
  );
  expect(after.member.status).toBe("ACTIVE");
  expect(after.member.goodStanding).toBe(true);
  expect(after.member.invoices.find((i) => i.id === member.invoice.id)?.status).toBe("PAID");
});

test("leaving Stripe's page unpaid says so, and paying again works", async ({ page, api, signIn }) => {
  const member = await memberWithOpenInvoice(api, "Paylater");
  await signIn(page, { role: "member", memberId: member.id });
  await page.goto("/member");

  // Stripe's Fail button sends the payer to the cancel URL.
  const row = await openInvoices(page, member);
  await row.getByRole("button", { name: /Pay dues/ }).click();
  await page.waitForURL(/\/checkout\/cs_/);
  await page.getByRole("button", { name: "Fail" }).click();
  await page.waitForURL(/\/member\/invoices\?cancelled=1$/);
  await expect(page.getByText("Payment cancelled")).toBeVisible();
  await expect(page.getByText(/Nothing was charged/)).toBeVisible();

  // A new attempt: a new checkout session, paid this time.
  const again = page.getByTestId(`invoice-${member.invoice.id}`);
  await expect(again).toContainText("Open");
  await again.getByRole("button", { name: /Pay dues/ }).click();
  await page.waitForURL(/\/checkout\/cs_/);
  await page.getByRole("button", { name: /^Pay / }).click();
  await page.waitForURL(new RegExp(`/member/invoices/${member.invoice.id}/paid`));
  await expect(page.getByTestId("receipt")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("member-status")).toHaveText("Active");
});
