// Scenario 6: every main page passes axe-core's WCAG 2.1 A/AA rules with no
// violation of impact serious or critical (the violations are printed if not).
import { expectAccessible, test } from "./fixtures";
import { MAIN_PAGES, openMainPage } from "./pages";

for (const entry of MAIN_PAGES) {
  test(`accessibility: ${entry.title} (${entry.as ?? "public"})`, async ({ page, api, signIn }) => {
    const path = await openMainPage(page, entry, { api, signIn });
    await expectAccessible(page, path);
  });
}

for (const slug of ["directory", "member-overview"]) {
  const entry = MAIN_PAGES.find((p) => p.slug === slug)!;
  test(`accessibility: ${entry.title} on a phone`, async ({ page, api, signIn }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    const path = await openMainPage(page, entry, { api, signIn });
    await expectAccessible(page, path);
  });
}
