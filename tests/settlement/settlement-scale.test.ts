import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { getAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SettlementChain } from "#chain/settlement-chain.ts";
import {
  accountCodes,
  ensureAccounts,
  mintAccount,
  userWalletAccount,
} from "#core/ledger/accounts.repository.ts";
import { recordTransfers } from "#core/ledger/transfers.service.ts";
import { verifyLedger } from "#core/ledger/verify-ledger.ts";
import { runSettlementEpoch, type LinkedWallet } from "#core/settlement/settlement-epoch.ts";
import { getClaimProof, verifySettlementOnChain } from "#core/settlement/settlement.service.ts";
import { startTestChain, type TestChain } from "#tests/support/anvil.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";
import { fixedLinks, freshSettlementChain } from "./settlement-support.ts";

const randomAddress = () =>
  getAddress(`0x${randomUUID().replaceAll("-", "")}${randomUUID().slice(0, 8)}`);

/** `count` users created in one statement, each with an available balance of 1000 + i. */
async function usersWithBalances(db: TestDb["db"], count: number, tag: string) {
  const ids = Array.from({ length: count }, () => randomUUID());
  await sql`
    insert into users (id, handle, email, display_name, password_hash)
    select id, ${tag} || '_' || n, ${tag} || '_' || n || '@example.com', 'Scale ' || n, 'x'
    from unnest(${sql.val(ids)}::uuid[]) with ordinality as u(id, n)`.execute(db);
  await db.transaction().execute(async (trx) => {
    const accounts = await ensureAccounts(trx, [mintAccount]);
    for (let first = 0; first < count; first += 2_000) {
      const batch = ids.slice(first, first + 2_000);
      const wallets = await ensureAccounts(trx, batch.map(userWalletAccount));
      await recordTransfers(
        trx,
        batch.map((id, k) => ({
          phase: "single" as const,
          key: `scale:${tag}:${id}`,
          debitAccountId: accounts.get(accountCodes.mint)!,
          creditAccountId: wallets.get(accountCodes.userWallet(id))!,
          amount: 1000n + BigInt(first + k),
          kind: "test_credit",
        })),
      );
    }
  });
  return ids;
}

let testChain: TestChain;
beforeAll(async () => {
  testChain = await startTestChain();
});
afterAll(async () => {
  await testChain?.close();
});

describe.each(testBackends())("settlement epochs at scale on %s", (backend) => {
  let testDb: TestDb;
  let chain: SettlementChain;
  beforeAll(async () => {
    testDb = await openTestDb(backend);
    chain = await freshSettlementChain(testChain);
  });
  afterAll(async () => {
    await testDb?.close();
  });

  it("settles the few linked users with something available among 30,000 idle links", async () => {
    // More links than one statement could carry as parameters (Postgres allows 65,535).
    const idle: LinkedWallet[] = Array.from({ length: 30_000 }, () => ({
      userId: randomUUID(),
      address: randomAddress(),
    }));
    const earners = await usersWithBalances(testDb.db, 3, `few${backend}`);
    const links = [
      ...idle.slice(0, 15_000),
      ...earners.map((userId) => ({ userId, address: randomAddress() })),
      ...idle.slice(15_000),
    ];
    const outcome = await runSettlementEpoch({
      db: testDb.db,
      chain,
      linkedWallets: fixedLinks(links),
    });
    expect(outcome.kind).toBe("final");
    if (outcome.kind !== "final") return;
    expect(outcome.epoch).toMatchObject({ epoch: 1, payoutCount: 3, leafCount: 3, minted: 3003n });
    // Idle linked users get no ledger accounts just for being linked.
    const accounts = await testDb.db
      .selectFrom("ledger_accounts")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("user_id", "=", idle[0]!.userId)
      .executeTakeFirstOrThrow();
    expect(Number(accounts.n)).toBe(0);
  });

  it("pays 14,000 users in one epoch and serves each a proof", async () => {
    const earners = await usersWithBalances(testDb.db, 14_000, `many${backend}`);
    const links = earners.map((userId) => ({ userId, address: randomAddress() }));
    const outcome = await runSettlementEpoch({
      db: testDb.db,
      chain,
      linkedWallets: fixedLinks(links),
    });
    expect(outcome.kind).toBe("final");
    if (outcome.kind !== "final") return;
    const minted = earners.reduce((sum, _, i) => sum + 1000n + BigInt(i), 0n);
    expect(outcome.epoch).toMatchObject({
      epoch: 2,
      payoutCount: 14_000,
      leafCount: 14_003,
      minted,
      cumulativeTotal: minted + 3003n,
    });
    expect(await getClaimProof(testDb.db, links[13_999]!.address)).toMatchObject({
      epoch: 2,
      cumulative: 1000n + 13_999n,
    });
    expect((await verifyLedger(testDb.db)).ok).toBe(true);
    expect((await verifySettlementOnChain(testDb.db, chain)).every((c) => c.ok)).toBe(true);
  });
});
