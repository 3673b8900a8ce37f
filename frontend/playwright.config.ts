// The browser tests (`frontend/e2e/`): Debian's Chromium against a running
// platform. `make test` runs them inside pytest (tests/webapp/test_browser.py),
// which starts the whole platform and sets BASE_URL and CONTROL_URL. By hand:
//   BASE_URL=http://127.0.0.1:8000 npx playwright test
// (CONTROL_URL unset: the tests that stop a service are skipped).
import { defineConfig } from "@playwright/test";

// Playwright cannot download its own browsers here: `apt-get install chromium`.
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "./e2e",
  // Traces and screenshots of failures (E2E_OUTPUT_DIR: elsewhere, e.g. for two runs at once).
  outputDir: process.env.E2E_OUTPUT_DIR ?? "./test-results",
  // The machine has two cores shared with the platform under test.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: process.env.BASE_URL ?? "http://127.0.0.1:8000",
    headless: true,
    viewport: { width: 1280, height: 900 },
    locale: "en-US",
    timezoneId: "America/New_York",
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    video: "off",
    launchOptions: { executablePath: chromium },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
});
