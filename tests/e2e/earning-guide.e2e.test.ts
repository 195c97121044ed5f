import { describe, expect, it } from "vitest";
import { browserSuite, browserSuiteCanRun } from "#tests/support/browser.ts";
import { createUser } from "#tests/support/factories.ts";
import {
  expectNoHorizontalScroll,
  expectNoSeriousAxeViolations,
  lightAndDarkScreens,
  saveScreenshot,
} from "#tests/support/page-checks.ts";

const desktop = { width: 1280, height: 900 };
const screens = lightAndDarkScreens;

describe.skipIf(!browserSuiteCanRun())("how earning works in a browser", () => {
  const suite = browserSuite(desktop);

  it("reads clean at 1280 and 390 px, light and dark: axe finds nothing serious, the page never scrolls sideways", async () => {
    for (const { name, options } of screens) {
      const page = await suite.newPage(options);
      await page.goto(`${suite.server.url}/earning`);
      await expect
        .poll(() => page.getByRole("heading", { level: 1 }).textContent())
        .toBe("How earning works");
      await expectNoHorizontalScroll(page);
      await expectNoSeriousAxeViolations(page);
      await saveScreenshot(page, `earning-guide-${name}`);
    }
  });

  it("a signed-in player sees what achievements, quests and the next streak bonus pay on the games pages", async () => {
    const { user, password } = await createUser(suite.server.db);
    for (const { name, options } of screens.filter((s) => s.name.endsWith("light"))) {
      const page = await suite.newPage(options);
      await page.goto(`${suite.server.url}/signin`);
      await page.getByLabel("Email").fill(user.email);
      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: /sign in/i }).click();
      await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
      for (const path of ["/games", "/games/river-run"]) {
        await page.goto(`${suite.server.url}${path}`);
        await expect.poll(() => page.locator("data").count()).toBeGreaterThan(0);
        await expectNoHorizontalScroll(page);
        await expectNoSeriousAxeViolations(page);
        await saveScreenshot(page, `earning-${path.replaceAll("/", "_")}-${name}`);
      }
    }
  });
});
