import { randomBytes } from "node:crypto";
import type { Page } from "playwright-core";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, describe, expect, it } from "vitest";
import type { SettlementChain } from "#chain/settlement-chain.ts";
import type { UserId } from "#core/auth/ids.ts";
import { streamOf, type RewardStream } from "#core/rewards/reward-streams.ts";
import { runSettlementEpoch } from "#core/settlement/settlement-epoch.ts";
import { getUserSettlement } from "#core/settlement/settlement.service.ts";
import { listActiveWalletLinks } from "#core/wallet/wallet-link.service.ts";
import { getWalletSummary } from "#core/wallet/wallet.service.ts";
import { startTestChain, type TestChain } from "#tests/support/anvil.ts";
import { browserSuite, browserSuiteCanRun } from "#tests/support/browser.ts";
import {
  expectNoHorizontalScroll,
  expectNoSeriousAxeViolations,
  phoneViewport,
  saveScreenshot,
  waitForHydration,
} from "#tests/support/page-checks.ts";
import { linkIn, startSmtpInbox, type SmtpInbox } from "#tests/support/smtp-inbox.ts";
import { startTestServer } from "#tests/support/test-server.ts";
import { freshSettlementChain } from "#tests/settlement/settlement-support.ts";

const desktop = { width: 1280, height: 900 };
const COOLING_OFF_SECONDS = 2;

/**
 * A newcomer's whole first day, as one person in one browser: sign up and confirm the
 * address from the mail, read how earning works, earn from three streams (a post, a
 * check-in, a game), watch the home and the wallet say so, and settle to an address pasted
 * without any browser wallet once its cooling-off is over.
 */
describe.skipIf(!browserSuiteCanRun())(
  "a newcomer's first day in a real browser (Chromium)",
  { timeout: 240_000 },
  () => {
    let inbox: SmtpInbox | undefined;
    let testChain: TestChain;
    let chain: SettlementChain;
    const suite = browserSuite(desktop, {
      startServer: async () => {
        inbox = await startSmtpInbox();
        testChain = await startTestChain();
        chain = await freshSettlementChain(testChain);
        return startTestServer(
          "pglite",
          { SMTP_URL: inbox.url, PAYOUT_ADDRESS_COOLING_OFF_SECONDS: String(COOLING_OFF_SECONDS) },
          { chain: { chain, rpcUrl: testChain.rpcUrl, stop: () => testChain.close() } },
        );
      },
    });
    afterAll(async () => {
      await inbox?.close();
    });
    const url = (path: string) => `${suite.server.url}${path}`;

    /** Units earned today per stream, as the rewards table has them (held or paid). */
    async function earnedByStream(userId: string): Promise<Record<RewardStream, bigint>> {
      const rows = await suite.server.db
        .selectFrom("rewards")
        .select(["action_kind", "amount", "status"])
        .where("user_id", "=", userId)
        .where("status", "in", ["held", "available"])
        .execute();
      const totals: Record<RewardStream, bigint> = { social: 0n, games: 0n, daily: 0n, bonus: 0n };
      for (const row of rows) totals[streamOf(row.action_kind)] += BigInt(row.amount);
      return totals;
    }

    /** The exact units a stream's row of the home's screen-reader table shows for today. */
    async function homeTodayFor(page: Page, label: string): Promise<string | null> {
      return page
        .getByTestId("earnings-by-stream-table")
        .getByRole("row", { name: new RegExp(`^${label}\\b`) })
        .locator("td")
        .first()
        .locator("data")
        .getAttribute("value");
    }

    it("signs up, reads how earning works, earns from three streams, sees home and wallet follow, and settles to a pasted address", async () => {
      const id = randomBytes(4).toString("hex");
      const person = {
        email: `newcomer.${id}@example.com`,
        handle: `new_${id}`,
        displayName: `Newcomer ${id}`,
        password: `Slow-river-${randomBytes(4).toString("hex")}`,
      };
      const page = await suite.newPage();
      const problems: string[] = [];
      page.on("pageerror", (error) => problems.push(error.message));

      // Sign up, then confirm the address through the mailed link: signed in.
      await page.goto(url("/signup"));
      await waitForHydration(page);
      await page.getByLabel("Email", { exact: true }).fill(person.email);
      await page.getByLabel("Handle", { exact: true }).fill(person.handle);
      await page.getByLabel("Display name (optional)").fill(person.displayName);
      await page.getByLabel("Password", { exact: true }).fill(person.password);
      await page.getByRole("button", { name: "Sign up" }).click();
      await page.getByRole("status").getByText(`Check your inbox at ${person.email}`).waitFor();
      const link = linkIn(await inbox!.nextMessageTo(person.email), "/verify-email");
      await page.goto(link.href);
      await waitForHydration(page);
      await page.getByRole("button", { name: "Confirm my email" }).click();
      await page.getByRole("link", { name: "Go to your home page" }).click();
      await page.waitForURL((u) => u.pathname === "/");
      await page
        .getByRole("heading", { level: 1, name: `Welcome, ${person.displayName}` })
        .waitFor();
      const user = await suite.server.db
        .selectFrom("users")
        .select("id")
        .where("handle", "=", person.handle)
        .executeTakeFirstOrThrow();
      await saveScreenshot(page, "first-day-home-new");

      // How earning works, from the home page: every stream that pays, with amounts.
      await page.getByRole("main").getByRole("link", { name: "How earning works" }).first().click();
      await page.waitForURL((u) => u.pathname === "/earning");
      await page.getByRole("heading", { level: 1, name: "How earning works" }).waitFor();
      for (const stream of ["Social", "Games", "Daily habits"]) {
        await page.getByRole("heading", { level: 2, name: new RegExp(`^${stream}`) }).waitFor();
      }
      await expectNoSeriousAxeViolations(page);

      // Stream one, daily habits: the check-in (the first thing the home suggests; before
      // activation it is the one reward paid at once), whose button then goes away.
      await page.goto(url("/wallet"));
      await waitForHydration(page);
      await page.getByRole("button", { name: "Check in for today" }).click();
      await expect
        .poll(() => page.getByRole("button", { name: "Check in for today" }).count())
        .toBe(0);

      // Stream two, social: a post.
      await page.goto(url("/feed"));
      await waitForHydration(page);
      await page.getByLabel("Write a post").fill(`My first day on Tributary ${id}`);
      await page.getByRole("button", { name: "Post", exact: true }).click();
      await page.waitForURL((u) => u.pathname === "/feed" && u.searchParams.has("tab"));

      // Stream three, games: one River Run to its end, verified by the server.
      await page.goto(url("/games/river-run"));
      await waitForHydration(page);
      await page.waitForFunction(
        () => performance.getEntriesByName("game-interactive").length > 0,
        null,
        { timeout: 30_000 },
      );
      await page.getByTestId("game-frame").focus();
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => window.__tributaryGame?.phase === "results", null, {
        timeout: 60_000,
      });
      await expect
        .poll(() => page.getByTestId("game-status").innerText(), { timeout: 30_000 })
        .toMatch(/^Verified score: [\d,]+/);

      // The home shows today's earnings by stream: exactly what the rewards hold.
      const earned = await earnedByStream(user.id);
      expect(earned.social).toBeGreaterThan(0n);
      expect(earned.daily).toBeGreaterThan(0n);
      expect(earned.games).toBeGreaterThan(0n);
      await page.goto(url("/"));
      await waitForHydration(page);
      expect(await homeTodayFor(page, "Social")).toBe(earned.social.toString());
      expect(await homeTodayFor(page, "Daily habits")).toBe(earned.daily.toString());
      expect(await homeTodayFor(page, "Games")).toBe(earned.games.toString());
      const recurring = earned.social + earned.daily + earned.games;
      await page
        .getByTestId("pace-today")
        .locator(`data[value="${recurring + earned.bonus}"]`)
        .waitFor();
      await page
        .getByTestId("pace-year")
        .locator(`data[value="${(recurring * 365n) / 7n}"]`)
        .waitFor();
      await expectNoSeriousAxeViolations(page);
      await saveScreenshot(page, "first-day-home-earned");

      // The wallet reads at a glance: the same pace first, and what is available to settle.
      await page.goto(url("/wallet"));
      await waitForHydration(page);
      await page
        .getByTestId("earning-pace")
        .getByTestId("pace-today")
        .locator(`data[value="${recurring + earned.bonus}"]`)
        .waitFor();
      const available = (await getWalletSummary(suite.server.db, user.id as UserId)).available;
      expect(available).toBeGreaterThan(0n);
      await page.getByTestId("total-available").locator(`data[value="${available}"]`).waitFor();

      // No browser wallet: paste an address, confirmed with the password.
      const payee = privateKeyToAccount(generatePrivateKey());
      const linked = page.getByRole("region", { name: "Linked wallet" });
      const form = linked.getByRole("form", { name: "No browser wallet? Paste an address" });
      await form.getByLabel("Ethereum address").fill(payee.address);
      await form.getByLabel("Current password").fill(person.password);
      await form.getByRole("button", { name: "Use this address" }).click();
      await linked.getByTestId("payout-address-pending").waitFor();
      const notice = await inbox!.nextMessageTo(person.email);
      expect(notice.text).toContain(payee.address);
      await saveScreenshot(page, "first-day-wallet-pending");

      // Settlement pays nothing to the address until its cooling-off is over, then all of it.
      await runSettlementEpoch({
        db: suite.server.db,
        chain,
        linkedWallets: listActiveWalletLinks,
      });
      await expect
        .poll(
          async () => {
            await runSettlementEpoch({
              db: suite.server.db,
              chain,
              linkedWallets: listActiveWalletLinks,
            });
            const settlement = await getUserSettlement(suite.server.db, user.id as UserId);
            return settlement.addresses.map((a) => [a.address, a.onChain]);
          },
          { timeout: 30_000, interval: 500 },
        )
        .toEqual([[payee.address, available]]);

      // Claimed without any wallet: Tributary sends it, and the address holds the MICRO.
      await page.reload();
      await waitForHydration(page);
      const onChain = page.getByRole("region", { name: "On chain" });
      await onChain.getByRole("button", { name: "Claim for me (Tributary pays the gas)" }).click();
      await page.waitForURL((u) => u.searchParams.get("claim") === "sent");
      const tx = new URL(page.url()).searchParams.get("tx") as `0x${string}`;
      const receipt = await testChain.deployer.publicClient.waitForTransactionReceipt({ hash: tx });
      expect(receipt.status).toBe("success");
      expect(await chain.tokenBalance(payee.address)).toBe(available);
      await saveScreenshot(page, "first-day-wallet-claimed");
      await page.setViewportSize(phoneViewport);
      await expectNoHorizontalScroll(page);
      await expectNoSeriousAxeViolations(page);
      await saveScreenshot(page, "first-day-wallet-claimed-phone");
      expect(problems).toEqual([]);
    });
  },
);
