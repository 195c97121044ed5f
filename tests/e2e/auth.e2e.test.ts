import { randomBytes } from "node:crypto";
import type { Page, Response } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { createPost } from "#core/social/posts.ts";
import { browserSuite, browserSuiteCanRun } from "#tests/support/browser.ts";
import { createUser } from "#tests/support/factories.ts";
import { linkIn, startSmtpInbox, type SmtpInbox } from "#tests/support/smtp-inbox.ts";
import { startTestServer } from "#tests/support/test-server.ts";
import {
  expectNoHorizontalScroll,
  expectNoSeriousAxeViolations,
  phoneViewport,
  saveScreenshot,
  waitForHydration,
} from "#tests/support/page-checks.ts";

const desktop = { width: 1280, height: 800 };
const phone = phoneViewport;
const navLabels = ["Feed", "Games", "Tasks", "Wallet"] as const;

const screenshot = (page: Page, name: string) => saveScreenshot(page, `${name}`);

type NewUser = { email: string; handle: string; displayName: string; password: string };

function newUser(): NewUser {
  const id = randomBytes(5).toString("hex");
  return {
    email: `river.${id}@example.com`,
    handle: `e2e_${id}`,
    displayName: `River ${id.toUpperCase()}`,
    password: `Quiet-meadow-${randomBytes(4).toString("hex")}`,
  };
}

async function fillSignUp(page: Page, user: NewUser, options: { displayName: boolean }) {
  await page.getByLabel("Email", { exact: true }).fill(user.email);
  await page.getByLabel("Handle", { exact: true }).fill(user.handle);
  if (options.displayName) {
    await page.getByLabel("Display name (optional)").fill(user.displayName);
  }
  await page.getByLabel("Password", { exact: true }).fill(user.password);
}

async function expectSignedInHome(page: Page, user: { displayName: string; handle: string }) {
  await page.waitForURL((url) => url.pathname === "/");
  await page.getByRole("heading", { level: 1, name: `Welcome, ${user.displayName}` }).waitFor();
  await page.getByRole("main").getByText(`@${user.handle}`, { exact: true }).waitFor();
  // The header's balance: on a phone, Sign out sits in the header's menu.
  await page.getByRole("banner").getByTestId("header-balance").waitFor();
}

/** Each main nav link is visible and lies wholly inside the viewport (not scrolled off). */
async function expectNavLinksOnScreen(page: Page, viewportWidth: number) {
  // On a phone the sections fold into the header's menu (to keep it one row): open it.
  const menu = page.getByRole("banner").getByText("Menu", { exact: true });
  const isFolded = await menu.isVisible();
  if (isFolded) await menu.click();
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const label of navLabels) {
    const link = nav.getByRole("link", { name: label, exact: true });
    await link.waitFor({ state: "visible" });
    const box = await link.boundingBox();
    expect(box, `${label} link has no box`).not.toBeNull();
    expect(box!.width).toBeGreaterThan(0);
    expect(box!.x, `${label} link starts off screen`).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width, `${label} link ends off screen`).toBeLessThanOrEqual(viewportWidth);
  }
  if (isFolded) await page.keyboard.press("Escape");
}

/** A plain HTML form post must reach the action, not be turned away (e.g. 403). */
async function expectNotRefused(response: Response) {
  const status = response.status();
  const body = status >= 400 ? await response.text().catch(() => "") : "";
  expect(status, `POST ${response.url()} answered ${status}: ${body}`).toBeLessThan(400);
}

/** The page sign-up answers with, the same whether the address was new or taken. */
async function expectCheckInbox(page: Page, user: NewUser) {
  await page
    .getByRole("status")
    .getByText(
      `Check your inbox at ${user.email}: open the link we sent to finish signing up (or sign in with your password).`,
    )
    .waitFor();
  expect(await page.getByRole("button", { name: "Sign out" }).count()).toBe(0);
}

describe.skipIf(!browserSuiteCanRun())("accounts through the real UI (Chromium)", () => {
  let inbox: SmtpInbox | undefined;
  const suite = browserSuite(desktop, {
    // A real SMTP server: sign-up finishes through the link it mails.
    startServer: async () => {
      inbox = await startSmtpInbox();
      return startTestServer("pglite", { SMTP_URL: inbox.url });
    },
  });
  afterAll(async () => {
    await inbox?.close();
  });
  const { newPage } = suite;

  /** Opens the verification link mailed to `user` and presses the button: signed in. */
  async function followVerificationLink(page: Page, user: NewUser) {
    const link = linkIn(await inbox!.nextMessageTo(user.email), "/verify-email");
    expect(link.origin).toBe(suite.server.url);
    await page.goto(link.href);
    await waitForHydration(page);
    await page.getByRole("button", { name: "Confirm my email" }).click();
    await page
      .getByRole("status")
      .getByText(`Thank you: ${user.email} is confirmed. You are signed in as @${user.handle}.`)
      .waitFor();
    await page.getByRole("link", { name: "Go to your home page" }).click();
  }

  /** Signs up through the form and finishes through the mailed link, landing signed in. */
  async function signUp(page: Page, user: NewUser) {
    await page.goto(`${suite.server.url}/signup`);
    await waitForHydration(page);
    await fillSignUp(page, user, { displayName: true });
    await page.getByRole("button", { name: "Sign up" }).click();
    await expectCheckInbox(page, user);
    await followVerificationLink(page, user);
    await expectSignedInHome(page, user);
  }

  it("signs up, follows the mailed link to land signed in, signs out, signs in again and renames in settings", async () => {
    const user = newUser();
    const page = await newPage();

    await page.goto(`${suite.server.url}/`);
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.waitForURL((url) => url.pathname === "/signup");
    await waitForHydration(page);
    await screenshot(page, "desktop-signup");
    await fillSignUp(page, user, { displayName: true });
    await page.getByRole("button", { name: "Sign up" }).click();
    await expectCheckInbox(page, user);
    await screenshot(page, "desktop-signup-check-inbox");
    // The link from the real mail finishes the sign-up and signs this browser in.
    await followVerificationLink(page, user);
    await expectSignedInHome(page, user);
    await screenshot(page, "desktop-home-signed-in");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("link", { name: "Create an account" }).waitFor();
    expect(await page.getByRole("button", { name: "Sign out" }).count()).toBe(0);
    expect(await page.getByText(`@${user.handle}`).count()).toBe(0);
    // Signed out for real: the server no longer lets this browser into settings.
    await page.goto(`${suite.server.url}/settings`);
    await page.waitForURL((url) => url.pathname === "/signin");

    await waitForHydration(page);
    await page.getByLabel("Email", { exact: true }).fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill(`${user.password}-wrong`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Email or password is incorrect.").waitFor();
    expect(page.url()).toContain("/signin");
    expect(await page.getByRole("button", { name: "Sign out" }).count()).toBe(0);
    await screenshot(page, "desktop-signin-wrong-password");

    await page.getByLabel("Email", { exact: true }).fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    // Signing in from the settings redirect goes back to settings.
    await page.waitForURL((url) => url.pathname === "/settings");

    const renamed = `${user.displayName} Renamed`;
    const displayName = page.getByLabel("Display name", { exact: true });
    expect(await displayName.inputValue()).toBe(user.displayName);
    await displayName.fill(renamed);
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").getByText("Saved.", { exact: true }).waitFor();
    await screenshot(page, "desktop-settings-saved");

    // The new name is stored, not just echoed: a fresh load shows it everywhere.
    await page.reload();
    expect(await page.getByLabel("Display name", { exact: true }).inputValue()).toBe(renamed);
    await page.goto(`${suite.server.url}/`);
    await expectSignedInHome(page, { displayName: renamed, handle: user.handle });
  });

  it("refuses a taken handle, keeping the typed email and clearing the password", async () => {
    const first = newUser();
    await signUp(await newPage(), first);

    const second = { ...newUser(), handle: first.handle };
    const page = await newPage();
    await page.goto(`${suite.server.url}/signup`);
    await waitForHydration(page);
    await fillSignUp(page, second, { displayName: false });
    await page.getByRole("button", { name: "Sign up" }).click();

    const handle = page.getByLabel("Handle", { exact: true });
    await page.getByText("That handle is taken; try another.").waitFor();
    await screenshot(page, "desktop-signup-handle-taken");
    expect(page.url()).toBe(`${suite.server.url}/signup`);
    expect(await handle.getAttribute("aria-invalid")).toBe("true");
    // The error is tied to the Handle field for screen readers.
    const describedBy = (await handle.getAttribute("aria-describedby")) ?? "";
    const errorTexts = await Promise.all(
      describedBy
        .split(" ")
        .filter(Boolean)
        .map((id) => page.locator(`[id="${id}"]`).innerText()),
    );
    expect(errorTexts.join("\n")).toContain("That handle is taken; try another.");
    expect(await page.getByLabel("Email", { exact: true }).inputValue()).toBe(second.email);
    expect(await handle.inputValue()).toBe(first.handle);
    expect(await page.getByLabel("Password", { exact: true }).inputValue()).toBe("");
  });

  it("keeps the email but not the password after a failed sign-in", async () => {
    const user = newUser();
    await signUp(await newPage(), user);

    const page = await newPage();
    await page.goto(`${suite.server.url}/signin`);
    await waitForHydration(page);
    await page.getByLabel("Email", { exact: true }).fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill(`${user.password}-wrong`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Email or password is incorrect.").waitFor();
    expect(await page.getByLabel("Email", { exact: true }).inputValue()).toBe(user.email);
    expect(await page.getByLabel("Password", { exact: true }).inputValue()).toBe("");
  });

  it("signs out every device from settings", async () => {
    const user = newUser();
    const first = await newPage();
    await signUp(first, user);

    const second = await newPage();
    await second.goto(`${suite.server.url}/signin`);
    await waitForHydration(second);
    await second.getByLabel("Email", { exact: true }).fill(user.email);
    await second.getByLabel("Password", { exact: true }).fill(user.password);
    await second.getByRole("button", { name: "Sign in" }).click();
    await expectSignedInHome(second, user);

    await first.goto(`${suite.server.url}/settings`);
    await waitForHydration(first);
    await first.getByRole("button", { name: "Sign out everywhere" }).click();
    await first.waitForURL((url) => url.pathname === "/signin");

    // The other browser's session is gone on the server too.
    await second.goto(`${suite.server.url}/settings`);
    await second.waitForURL((url) => url.pathname === "/signin");
    await second.goto(`${suite.server.url}/`);
    await second.getByRole("link", { name: "Create an account" }).waitFor();
  });

  it("fits a phone screen: signup page and signed-in home", async () => {
    const user = newUser();
    const page = await newPage({ viewport: phone, isMobile: true, hasTouch: true });

    await page.goto(`${suite.server.url}/signup`);
    await waitForHydration(page);
    await screenshot(page, "phone-signup");
    await expectNavLinksOnScreen(page, phone.width);
    await expectNoHorizontalScroll(page);

    await fillSignUp(page, user, { displayName: true });
    await page.getByRole("button", { name: "Sign up" }).tap();
    await expectCheckInbox(page, user);
    await screenshot(page, "phone-signup-check-inbox");
    await expectNoHorizontalScroll(page);
    await followVerificationLink(page, user);
    await expectSignedInHome(page, user);
    await screenshot(page, "phone-home-signed-in");
    await expectNavLinksOnScreen(page, phone.width);
    await expectNoHorizontalScroll(page);
  });

  it("has no serious or critical axe (WCAG 2 A/AA) violations", async () => {
    const page = await newPage();
    const signedOutRoutes = [
      "/",
      "/signup",
      "/signin",
      "/forgot-password",
      "/reset-password?token=not-a-real-token",
      "/verify-email?token=not-a-real-token",
    ];
    for (const route of signedOutRoutes) {
      await page.goto(`${suite.server.url}${route}`);
      await waitForHydration(page);
      await expectNoSeriousAxeViolations(page);
    }
    const user = newUser();
    await signUp(page, user);
    await page.goto(`${suite.server.url}/settings`);
    await page.getByRole("heading", { level: 1, name: "Settings" }).waitFor();
    await expectNoSeriousAxeViolations(page);
    await page.goto(`${suite.server.url}/wallet`);
    await waitForHydration(page);
    await expectNoSeriousAxeViolations(page);

    await suite.server.db
      .updateTable("users")
      .set({ is_admin: true })
      .where("handle", "=", user.handle)
      .execute();
    // A newcomer's first post waits for activation: one reward in the queue, with its form.
    const newcomer = await createUser(suite.server.db);
    await createPost(suite.server.services, newcomer.user.id, { body: "Hello, first post" });
    await page.goto(`${suite.server.url}/admin/review`);
    await page.getByRole("heading", { level: 1, name: "Review queue" }).waitFor();
    await screenshot(page, "desktop-admin-review");
    await expectNoSeriousAxeViolations(page);
  });

  it("signs up with JavaScript disabled (progressive enhancement)", async () => {
    const user = newUser();
    const page = await newPage({ javaScriptEnabled: false });

    await page.goto(`${suite.server.url}/signup`);
    // Remix's client never started, so the form below is the plain HTML one.
    expect(await page.evaluate(() => "__remixRouter" in window)).toBe(false);
    await fillSignUp(page, user, { displayName: true });
    const [response] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === "POST"),
      page.getByRole("button", { name: "Sign up" }).click(),
    ]);
    const post = response.request();
    expect(post.isNavigationRequest()).toBe(true);
    expect(new URL(post.url()).pathname).toBe("/signup");
    await page.waitForLoadState();
    await screenshot(page, "desktop-nojs-signup-result");
    await expectNotRefused(response);
    await expectCheckInbox(page, user);
    // The link's button is a plain form too.
    const link = linkIn(await inbox!.nextMessageTo(user.email), "/verify-email");
    await page.goto(link.href);
    const [confirmed] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === "POST"),
      page.getByRole("button", { name: "Confirm my email" }).click(),
    ]);
    await page.waitForLoadState();
    await screenshot(page, "desktop-nojs-verify-result");
    await expectNotRefused(confirmed);
    await page.getByText(`You are signed in as @${user.handle}.`).waitFor();
    await page.goto(`${suite.server.url}/`);
    await expectSignedInHome(page, user);
  });

  it("shows sign-up errors with JavaScript disabled", async () => {
    const first = newUser();
    await signUp(await newPage(), first);

    const second = { ...newUser(), handle: first.handle };
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(`${suite.server.url}/signup`);
    await fillSignUp(page, second, { displayName: false });
    const [response] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === "POST"),
      page.getByRole("button", { name: "Sign up" }).click(),
    ]);
    await page.waitForLoadState();
    await screenshot(page, "desktop-nojs-signup-handle-taken");
    await expectNotRefused(response);
    await page.getByText("That handle is taken; try another.").waitFor();
    expect(await page.getByLabel("Email", { exact: true }).inputValue()).toBe(second.email);
    expect(await page.getByLabel("Password", { exact: true }).inputValue()).toBe("");
  });
});
