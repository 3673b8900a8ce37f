// The development sign-in page: each role lands on its own area, and a page
// that needs signing in brings the user back to it afterwards.
import { expect, signInThroughPage, test } from "./fixtures";

test("signing in as staff, then as a member by name, then out", async ({ page, api }) => {
  await signInThroughPage(page, "staff");
  await expect(page).toHaveURL(/\/staff\/members$/);
  await expect(page.getByTestId("signed-in-as")).toHaveText("Staff");

  const [member] = await api.members("Anchorage", 1);
  expect(member, "the seed has Anchorage").toBeTruthy();
  await signInThroughPage(page, "member", { memberName: member!.name });
  await expect(page).toHaveURL(/\/member$/);
  await expect(page.getByTestId("signed-in-as")).toHaveText("Member");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in", exact: true })).toBeVisible();
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);
  await page.goto("/member/invoices");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fmember%2Finvoices/);
});

test("a page that needs signing in comes back after sign-in", async ({ page }) => {
  await page.goto("/staff/members");
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await page.getByRole("button", { name: "Sign in as staff" }).click();
  await expect(page).toHaveURL(/\/staff\/members$/);
});

test("signing in from a public page comes back to it", async ({ page }) => {
  await page.goto("/directory");
  await page.getByRole("banner").getByRole("link", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fdirectory$/);
  await page.getByRole("button", { name: "Sign in as staff" }).click();
  await expect(page).toHaveURL(/\/directory$/);
  await expect(page.getByTestId("signed-in-as")).toHaveText("Staff");
});
