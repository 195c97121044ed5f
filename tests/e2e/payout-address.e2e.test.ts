import type { Page } from "playwright-core";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import type { SettlementChain } from "#chain/settlement-chain.ts";
import type { UserId } from "#core/auth/ids.ts";
import { runSettlementEpoch } from "#core/settlement/settlement-epoch.ts";
import { getUserSettlement } from "#core/settlement/settlement.service.ts";
import { listActiveWalletLinks } from "#core/wallet/wallet-link.service.ts";
import { getWalletSummary } from "#core/wallet/wallet.service.ts";
import { startTestChain, type TestChain } from "#tests/support/anvil.ts";
import { browserSuite, browserSuiteCanRun } from "#tests/support/browser.ts";
import { createUser } from "#tests/support/factories.ts";
import {
  expectNoHorizontalScroll,
  expectNoSeriousAxeViolations,
  phoneViewport,
  saveScreenshot,
  waitForHydration,
} from "#tests/support/page-checks.ts";
import { startTestServer } from "#tests/support/test-server.ts";
import { creditAvailable, freshSettlementChain } from "#tests/settlement/settlement-support.ts";

const desktop = { width: 1280, height: 900 };
const COOLING_OFF_SECONDS = 2;

describe.skipIf(!browserSuiteCanRun())(
  "settling to a pasted address, without a browser wallet (Chromium)",
  () => {
    let testChain: TestChain;
    let chain: SettlementChain;
    const suite = browserSuite(desktop, {
      startServer: async () => {
        testChain = await startTestChain();
        chain = await freshSettlementChain(testChain);
        return startTestServer(
          "pglite",
          { PAYOUT_ADDRESS_COOLING_OFF_SECONDS: String(COOLING_OFF_SECONDS) },
          { chain: { chain, rpcUrl: testChain.rpcUrl, stop: () => testChain.close() } },
        );
      },
    });

    async function signIn(page: Page, email: string, password: string) {
      await page.goto(`${suite.server.url}/signin?redirectTo=/wallet`);
      await waitForHydration(page);
      await page.getByLabel("Email", { exact: true }).fill(email);
      await page.getByLabel("Password", { exact: true }).fill(password);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.waitForURL((url) => url.pathname === "/wallet");
      await waitForHydration(page);
    }

    const linked = (page: Page) => page.getByRole("region", { name: "Linked wallet" });
    const onChain = (page: Page) => page.getByRole("region", { name: "On chain" });

    it("pastes an address with the password, waits out the cooling-off, settles to it and claims through the relay", async () => {
      const { user, password } = await createUser(suite.server.db);
      const amount = 3n * 10n ** 18n + 17n;
      await creditAvailable(suite.server.db, user.id as UserId, amount, `e2e-payout:${user.id}`);
      const payee = privateKeyToAccount(generatePrivateKey());

      const page = await suite.newPage();
      await signIn(page, user.email, password);
      await linked(page).getByTestId("no-browser-wallet").waitFor();
      const form = linked(page).getByRole("form", { name: "No browser wallet? Paste an address" });
      await form.getByLabel("Ethereum address").fill(payee.address.toLowerCase());
      await form.getByLabel("Current password").fill(password);
      await form.getByRole("button", { name: "Use this address" }).click();
      await page.waitForURL((url) => url.searchParams.get("payout") === "added");

      // Shown checksummed, and pending until the cooling-off ends.
      await linked(page).getByTestId("linked-address-full").getByText(payee.address).waitFor();
      const pending = linked(page).getByTestId("payout-address-pending");
      await pending
        .getByText(/receives settlements from \d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC/)
        .waitFor();
      await linked(page).getByRole("button", { name: "Remove address" }).waitFor();
      await expectNoSeriousAxeViolations(page);
      await saveScreenshot(page, "payout-address-desktop-pending");
      await page.setViewportSize(phoneViewport);
      await expectNoHorizontalScroll(page);
      await saveScreenshot(page, "payout-address-phone-pending");
      await page.setViewportSize(desktop);

      // Settlement runs as the scheduler would; once the cooling-off is over it pays the address.
      await expect
        .poll(
          async () => {
            await runSettlementEpoch({
              db: suite.server.db,
              chain,
              linkedWallets: listActiveWalletLinks,
            });
            return (await getUserSettlement(suite.server.db, user.id)).addresses.map((a) => [
              a.address,
              a.onChain,
            ]);
          },
          { timeout: 30_000, interval: 500 },
        )
        .toEqual([[payee.address, amount]]);
      expect((await getWalletSummary(suite.server.db, user.id)).available).toBe(0n);

      await page.reload();
      await waitForHydration(page);
      await linked(page).getByTestId("payout-address-active").waitFor();
      await onChain(page)
        .getByTestId("settlement-claimable")
        .locator(`data[value="${amount}"]`)
        .waitFor();
      await saveScreenshot(page, "payout-address-desktop-settled");

      const before = await chain.tokenBalance(payee.address);
      expect(before).toBe(0n);
      await onChain(page)
        .getByRole("button", { name: "Claim for me (Tributary pays the gas)" })
        .click();
      await page.waitForURL((url) => url.searchParams.get("claim") === "sent");
      const tx = new URL(page.url()).searchParams.get("tx") as `0x${string}`;
      const receipt = await testChain.deployer.publicClient.waitForTransactionReceipt({ hash: tx });
      expect(receipt.status).toBe("success");
      expect(await chain.tokenBalance(payee.address)).toBe(amount);
      await saveScreenshot(page, "payout-address-desktop-claimed");
    });
  },
);
