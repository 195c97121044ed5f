import type { Page } from "playwright-core";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { anvilPrivateKeys } from "#chain/anvil-accounts.ts";
import { createChainClients } from "#chain/clients.ts";
import type { SettlementChain } from "#chain/settlement-chain.ts";
import type { UserId } from "#core/auth/ids.ts";
import { listActiveWalletLinks } from "#core/wallet/wallet-link.service.ts";
import { runSettlementEpoch } from "#core/settlement/settlement-epoch.ts";
import { insertLink } from "#core/wallet/wallet-link.repository.ts";
import { startTestChain, type TestChain } from "#tests/support/anvil.ts";
import { browserSuite, browserSuiteCanRun } from "#tests/support/browser.ts";
import { injectEthereumProvider, type InjectedWallet } from "#tests/support/ethereum-provider.ts";
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
const MICRO = 10n ** 18n;

describe.skipIf(!browserSuiteCanRun())(
  "claiming settled MICRO in a real browser (Chromium)",
  () => {
    let testChain: TestChain;
    let chain: SettlementChain;
    const suite = browserSuite(desktop, {
      startServer: async () => {
        testChain = await startTestChain();
        chain = await freshSettlementChain(testChain);
        return startTestServer(
          "pglite",
          {},
          {
            chain: { chain, rpcUrl: testChain.rpcUrl, stop: () => testChain.close() },
          },
        );
      },
    });

    /** A user in the database with `devIndex`'s anvil account linked and `amount` available. */
    async function settledUser(devIndex: number, amount: bigint) {
      const { user, password } = await createUser(suite.server.db);
      const account = privateKeyToAccount(anvilPrivateKeys[devIndex]!);
      await insertLink(suite.server.db, {
        userId: user.id,
        address: account.address,
        chainId: testChain.chainId,
        message: "linked by the settlement browser suite",
        signature: "0x",
        now: new Date(),
      });
      await creditAvailable(suite.server.db, user.id as UserId, amount, `e2e:${user.id}`);
      const run = await runSettlementEpoch({
        db: suite.server.db,
        chain,
        linkedWallets: listActiveWalletLinks,
      });
      expect(run.kind).toBe("final");
      return { user, password, account };
    }

    async function signIn(page: Page, email: string, password: string, hasJs = true) {
      await page.goto(`${suite.server.url}/signin?redirectTo=/wallet`);
      if (hasJs) await waitForHydration(page);
      await page.getByLabel("Email", { exact: true }).fill(email);
      await page.getByLabel("Password", { exact: true }).fill(password);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.waitForURL((url) => url.pathname === "/wallet");
    }

    const onChain = (page: Page) => page.getByRole("region", { name: "On chain" });

    it("claims with the user's own browser wallet, and the page then shows it claimed", async () => {
      const { user, password, account } = await settledUser(8, 2n * MICRO + 5n);
      const walletClients = await createChainClients({
        rpcUrl: testChain.rpcUrl,
        privateKey: anvilPrivateKeys[8]!,
      });
      const wallet: InjectedWallet = {
        account,
        chainId: 1,
        signedMessages: [],
        rejectNextSignature: false,
        sendTransaction: (tx) =>
          walletClients.walletClient.sendTransaction({
            to: tx.to as `0x${string}`,
            data: tx.data,
          }),
      };
      const page = await suite.newPage();
      await injectEthereumProvider(page, wallet);
      await signIn(page, user.email, password);
      await waitForHydration(page);

      await onChain(page)
        .getByTestId("settlement-claimable")
        .locator(`data[value="${2n * MICRO + 5n}"]`)
        .waitFor();
      await onChain(page).getByTestId("settlement-payouts").getByText("Epoch").first().waitFor();
      await expectNoSeriousAxeViolations(page);
      await saveScreenshot(page, "settlement-desktop-claimable");

      const before = await chain.tokenBalance(account.address);
      await onChain(page).getByRole("button", { name: "Claim with my wallet" }).click();
      await onChain(page)
        .getByTestId("claim-notice")
        .getByText("Claims brought up to date.")
        .waitFor();
      // The wallet was moved to the settlement chain before it sent the claim.
      expect(wallet.chainId).toBe(testChain.chainId);
      expect((await chain.tokenBalance(account.address)) - before).toBe(2n * MICRO + 5n);
      await onChain(page)
        .getByTestId("settlement-claimed")
        .locator(`data[value="${2n * MICRO + 5n}"]`)
        .waitFor();
      await onChain(page).getByTestId("settlement-claimable").locator('data[value="0"]').waitFor();
      await saveScreenshot(page, "settlement-desktop-claimed");
    });

    it("asks Tributary to send the claim, without JavaScript, on a phone", async () => {
      const { user, password, account } = await settledUser(9, 7n);
      const page = await suite.newPage({ javaScriptEnabled: false, viewport: phoneViewport });
      await signIn(page, user.email, password, false);
      await onChain(page).getByTestId("settlement-claimable").locator('data[value="7"]').waitFor();
      await expectNoHorizontalScroll(page);
      await saveScreenshot(page, "settlement-phone-claimable");

      const before = await chain.tokenBalance(account.address);
      await onChain(page)
        .getByRole("button", { name: "Claim for me (Tributary pays the gas)" })
        .click();
      await page.waitForURL((url) => url.searchParams.get("claim") === "sent");
      await onChain(page)
        .getByTestId("claim-notice")
        .getByText(/^Claim sent in transaction 0x/)
        .waitFor();
      const tx = new URL(page.url()).searchParams.get("tx") as `0x${string}`;
      const receipt = await testChain.deployer.publicClient.waitForTransactionReceipt({ hash: tx });
      expect(receipt.status).toBe("success");
      expect((await chain.tokenBalance(account.address)) - before).toBe(7n);
      await expectNoHorizontalScroll(page);
      await saveScreenshot(page, "settlement-phone-sent");
    });
  },
);
