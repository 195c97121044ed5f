import { spawn } from "node:child_process";
import path from "node:path";
import { parseAbiItem } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { microTokenAbi } from "#shared/abi/micro-token.ts";
import type { SettlementChain } from "#chain/settlement-chain.ts";
import type { UserId } from "#core/auth/ids.ts";
import { listActiveWalletLinks } from "#core/wallet/wallet-link.service.ts";
import { runSettlementEpoch, type EpochStep } from "#core/settlement/settlement-epoch.ts";
import { verifySettlementOnChain } from "#core/settlement/settlement.service.ts";
import { insertLink } from "#core/wallet/wallet-link.repository.ts";
import { startTestChain, type TestChain } from "#tests/support/anvil.ts";
import { createUser } from "#tests/support/factories.ts";
import { openTestDb, type TestDb } from "#tests/support/test-db.ts";
import { creditAvailable, devWallet, freshSettlementChain } from "./settlement-support.ts";

const childScript = path.resolve("tests/settlement/crash-child.ts");

/** Runs an epoch in a child process that SIGKILLs itself at `step`; resolves with how it ended. */
function runChildUntil(
  step: EpochStep,
  env: Record<string, string>,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", childScript], {
      env: { ...process.env, ...env, CRASH_AT: step },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code, signal, output }));
  });
}

// A crash test needs a database that outlives the process it kills: real Postgres.
describe("a settlement epoch killed between any two steps", () => {
  let testChain: TestChain;
  let testDb: TestDb;
  let chain: SettlementChain;
  let users: UserId[];
  const wallets = [devWallet(3), devWallet(4)];

  beforeAll(async () => {
    if (!process.env.TEST_DATABASE_URL) {
      throw new Error("the crash-safety suite needs TEST_DATABASE_URL (real Postgres); CI sets it");
    }
    testChain = await startTestChain();
    testDb = await openTestDb("postgres");
    chain = await freshSettlementChain(testChain);
    users = [];
    for (const wallet of wallets) {
      const { user } = await createUser(testDb.db);
      users.push(user.id);
      await insertLink(testDb.db, {
        userId: user.id,
        address: wallet.address,
        chainId: testChain.chainId,
        message: "linked by the crash-safety suite",
        signature: "0x",
        now: new Date(),
      });
    }
  });
  afterAll(async () => {
    await testDb?.close();
    await testChain?.close();
  });

  const steps: EpochStep[] = ["prepared", "signed", "broadcast", "confirmed", "final"];

  it.each(steps.map((step, i) => [step, i + 1] as const))(
    "after %s, a restart finishes epoch %i with exactly one mint and the ledger and chain agree",
    async (step, epoch) => {
      await creditAvailable(testDb.db, users[0]!, BigInt(epoch) * 1_000n, `crash:${step}:0`);
      await creditAvailable(testDb.db, users[1]!, 7n, `crash:${step}:1`);

      const crashed = await runChildUntil(step, {
        DATABASE_URL: testDb.url!,
        RPC_URL: testChain.rpcUrl,
        DISTRIBUTOR: chain.distributor,
        MICRO_TOKEN: chain.microToken,
      });
      expect(crashed.signal, crashed.output).toBe("SIGKILL");

      const resumed = await runSettlementEpoch({
        db: testDb.db,
        chain,
        linkedWallets: listActiveWalletLinks,
      });
      // Killed after "final", the epoch was already done: a restart has nothing to do.
      expect(resumed.kind).toBe(step === "final" ? "nothing-to-settle" : "final");

      const state = await chain.readState();
      expect(state.epoch).toBe(epoch);
      const published = await testChain.deployer.publicClient.getLogs({
        address: chain.distributor,
        event: parseAbiItem(
          "event RootPublished(uint64 indexed epoch, bytes32 root, uint256 cumulativeTotal, uint256 minted)",
        ),
        args: { epoch: BigInt(epoch) },
        fromBlock: 0n,
      });
      expect(published).toHaveLength(1);
      const supply = await testChain.deployer.publicClient.readContract({
        address: chain.microToken,
        abi: microTokenAbi,
        functionName: "totalSupply",
      });
      expect(supply).toBe(state.totalCumulative);
      const row = await testDb.db
        .selectFrom("settlement_epochs")
        .select(["status", "minted"])
        .where("epoch", "=", epoch)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: "final", minted: String(BigInt(epoch) * 1_000n + 7n) });
      for (const check of await verifySettlementOnChain(testDb.db, chain)) {
        expect(check.ok, `${check.name}: ${check.message}`).toBe(true);
      }
    },
  );

  it("signs again when the recorded transaction was never sent and another took its nonce", async () => {
    await creditAvailable(testDb.db, users[1]!, 99n, "crash:nonce-taken");
    const crashed = await runChildUntil("signed", {
      DATABASE_URL: testDb.url!,
      RPC_URL: testChain.rpcUrl,
      DISTRIBUTOR: chain.distributor,
      MICRO_TOKEN: chain.microToken,
    });
    expect(crashed.signal, crashed.output).toBe("SIGKILL");
    const recorded = await testDb.db
      .selectFrom("settlement_epochs")
      .select(["epoch", "tx_hash", "tx_nonce"])
      .where("status", "=", "submitted")
      .executeTakeFirstOrThrow();
    // The platform's key sends something else with that nonce before the restart.
    const { walletClient, publicClient, account } = testChain.deployer;
    const other = await walletClient.sendTransaction({
      to: account.address,
      value: 0n,
      nonce: recorded.tx_nonce!,
    });
    await publicClient.waitForTransactionReceipt({ hash: other });

    const resumed = await runSettlementEpoch({
      db: testDb.db,
      chain,
      linkedWallets: listActiveWalletLinks,
      receiptTimeoutMs: 1_000,
    });
    expect(resumed.kind).toBe("final");
    if (resumed.kind !== "final") return;
    expect(resumed.epoch.epoch).toBe(recorded.epoch);
    expect(resumed.epoch.txHash).not.toBe(recorded.tx_hash);
    expect((await chain.readState()).epoch).toBe(recorded.epoch);
    for (const check of await verifySettlementOnChain(testDb.db, chain)) {
      expect(check.ok, `${check.name}: ${check.message}`).toBe(true);
    }
  });
});
