// Scenario 5: with the partnerships service stopped, the directory says so
// (the unavailable banner) instead of failing; once the service is back,
// Retry brings the rows.
import { expect, test } from "./fixtures";

test("the directory while the partnerships service is down, then Retry", async ({ page, platform }) => {
  test.skip(!platform.available, "needs CONTROL_URL (run through pytest: tests/webapp)");
  const rows = page.getByRole("table").first().locator("tbody tr");
  const banner = page.getByTestId("unavailable-banner");

  await page.goto("/directory");
  await expect(rows.first()).toBeVisible();

  await platform.stop("partnerships");
  await page.reload();
  // The gateway answers UNAVAILABLE once its call times out (RPC_TIMEOUT_SECONDS, 10 s).
  await expect(banner.first()).toBeVisible({ timeout: 45_000 });
  await expect(rows).toHaveCount(0);

  await platform.start("partnerships");
  // Each failed query has its banner (usually one): Retry until none is left.
  await expect(async () => {
    if ((await banner.count()) > 0) await banner.first().getByRole("button", { name: "Retry" }).click();
    await expect(banner).toHaveCount(0, { timeout: 10_000 });
  }).toPass({ timeout: 60_000 });
  await expect(banner).toHaveCount(0);
  await expect(rows.first()).toBeVisible();
});
