import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserSuite, browserSuiteCanRun } from "#tests/support/browser.ts";
import { injectEthereumProvider, testAccount } from "#tests/support/ethereum-provider.ts";
import { createUser } from "#tests/support/factories.ts";
import { waitForHydration } from "#tests/support/page-checks.ts";

const desktop = { width: 1280, height: 900 };

/**
 * Everything the Content-Security-Policy refused on this page, from both ends: Chromium's
 * "Refused to …" console messages (workers' too) and the page's securitypolicyviolation
 * events. Script errors are kept as well: a refused script often shows up as one.
 */
async function watchPolicy(page: Page) {
  const refused: string[] = [];
  const errors: string[] = [];
  page.on("console", (message) => {
    const text = message.text();
    if (/Refused to|Content Security Policy/i.test(text)) refused.push(`${page.url()}: ${text}`);
  });
  page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
  await page.exposeFunction("__reportCspViolation", (violation: string) => {
    refused.push(violation);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { __reportCspViolation: (v: string) => void })
        .__reportCspViolation;
      void report(
        `${location.href}: ${event.effectiveDirective} refused ${event.blockedURI || "inline"} ` +
          `(${event.sourceFile}:${event.lineNumber}) ${event.sample}`,
      );
    });
  });
  return { refused, errors };
}

/** Hydrated: a client-side navigation keeps the same document. */
async function expectClientNavigation(page: Page, linkName: string, pathname: string) {
  await waitForHydration(page);
  await page.evaluate(() => {
    (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
  });
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: linkName })
    .first()
    .click();
  await page.waitForURL((url) => url.pathname === pathname);
  const isSameDocument = await page.evaluate(
    () => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true,
  );
  expect(isSameDocument, `navigating to ${pathname} reloaded the page`).toBe(true);
}

describe.skipIf(!browserSuiteCanRun())("the Content-Security-Policy in Chromium", () => {
  const suite = browserSuite(desktop);

  async function signIn(page: Page, options: { isAdmin?: boolean } = {}) {
    const { user, password } = await createUser(suite.server.db);
    if (options.isAdmin) {
      await suite.server.db
        .updateTable("users")
        .set({ is_admin: true })
        .where("id", "=", user.id)
        .execute();
    }
    await page.goto(`${suite.server.url}/signin`);
    await waitForHydration(page);
    await page.getByLabel("Email", { exact: true }).fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((url) => url.pathname !== "/signin");
    return user;
  }

  it("refuses nothing on the site's pages, signed out and in, and they hydrate", async () => {
    const page = await suite.newPage();
    const wallet = {
      account: testAccount("csp-e2e"),
      chainId: 31337,
      signedMessages: [],
      rejectNextSignature: false,
    };
    await injectEthereumProvider(page, wallet);
    const { refused, errors } = await watchPolicy(page);

    await page.goto(`${suite.server.url}/`);
    await expectClientNavigation(page, "Games", "/games");
    for (const path of ["/signup", "/forgot-password", "/no-such-page"]) {
      await page.goto(`${suite.server.url}${path}`);
      await waitForHydration(page);
    }

    const user = await signIn(page);
    const streamOpened = page.waitForResponse((response) =>
      response.url().startsWith(`${suite.server.url}/graphql?query=`),
    );
    await page.goto(`${suite.server.url}/`);
    await expectClientNavigation(page, "Feed", "/feed");
    // Reward toasts arrive live over SSE (connect-src, and no compression holding them back).
    await streamOpened;
    const paid = await suite.server.services.rewards.reward({
      actionKind: "post.created",
      userId: user.id,
      causeId: `csp-e2e-${user.id}`,
      memo: "Arrives live",
    });
    expect(paid.ok).toBe(true);
    await page.getByTestId("reward-toast").filter({ hasText: "Arrives live" }).waitFor();

    // A game: Phaser boots, draws, plays its sounds' setup.
    await page.goto(`${suite.server.url}/games/river-run`);
    await waitForHydration(page);
    await page.waitForFunction(() => performance.getEntriesByName("game-interactive").length > 0);

    await page.goto(`${suite.server.url}/settings`);
    await waitForHydration(page);
    await page.goto(`${suite.server.url}/settings/profile`);
    await waitForHydration(page);
    for (const path of [`/u/${user.handle}`, "/tasks", "/notifications", `/tags/rivers`]) {
      await page.goto(`${suite.server.url}${path}`);
      await waitForHydration(page);
    }

    // The wallet page, and linking a wallet from it (its fetches to /wallet/link).
    await page.goto(`${suite.server.url}/wallet`);
    await waitForHydration(page);
    const linked = page.getByRole("region", { name: "Linked wallet" });
    await linked.getByRole("button", { name: "Connect wallet" }).click();
    await linked.getByTestId("linked-address-full").getByText(wallet.account.address).waitFor();

    expect(refused).toEqual([]);
    expect(errors).toEqual([]);

    // The policy is in force (and the watch would see a refusal): a script injected without
    // the nonce does not run.
    const didRun = await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.__injected = true;";
      document.body.append(script);
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(didRun).toBe(false);
    await expect.poll(() => refused.join("\n")).toMatch(/script-src/);
  });

  it("refuses nothing on the admin pages and GraphiQL, whose editor runs a query", async () => {
    const page = await suite.newPage();
    const { refused, errors } = await watchPolicy(page);
    const admin = await signIn(page, { isAdmin: true });
    for (const path of ["/admin/rewards", "/admin/review", "/admin/moderation"]) {
      await page.goto(`${suite.server.url}${path}`);
      await waitForHydration(page);
    }
    await page.goto(`${suite.server.url}/graphql`);
    await page.locator(".graphiql-container").first().waitFor();
    // Its editors are Monaco, with workers made from blob: URLs.
    await page.locator(".graphiql-query-editor .monaco-editor").waitFor();
    const answered = page.waitForResponse(
      (response) => new URL(response.url()).pathname === "/graphql" && response.status() === 200,
    );
    await page.locator(".graphiql-execute-button").click();
    await answered;
    await page.locator(".graphiql-response").getByText(admin.handle).waitFor();
    // Give the editor's workers and late styles a moment to be refused, if they are.
    await page.waitForTimeout(1_000);

    expect(refused).toEqual([]);
    expect(errors).toEqual([]);
  });
});
