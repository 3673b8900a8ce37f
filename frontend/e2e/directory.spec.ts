// Scenario 1: the public partnership directory agrees with the API, its search
// ignores accents, and its filters live in the address (a reload keeps them).
import { chooseOption, expect, test } from "./fixtures";

/** A count as the page may write it: 1,234 or 1234. */
function countPattern(n: number): RegExp {
  return new RegExp(`(^|\\D)(${n.toLocaleString("en-US")}|${n})(\\D|$)`);
}

test("the directory by country shows the API's total, and a reload keeps the filter", async ({ page, api }) => {
  const { partnerships } = await api.graphql<{ partnerships: { totalCount: number } }>(
    `query E2eDirectoryJapan { partnerships(filter: { country: "JP" }) { totalCount } }`,
  );
  expect(partnerships.totalCount, "the seed has partnerships with Japan").toBeGreaterThan(0);

  await page.goto("/directory");
  const total = page.getByTestId("directory-total");
  await expect(total).toBeVisible();
  await chooseOption(page, "Country", /Japan/, "Japan");
  await expect(page).toHaveURL(/[?&]country=JP(&|$)/);
  await expect(total).toHaveText(countPattern(partnerships.totalCount));
  await expect(page.getByRole("table").first().locator("tbody tr").first()).toContainText("Japan");

  await page.reload();
  await expect(page).toHaveURL(/[?&]country=JP(&|$)/);
  await expect(page.locator("input").and(page.getByLabel("Country", { exact: true }))).toHaveValue(/Japan/);
  await expect(total).toHaveText(countPattern(partnerships.totalCount));
});

test("searching “tromso” finds Tromsø, and a reload keeps the search", async ({ page }) => {
  await page.goto("/directory");
  const search = page.locator("input").and(page.getByLabel("Search", { exact: true }));
  await search.fill("tromso");
  const rows = page.getByRole("table").first().locator("tbody tr");
  await expect(rows.filter({ hasText: "Tromsø" })).toHaveCount(1);
  await expect(page).toHaveURL(/[?&]search=tromso(&|$)/);
  await expect(page.getByTestId("directory-total")).toHaveText(countPattern(1));

  await page.reload();
  await expect(search).toHaveValue("tromso");
  await expect(rows.filter({ hasText: "Tromsø" })).toHaveCount(1);
});

test("on a phone the filters open from a button, and the results are cards", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/directory");
  const country = page.locator("input").and(page.getByLabel("Country", { exact: true }));
  await expect(page.getByTestId("directory-total")).toBeVisible();
  await expect(country).toBeHidden();
  await expect(page.getByRole("table")).toHaveCount(0);

  await page.getByRole("button", { name: "Filters", exact: true }).click();
  await chooseOption(page, "Country", /Japan/, "Japan");
  await expect(page).toHaveURL(/[?&]country=JP(&|$)/);
  await page.getByRole("button", { name: "Hide filters" }).click();
  await expect(country).toBeHidden();
});
