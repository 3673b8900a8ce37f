// The screenshots in docs/screenshots/, refreshed only on request:
//   SCREENSHOTS=1 make test            (or E2E_ARGS=screenshots.spec.ts with it)
// Desktop 1280x900 for every main page; the directory and the member's
// overview also at 390x844 (a phone).
import { resolve } from "node:path";

import { test } from "./fixtures";
import { MAIN_PAGES, openMainPage } from "./pages";

const DIR = resolve(import.meta.dirname, "../../docs/screenshots");
const PHONE = { width: 390, height: 844 };
const PHONE_PAGES = new Set(["directory", "member-overview"]);

test.describe("screenshots", () => {
  test.skip(process.env.SCREENSHOTS !== "1", "set SCREENSHOTS=1 to refresh docs/screenshots");

  for (const entry of MAIN_PAGES) {
    test(`screenshot: ${entry.slug}`, async ({ page, api, signIn }) => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await openMainPage(page, entry, { api, signIn });
      await page.screenshot({ path: `${DIR}/${entry.slug}.png`, animations: "disabled" });
    });
  }

  for (const entry of MAIN_PAGES.filter((p) => PHONE_PAGES.has(p.slug))) {
    test(`screenshot: ${entry.slug} on a phone`, async ({ page, api, signIn }) => {
      await page.setViewportSize(PHONE);
      await openMainPage(page, entry, { api, signIn });
      await page.screenshot({ path: `${DIR}/${entry.slug}-phone.png`, animations: "disabled" });
    });
  }
});
