import type { BrowserContextOptions, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserSuite, browserSuiteCanRun } from "#tests/support/browser.ts";
import {
  injectEthereumProvider,
  testAccount,
  type InjectedWallet,
} from "#tests/support/ethereum-provider.ts";
import { createUser } from "#tests/support/factories.ts";
import {
  expectNoHorizontalScroll,
  expectNoSeriousAxeViolations,
  phoneViewport,
  saveScreenshot,
  waitForHydration,
} from "#tests/support/page-checks.ts";

const desktop = { width: 1280, height: 900 };
const screenshot = (page: Page, name: string) => saveScreenshot(page, `wallet-link-${name}`);
const short = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

function newWallet(label: string, chainId = 1): InjectedWallet {
  return { account: testAccount(label), chainId, signedMessages: [], rejectNextSignature: false };
}

/** Script errors and hydration mismatches (a missing favicon does not count). */
function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      problems.push(message.text());
    }
  });
  return problems;
}

describe.skipIf(!browserSuiteCanRun())("linking a wallet in a real browser (Chromium)", () => {
  const suite = browserSuite(desktop);

  /** A fresh page with (or without) an injected wallet. */
  async function walletPage(wallet: InjectedWallet | null, options: BrowserContextOptions = {}) {
    const page = await suite.newPage(options);
    if (wallet) await injectEthereumProvider(page, wallet);
    return page;
  }

  /** An account made in the database, signed in through the form, landing on `redirectTo`. */
  async function signIn(page: Page, redirectTo = "/wallet", options: { hasJs?: boolean } = {}) {
    const { user, password } = await createUser(suite.server.db);
    await signInWithPassword(page, { email: user.email, password }, redirectTo, options);
    return { ...user, password };
  }

  async function signInWithPassword(
    page: Page,
    credentials: { email: string; password: string },
    redirectTo: string,
    options: { hasJs?: boolean } = {},
  ) {
    await page.goto(`${suite.server.url}/signin?${new URLSearchParams({ redirectTo })}`);
    if (options.hasJs ?? true) await waitForHydration(page);
    await page.getByLabel("Email", { exact: true }).fill(credentials.email);
    await page.getByLabel("Password", { exact: true }).fill(credentials.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((url) => url.pathname === redirectTo);
  }

  function section(page: Page) {
    return page.getByRole("region", { name: "Linked wallet" });
  }

  it("links a wallet on the wallet page, signs out, signs in with Ethereum, then unlinks", async () => {
    const wallet = newWallet("e2e-journey", 31337);
    const address = wallet.account.address;
    const page = await walletPage(wallet);
    const problems = collectProblems(page);
    const user = await signIn(page);
    await waitForHydration(page);

    await section(page).getByText("No wallet linked yet.").waitFor();
    await screenshot(page, "desktop-not-linked");
    await section(page).getByRole("button", { name: "Connect wallet" }).click();
    await section(page)
      .getByRole("status")
      .getByText(`Linked ${short(address)}.`)
      .waitFor();
    await section(page).getByTestId("linked-address").getByText(short(address)).waitFor();
    expect(await section(page).getByTestId("linked-address-full").innerText()).toBe(address);
    await section(page).getByRole("button", { name: "Copy" }).click();
    // Copied, or (where the clipboard is off limits) selected for the user to copy.
    await section(page)
      .getByText(/^(Copied\.|Selected: press Ctrl\+C)/)
      .waitFor();
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, "desktop-linked");

    // What the wallet was asked to sign: this site, in words, with the wallet's own chain.
    const host = new URL(suite.server.url).host;
    expect(wallet.signedMessages).toHaveLength(1);
    const signed = wallet.signedMessages[0]!;
    expect(signed).toContain(
      `${host} wants you to sign in with your Ethereum account:\n${address}`,
    );
    expect(signed).toContain("Link this Ethereum address to my Tributary account");
    expect(signed).toContain(`URI: ${suite.server.url}\n`);
    expect(signed).toContain("Chain ID: 31337\n");
    expect(signed).toMatch(/Expiration Time: \S+/);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("link", { name: "Sign in" }).waitFor();

    // Back to the wallet page: sign-in first, with Ethereum this time, and it returns there.
    await page.goto(`${suite.server.url}/wallet`);
    await page.waitForURL((url) => url.pathname === "/signin");
    await waitForHydration(page);
    await screenshot(page, "desktop-signin-with-wallet");
    await page.getByRole("button", { name: "Sign in with Ethereum" }).click();
    await page.waitForURL((url) => url.pathname === "/wallet");
    await page.getByRole("link", { name: `@${user.handle}` }).waitFor();
    await waitForHydration(page);
    expect(wallet.signedMessages[1]).toContain("Sign in to Tributary with this Ethereum address.");

    await section(page).getByRole("button", { name: "Unlink wallet" }).click();
    await section(page).getByText("No wallet linked yet.").waitFor();
    await section(page).getByText("Earlier addresses (1)").click();
    await section(page).getByText(address, { exact: true }).waitFor();
    await screenshot(page, "desktop-unlinked");
    expect(problems).toEqual([]);

    // Unlinked: the address no longer signs anyone in.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("link", { name: "Sign in" }).waitFor();
    await page.goto(`${suite.server.url}/signin`);
    await waitForHydration(page);
    await page.getByRole("button", { name: "Sign in with Ethereum" }).click();
    await page
      .getByRole("status")
      .getByText("No Tributary account is linked to that address.", { exact: false })
      .waitFor();
    expect(page.url()).toContain("/signin");
    await screenshot(page, "desktop-signin-refused");
  });

  it("says what went wrong: a declined signature, and an address linked to someone else", async () => {
    const wallet = newWallet("e2e-contested");
    const first = await walletPage(wallet);
    await signIn(first);
    await waitForHydration(first);
    wallet.rejectNextSignature = true;
    await section(first).getByRole("button", { name: "Connect wallet" }).click();
    await section(first)
      .getByRole("status")
      .getByText("You declined the request in your wallet, so nothing changed.")
      .waitFor();
    await section(first).getByRole("button", { name: "Connect wallet" }).click();
    await section(first)
      .getByRole("status")
      .getByText(/^Linked 0x/)
      .waitFor();

    const second = await walletPage(wallet);
    await signIn(second);
    await waitForHydration(second);
    await section(second).getByRole("button", { name: "Connect wallet" }).click();
    await section(second)
      .getByRole("status")
      .getByText("That address is already linked to another Tributary account.")
      .waitFor();
    expect(await section(second).getByText("No wallet linked yet.").count()).toBe(1);
    await screenshot(second, "desktop-address-taken");
  });

  it("says plainly when there is no browser wallet, and offers no Ethereum sign-in", async () => {
    const page = await walletPage(null);
    await signIn(page);
    await waitForHydration(page);
    const notice = section(page).getByTestId("no-browser-wallet");
    await notice.waitFor();
    expect(await notice.innerText()).toContain("No browser wallet found.");
    expect(await notice.getByRole("link", { name: "What is a wallet?" }).getAttribute("href")).toBe(
      "https://ethereum.org/en/wallets/",
    );
    expect(await section(page).getByRole("button", { name: "Connect wallet" }).count()).toBe(0);
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, "desktop-no-wallet");

    const signedOut = await walletPage(null);
    await signedOut.goto(`${suite.server.url}/signin`);
    await waitForHydration(signedOut);
    expect(await signedOut.getByRole("button", { name: "Sign in with Ethereum" }).count()).toBe(0);
  });

  it("unlinks without JavaScript", async () => {
    const wallet = newWallet("e2e-no-js");
    const page = await walletPage(wallet);
    const user = await signIn(page);
    await waitForHydration(page);
    await section(page).getByRole("button", { name: "Connect wallet" }).click();
    await section(page)
      .getByRole("status")
      .getByText(/^Linked 0x/)
      .waitFor();

    const noJs = await walletPage(null, { javaScriptEnabled: false });
    await signInWithPassword(noJs, user, "/wallet", { hasJs: false });
    expect(await noJs.evaluate(() => "__remixRouter" in window)).toBe(false);
    await section(noJs).getByTestId("linked-address").waitFor();
    await section(noJs).getByText("Linking a wallet needs JavaScript", { exact: false }).waitFor();
    await screenshot(noJs, "desktop-no-js-linked");
    await section(noJs).getByRole("button", { name: "Unlink wallet" }).click();
    await noJs.waitForURL((url) => url.pathname === "/wallet");
    await section(noJs).getByText("No wallet linked yet.").waitFor();
  });

  it("fits a phone screen and passes axe, linked and on the sign-in page", async () => {
    const wallet = newWallet("e2e-phone");
    const page = await walletPage(wallet, {
      viewport: phoneViewport,
      isMobile: true,
      hasTouch: true,
    });
    await signIn(page);
    await waitForHydration(page);
    await expectNoHorizontalScroll(page);
    await section(page).getByRole("button", { name: "Connect wallet" }).tap();
    await section(page)
      .getByRole("status")
      .getByText(/^Linked 0x/)
      .waitFor();
    await section(page).scrollIntoViewIfNeeded();
    await expectNoHorizontalScroll(page);
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, "phone-linked");

    const signedOut = await walletPage(wallet, {
      viewport: phoneViewport,
      isMobile: true,
      hasTouch: true,
    });
    await signedOut.goto(`${suite.server.url}/signin`);
    await waitForHydration(signedOut);
    await signedOut.getByRole("button", { name: "Sign in with Ethereum" }).waitFor();
    await expectNoHorizontalScroll(signedOut);
    await expectNoSeriousAxeViolations(signedOut);
    await screenshot(signedOut, "phone-signin");
  });
});
