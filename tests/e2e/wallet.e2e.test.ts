import { randomBytes } from "node:crypto";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { browserSuite, browserSuiteCanRun } from "#tests/support/browser.ts";
import {
  expectNoHorizontalScroll,
  expectNoSeriousAxeViolations,
  phoneViewport,
  saveScreenshot,
  waitForHydration,
} from "#tests/support/page-checks.ts";
import { seedDemoData } from "#core/demo/seed-demo-data.ts";
import { DEMO_PASSWORD, demoUsers } from "#core/demo/demo-users.ts";
import { createUser } from "#tests/support/factories.ts";

const desktop = { width: 1280, height: 900 };
const phone = phoneViewport;

const screenshot = (page: Page, name: string) => saveScreenshot(page, `wallet-${name}`);

type NewUser = { email: string; handle: string; displayName: string; password: string };

function newUser(): NewUser {
  const id = randomBytes(5).toString("hex");
  return {
    email: `brook.${id}@example.com`,
    handle: `w_${id}`,
    displayName: `Brook ${id.toUpperCase()}`,
    password: `Slow-river-${randomBytes(4).toString("hex")}`,
  };
}

/** The header's balance link, e.g. "Wallet: 0 MICRO available +1 pending". */
function headerBalance(page: Page) {
  return page.getByRole("banner").getByTestId("header-balance");
}

async function waitForText(page: Page, locator: ReturnType<Page["locator"]>, text: string) {
  await page.waitForFunction(
    ({ element, expected }) => element?.textContent?.includes(expected) ?? false,
    { element: await locator.elementHandle(), expected: text },
  );
}

describe.skipIf(!browserSuiteCanRun())("the wallet in a real browser (Chromium)", () => {
  const suite = browserSuite(desktop);
  const { newPage } = suite;

  async function signUp(page: Page, user: NewUser, options: { hasJs?: boolean } = {}) {
    await page.goto(`${suite.server.url}/signup`);
    if (options.hasJs ?? true) await waitForHydration(page);
    await page.getByLabel("Email", { exact: true }).fill(user.email);
    await page.getByLabel("Handle", { exact: true }).fill(user.handle);
    await page.getByLabel("Display name (optional)").fill(user.displayName);
    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Sign up" }).click();
    // Sign-up opens no session: it asks to check the inbox; then sign in with the password.
    await page.getByText(`Check your inbox at ${user.email}`).waitFor();
    await page.goto(`${suite.server.url}/signin`);
    if (options.hasJs ?? true) await waitForHydration(page);
    await page.getByLabel("Email", { exact: true }).fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    // Signed in (the header's balance; on a phone Sign out sits in the header's menu).
    await page.getByRole("banner").getByTestId("header-balance").waitFor();
  }

  /** An account made in the database (past the new-account review), signed in through the form. */
  async function signInAs(page: Page, options: { isAdmin?: boolean } = {}) {
    const { user, password } = await createUser(suite.server.db);
    await suite.server.db
      .updateTable("users")
      .set({
        created_at: new Date(Date.now() - 60 * 86_400_000),
        is_admin: options.isAdmin ?? false,
      })
      .where("id", "=", user.id)
      .execute();
    await page.goto(`${suite.server.url}/signin`);
    await waitForHydration(page);
    await page.getByLabel("Email", { exact: true }).fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    return user;
  }

  it("signs up, sees what activation needs, checks in, and watches the toast and header update live", async () => {
    const user = newUser();
    const page = await newPage();
    // Hydration mismatches and script errors show up here (a missing favicon does not count).
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
        problems.push(message.text());
      }
    });
    await signUp(page, user);
    const userRow = await suite.server.db
      .selectFrom("users")
      .select("id")
      .where("handle", "=", user.handle)
      .executeTakeFirstOrThrow();

    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Wallet" })
      .click();
    await page.waitForURL((url) => url.pathname === "/wallet");
    await page.getByRole("heading", { level: 1, name: "Wallet" }).waitFor();
    const pending = page.getByTestId("total-pending");
    expect(await pending.innerText()).toContain("Nothing on hold");
    expect(await page.getByTestId("total-available").innerText()).toContain("0 MICRO");
    await page.getByTestId("activation-notice").getByText("Verify your email address").waitFor();
    expect(await headerBalance(page).innerText()).toMatch(/:\s+0 MICRO\s+available\s*$/);

    // The live region is subscribed before anything happens; a marker proves no reload.
    await page.locator('[role="status"][data-live="connected"]').waitFor({ state: "attached" });
    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });

    await page.getByRole("button", { name: "Check in for today" }).click();
    const toast = page.getByTestId("reward-toast").filter({ hasText: "Daily check-in" });
    await toast.waitFor();
    expect(await toast.innerText()).toContain("+0.01 MICRO · Daily check-in");
    await page
      .getByTestId("check-in-outcome")
      .getByText("Checked in: paid into your available balance.")
      .waitFor();
    await waitForText(page, headerBalance(page), "0.01 MICRO");
    await waitForText(page, page.getByTestId("total-available"), "0.01 MICRO");
    await screenshot(page, "desktop-check-in-toast");

    // A reward paid by something else entirely arrives over the same stream.
    const paid = await suite.server.services.rewards.reward({
      actionKind: "post.created",
      userId: userRow.id as UserId,
      causeId: `e2e-post-${userRow.id}`,
      memo: "Your first post",
    });
    expect(paid.ok).toBe(true);
    await page
      .getByTestId("reward-toast")
      .filter({ hasText: "+0.005 MICRO · Your first post" })
      .waitFor();
    await waitForText(page, headerBalance(page), "+0.005 pending");
    expect(
      await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
    ).toBe(true);

    // Checked in: the card says so and the button is gone, now and after a reload.
    expect(await page.getByRole("button", { name: "Check in for today" }).count()).toBe(0);
    expect(await headerBalance(page).innerText()).toContain("+0.005 pending");
    await page.reload();
    await waitForHydration(page);
    await page
      .getByTestId("check-in-outcome")
      .getByText("You checked in today (paid). The next check-in opens at 00:00 UTC.")
      .waitFor();
    expect(await page.getByRole("button", { name: "Check in for today" }).count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("appeals a held group with JavaScript, and an admin approves it on the admin page", async () => {
    const member = newUser();
    const memberPage = await newPage();
    await signUp(memberPage, member);
    // The welcome bonus waits for activation: a post's reward is the held one to appeal.
    const memberRow = await suite.server.db
      .selectFrom("users")
      .select("id")
      .where("handle", "=", member.handle)
      .executeTakeFirstOrThrow();
    const held = await suite.server.services.rewards.reward({
      actionKind: "post.created",
      userId: memberRow.id as UserId,
      causeId: `e2e-held-${memberRow.id}`,
      memo: "You posted",
    });
    expect(held.ok && held.value.status).toBe("held");
    await memberPage.goto(`${suite.server.url}/wallet`);
    await waitForHydration(memberPage);
    const group = memberPage.getByTestId("held-group-held:risk_review");
    await group.getByText("Appeal this reward").click();
    await group
      .getByLabel("Why should a person look at this reward again?")
      .fill("I joined to play the games.");
    await group.getByRole("button", { name: "Send one appeal" }).click();
    await memberPage.getByText("Appeal waiting for a decision").waitFor();
    expect(await group.locator("textarea").count()).toBe(0);
    await memberPage.getByText("“I joined to play the games.”").waitFor();

    const adminPage = await newPage();
    await signInAs(adminPage, { isAdmin: true });
    await adminPage.getByRole("link", { name: "Admin" }).click();
    await adminPage.waitForURL((url) => url.pathname === "/admin/rewards");
    await waitForHydration(adminPage);
    const appeal = adminPage.locator("li").filter({ hasText: `@${member.handle}` });
    await appeal.getByLabel(`Reason for @${member.handle} (they see it)`).fill("Welcome aboard.");
    await screenshot(adminPage, "admin-appeal");
    await appeal.getByRole("button", { name: "Approve" }).click();
    await adminPage.getByRole("status").getByText("Appeal approved.").waitFor();
    await expectNoSeriousAxeViolations(adminPage);

    await memberPage.reload();
    await memberPage.getByText("Decision: Welcome aboard.").waitFor();
    await memberPage.getByText("Appeal approved for 1 reward").waitFor();
    expect(await memberPage.getByTestId("total-available").innerText()).toContain("0.005 MICRO");
    await screenshot(memberPage, "desktop-appeal-approved");
  });

  it("has no serious or critical axe violations on the wallet page", async () => {
    const page = await newPage();
    await signUp(page, newUser());
    await page.goto(`${suite.server.url}/wallet`);
    await waitForHydration(page);
    await page.getByRole("heading", { level: 1, name: "Wallet" }).waitFor();
    await expectNoSeriousAxeViolations(page);
    await page.getByRole("button", { name: "Check in for today" }).click();
    await page.getByTestId("reward-toast").first().waitFor();
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, "desktop");
  });

  it("fits a phone screen without sideways scrolling", async () => {
    const page = await newPage({ viewport: phone, isMobile: true, hasTouch: true });
    await signUp(page, newUser());
    await page.goto(`${suite.server.url}/wallet`);
    await waitForHydration(page);
    await page.getByRole("button", { name: "Check in for today" }).tap();
    await page.getByTestId("reward-toast").first().waitFor();
    await expectNoHorizontalScroll(page);
    await screenshot(page, "phone");
  });

  it("a demo member's wallet fits a phone in a few screens: group lines, not a wall of appeal forms", async () => {
    await seedDemoData(suite.server.db, suite.server.services.rewards);
    const heights: Record<string, number> = {};
    for (const demo of demoUsers) {
      const page = await newPage({ viewport: phone, isMobile: true, hasTouch: true });
      await page.goto(`${suite.server.url}/signin`);
      await waitForHydration(page);
      await page.getByLabel("Email", { exact: true }).fill(demo.email);
      await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => url.pathname === "/");
      await page.goto(`${suite.server.url}/wallet`);
      await waitForHydration(page);
      heights[demo.handle] = await page.evaluate(() => document.documentElement.scrollHeight);
      // At most one appeal form per group line.
      const groups = await page.locator('[data-testid^="held-group-"]').count();
      expect(await page.locator("textarea").count()).toBeLessThanOrEqual(groups);
      await expectNoHorizontalScroll(page);
      await screenshot(page, `phone-demo-${demo.handle}`);
      await page.context().close();
    }
    process.stdout.write(`wallet scrollHeight at 390 px: ${JSON.stringify(heights)}\n`);
    for (const height of Object.values(heights)) expect(height).toBeLessThan(5000);
  });

  it("checks in with JavaScript disabled", async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await signUp(page, newUser(), { hasJs: false });
    await page.goto(`${suite.server.url}/wallet`);
    expect(await page.evaluate(() => "__remixRouter" in window)).toBe(false);
    await page.getByRole("button", { name: "Check in for today" }).click();
    await page.waitForLoadState();
    await page
      .getByTestId("check-in-outcome")
      .getByText("Checked in: paid into your available balance.")
      .waitFor();
    expect(await headerBalance(page).innerText()).toMatch(/:\s+0\.01 MICRO\s+available\s*$/);
    await screenshot(page, "nojs-check-in");
  });
});
