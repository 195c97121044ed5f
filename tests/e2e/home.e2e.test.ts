import { describe, expect, it } from "vitest";
import { checkIn } from "#core/rewards/check-in.ts";
import { createPost } from "#core/social/posts.ts";
import { follow } from "#core/social/follows.ts";
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

describe.skipIf(!browserSuiteCanRun())("the home page in a browser", () => {
  const suite = browserSuite(desktop);

  it("signed out, reads clean at 1280 and 390 px, light and dark", async () => {
    for (const { name, options } of screens) {
      const page = await suite.newPage(options);
      await page.goto(`${suite.server.url}/`);
      await expect.poll(() => page.getByText("Coming soon:").count()).toBe(1);
      await expectNoHorizontalScroll(page);
      await expectNoSeriousAxeViolations(page);
      await saveScreenshot(page, `home-signed-out-${name}`);
    }
  });

  it("signed in with something earned, shows progress and reads clean at 1280 and 390 px, light and dark", async () => {
    const { server } = suite;
    const { user, password } = await createUser(server.db);
    const joined = new Date(Date.now() - 30 * 86_400_000);
    await server.db
      .updateTable("users")
      .set({ created_at: joined, activated_at: joined, email_verified_at: joined })
      .where("id", "=", user.id)
      .execute();
    const friend = await createUser(server.db, { displayName: "River Friend" });
    await follow(server.services, user.id, friend.user.id);
    await createPost(server.services, friend.user.id, {
      body: "Which game do you like best so far? I keep going back to the rhythm one.",
    });
    await createPost(server.services, user.id, { body: "Hello, Tributary!" });
    await checkIn(server.services.rewards, user.id);

    for (const { name, options } of screens) {
      const page = await suite.newPage(options);
      await page.goto(`${suite.server.url}/signin`);
      await page.getByLabel("Email").fill(user.email);
      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: /sign in/i }).click();
      await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
      await page.goto(`${suite.server.url}/`);
      await expect
        .poll(() => page.getByRole("heading", { name: "What to do next" }).count())
        .toBe(1);
      await expect(page.getByRole("link", { name: /Answer River Friend/ }).count()).resolves.toBe(
        1,
      );
      await expect(page.getByRole("table", { name: "Earnings by stream" }).count()).resolves.toBe(
        1,
      );
      await expectNoHorizontalScroll(page);
      await expectNoSeriousAxeViolations(page);
      await saveScreenshot(page, `home-signed-in-${name}`);
    }
  });
});
