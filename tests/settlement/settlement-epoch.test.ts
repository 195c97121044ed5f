import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rewardsDistributorAbi } from "#shared/abi/rewards-distributor.ts";
import { createSettlementChain, type SettlementChain } from "#chain/settlement-chain.ts";
import { runSettlementEpoch, type LinkedWallet } from "#core/settlement/settlement-epoch.ts";
import {
  getClaimProof,
  getUserSettlement,
  indexClaims,
  relayClaim,
  verifySettlementOnChain,
} from "#core/settlement/settlement.service.ts";
import { getWalletSummary } from "#core/wallet/wallet.service.ts";
import { startTestChain, type TestChain } from "#tests/support/anvil.ts";
import { createUser } from "#tests/support/factories.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";
import {
  createChainClients,
  creditAvailable,
  devWallet,
  fixedLinks,
  freshSettlementChain,
} from "./settlement-support.ts";

const MICRO = 10n ** 18n;
let testChain: TestChain;

beforeAll(async () => {
  testChain = await startTestChain();
});
afterAll(async () => {
  await testChain?.close();
});

describe.each(testBackends())("settlement epochs on %s", (backend) => {
  let testDb: TestDb;
  let chain: SettlementChain;
  let links: LinkedWallet[];
  let ada: string;
  let grace: string;
  let unlinked: string;
  const adaWallet = devWallet(1);
  const graceWallet = devWallet(2);

  beforeAll(async () => {
    testDb = await openTestDb(backend);
    chain = await freshSettlementChain(testChain);
    ada = (await createUser(testDb.db)).user.id;
    grace = (await createUser(testDb.db)).user.id;
    unlinked = (await createUser(testDb.db)).user.id;
    links = [
      { userId: ada, address: adaWallet.address },
      { userId: grace, address: graceWallet.address },
    ];
  });
  afterAll(async () => {
    await testDb?.close();
  });

  const run = () => runSettlementEpoch({ db: testDb.db, chain, linkedWallets: fixedLinks(links) });

  it("does nothing, on chain or in the ledger, when no linked user has anything available", async () => {
    expect(await run()).toEqual({ kind: "nothing-to-settle" });
    expect((await chain.readState()).epoch).toBe(0);
  });

  it("moves each linked user's available balance to settled and mints exactly that to the distributor", async () => {
    await creditAvailable(testDb.db, ada as never, 3n * MICRO + 7n, `t:${backend}:ada:1`);
    await creditAvailable(testDb.db, grace as never, 5n, `t:${backend}:grace:1`);
    await creditAvailable(testDb.db, unlinked as never, 11n, `t:${backend}:unlinked:1`);

    const outcome = await run();
    expect(outcome.kind).toBe("final");
    if (outcome.kind !== "final") return;
    expect(outcome.epoch).toMatchObject({
      epoch: 1,
      minted: 3n * MICRO + 12n,
      cumulativeTotal: 3n * MICRO + 12n,
      payoutCount: 2,
      leafCount: 2,
    });

    const adaWalletSummary = await getWalletSummary(testDb.db, ada as never);
    expect(adaWalletSummary.available).toBe(0n);
    expect(adaWalletSummary.settled).toBe(3n * MICRO + 7n);
    // A user without a linked wallet keeps their balance in the ledger.
    expect((await getWalletSummary(testDb.db, unlinked as never)).available).toBe(11n);

    const state = await chain.readState();
    expect(state).toMatchObject({ epoch: 1, root: outcome.epoch.root });
    expect(state.totalCumulative).toBe(3n * MICRO + 12n);
    expect(await chain.tokenBalance(chain.distributor)).toBe(3n * MICRO + 12n);
  });

  it("serves a proof the user's own wallet can claim with, and a claim is seen as claimed", async () => {
    const proof = await getClaimProof(testDb.db, adaWallet.address);
    expect(proof).toMatchObject({ epoch: 1, cumulative: 3n * MICRO + 7n });

    const wallet = await createChainClients({
      rpcUrl: testChain.rpcUrl,
      privateKey: adaWallet.privateKey,
    });
    const before = await chain.tokenBalance(adaWallet.address);
    const hash = await wallet.walletClient.writeContract({
      address: chain.distributor,
      abi: rewardsDistributorAbi,
      functionName: "claim",
      args: [adaWallet.address, proof!.cumulative, proof!.proof],
    });
    const receipt = await wallet.publicClient.waitForTransactionReceipt({ hash });
    expect(receipt.status).toBe("success");
    expect((await chain.tokenBalance(adaWallet.address)) - before).toBe(3n * MICRO + 7n);

    expect(await indexClaims(testDb.db, chain)).toBe(1);
    const view = await getUserSettlement(testDb.db, ada);
    expect(view.addresses).toEqual([
      {
        address: adaWallet.address,
        onChain: 3n * MICRO + 7n,
        claimed: 3n * MICRO + 7n,
        claimable: 0n,
        inFlight: 0n,
      },
    ]);
    expect(view.payouts[0]).toMatchObject({ epoch: 1, status: "final", amount: 3n * MICRO + 7n });
    expect(view.payouts[0]!.txHash).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it("settles cumulatively: the next epoch mints only what is new and a claim pays the difference", async () => {
    await creditAvailable(testDb.db, ada as never, 2n * MICRO, `t:${backend}:ada:2`);
    const outcome = await run();
    expect(outcome.kind).toBe("final");
    if (outcome.kind !== "final") return;
    expect(outcome.epoch).toMatchObject({
      epoch: 2,
      minted: 2n * MICRO,
      cumulativeTotal: 5n * MICRO + 12n,
      payoutCount: 1,
      leafCount: 2,
    });
    const proof = await getClaimProof(testDb.db, adaWallet.address);
    expect(proof).toMatchObject({ epoch: 2, cumulative: 5n * MICRO + 7n });
    // Grace never claimed epoch 1: her leaf still carries her whole cumulative amount.
    expect(await getClaimProof(testDb.db, graceWallet.address)).toMatchObject({
      epoch: 2,
      cumulative: 5n,
    });
    const view = await getUserSettlement(testDb.db, ada);
    expect(view.totalClaimable).toBe(2n * MICRO);
  });

  it("relays a claim with the platform's gas, once per claim however often it is asked", async () => {
    const before = await chain.tokenBalance(graceWallet.address);
    const first = await relayClaim(testDb.db, chain, grace, graceWallet.address.toLowerCase());
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.value).toMatchObject({ cumulative: 5n, isReplay: false });
    const again = await relayClaim(testDb.db, chain, grace, graceWallet.address);
    // Asked again before or after it mined: the same transaction, or nothing left to claim.
    if (again.ok) expect(again.value).toMatchObject({ txHash: first.value.txHash, isReplay: true });
    else expect(again.error.kind).toBe("nothing_to_claim");

    const receipt = await testChain.deployer.publicClient.waitForTransactionReceipt({
      hash: first.value.txHash,
    });
    expect(receipt.status).toBe("success");
    expect((await chain.tokenBalance(graceWallet.address)) - before).toBe(5n);
    const afterMined = await relayClaim(testDb.db, chain, grace, graceWallet.address);
    expect(afterMined).toMatchObject({ ok: false, error: { kind: "nothing_to_claim" } });
  });

  it("refuses to relay for an address that is not the user's, or is not an address", async () => {
    expect(await relayClaim(testDb.db, chain, grace, adaWallet.address)).toMatchObject({
      ok: false,
      error: { kind: "not_your_address" },
    });
    expect(await relayClaim(testDb.db, chain, grace, "0x1234")).toMatchObject({
      ok: false,
      error: { kind: "invalid_address" },
    });
  });

  it("checks the chain against the ledger: totals agree, and a different distributor does not", async () => {
    await indexClaims(testDb.db, chain);
    const checks = await verifySettlementOnChain(testDb.db, chain);
    expect(checks.map((c) => [c.name, c.ok])).toEqual([
      ["settled total matches the distributor", true],
      ["distributor balance plus claims equals what it received", true],
      ["no address claimed more than it was settled", true],
    ]);
    const elsewhere = await freshSettlementChain(testChain);
    const wrong = await verifySettlementOnChain(testDb.db, elsewhere);
    expect(wrong[0]).toMatchObject({ ok: false });
    expect(wrong[0]!.message).toContain("distributor received 0");
  });

  it("settles an epoch once when two instances run it at the same moment", async () => {
    await creditAvailable(testDb.db, grace as never, 9n, `t:${backend}:grace:race`);
    // A second instance: its own clients and transaction queue, the same key and contracts.
    const otherInstance = createSettlementChain(
      testChain.deployer,
      {
        distributor: chain.distributor,
        microToken: chain.microToken,
      },
      { confirmations: 1 },
    );
    const runs = await Promise.all([
      run(),
      runSettlementEpoch({ db: testDb.db, chain: otherInstance, linkedWallets: fixedLinks(links) }),
    ]);
    const settled = runs.filter((r) => r.kind === "final");
    expect(settled.length).toBeGreaterThanOrEqual(1);
    expect(new Set(settled.map((r) => r.kind === "final" && r.epoch.epoch))).toEqual(new Set([3]));
    const state = await chain.readState();
    expect(state.epoch).toBe(3);
    expect(state.totalCumulative).toBe(5n * MICRO + 21n);
    expect(await chain.tokenBalance(chain.distributor)).toBe(
      state.totalCumulative - (3n * MICRO + 7n) - 5n,
    );
  });

  it("refuses to prepare an epoch when the distributor is not at the ledger's last epoch", async () => {
    await creditAvailable(testDb.db, ada as never, 1n, `t:${backend}:ada:3`);
    const elsewhere = await freshSettlementChain(testChain);
    await expect(
      runSettlementEpoch({ db: testDb.db, chain: elsewhere, linkedWallets: fixedLinks(links) }),
    ).rejects.toThrow(/distributor is at epoch 0 but the ledger's last epoch is 3/);
    expect((await getWalletSummary(testDb.db, ada as never)).available).toBe(1n);
  });
});
