/**
 * Seeding for bench/settlement.ts: a throwaway Postgres database holding N accounts that
 * were settled in earlier epochs, the chain state that matches them, and the users who
 * earned something this hour. Everything here is set-up, not measured.
 */
import { createHash, randomBytes } from "node:crypto";
import { createKeccak, type IHasher } from "hash-wasm";
import { sql } from "kysely";
import type { Address } from "viem";
import type { SettlementChain } from "#chain/settlement-chain.ts";
import {
  accountCodes,
  ensureAccounts,
  mintAccount,
  userAccounts,
  userWalletAccount,
} from "#core/ledger/accounts.repository.ts";
import { recordTransfers } from "#core/ledger/transfers.service.ts";
import { ensurePlatformDefaults } from "#core/rewards/platform-defaults.ts";
import {
  ensureAccountsInBulk,
  insertEpochTree,
  listAllocations,
} from "#core/settlement/settlement.repository.ts";
import { buildSettlementTree } from "#core/settlement/settlement-tree.ts";
import { createDb, type Db } from "#db/create-db.ts";
import { migrateToLatest } from "#db/migrate.ts";
import { createScratchDatabase } from "#tests/support/scratch-database.ts";

export type BenchDatabase = { db: Db; url: string; drop: () => Promise<void> };

/** A fresh, migrated database on the server at `adminUrl`, dropped by `drop()`. */
export async function openBenchDatabase(adminUrl: string, tag: string): Promise<BenchDatabase> {
  const scratch = await createScratchDatabase(adminUrl, `bench_settlement_${tag}`);
  const db = createDb({ kind: "postgres", url: scratch.url, poolSize: 4 });
  await migrateToLatest(db);
  await ensurePlatformDefaults(db);
  return {
    db,
    url: scratch.url,
    drop: async () => {
      await db.destroy();
      await scratch.drop();
    },
  };
}

/** Deterministic stand-ins for real people: account i has a user id and an address. */
export class Population {
  private readonly addresses: string[] = [];
  private constructor(private readonly hasher: IHasher) {}

  static async create(): Promise<Population> {
    return new Population(await createKeccak(256));
  }

  /** md5('bench-user-' || i)::uuid, as the seeding SQL computes it. */
  userId(i: number): string {
    const hex = createHash("md5").update(`bench-user-${i}`).digest("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  /** Account i's address: random, EIP-55 checksummed as settlement stores it. */
  address(i: number): Address {
    if (i >= this.addresses.length) this.grow(i + 1);
    return this.addresses[i] as Address;
  }

  private grow(count: number): void {
    const n = count - this.addresses.length;
    const raw = randomBytes(20 * n);
    const text = Buffer.alloc(42);
    text.write("0x");
    for (let k = 0; k < n; k++) {
      text.write(raw.toString("hex", 20 * k, 20 * k + 20), 2, "latin1");
      this.hasher.init();
      this.hasher.update(text.subarray(2));
      const hash = this.hasher.digest("binary");
      for (let c = 0; c < 40; c++) {
        const nibble = c % 2 === 0 ? hash[c >> 1]! >> 4 : hash[c >> 1]! & 15;
        if (nibble >= 8 && text[c + 2]! >= 0x61) text[c + 2]! -= 0x20;
      }
      this.addresses.push(text.toString("latin1"));
    }
  }
}

/** A micro-reward-sized amount of base units (18 decimals): 0.001 to about 65 MICRO. */
export function randomAmount(): bigint {
  return 10n ** 15n + (BigInt(`0x${randomBytes(9).toString("hex")}`) % (65n * 10n ** 18n));
}

const STAGE_BATCH = 100_000;

/**
 * Accounts 0..count-1 as if earlier epochs had settled them: a user each and an allocation
 * of a random cumulative amount, in set-based SQL from a staging table of addresses, and
 * the ledger transfers that settlement would have left (see below). Returns the total.
 */
export async function seedSettledAccounts(
  db: Db,
  population: Population,
  count: number,
  individually: readonly number[],
): Promise<bigint> {
  await sql`create unlogged table bench_accounts (i integer primary key, address text not null)`.execute(
    db,
  );
  for (let start = 0; start < count; start += STAGE_BATCH) {
    const is = Array.from({ length: Math.min(STAGE_BATCH, count - start) }, (_, k) => start + k);
    await sql`
      insert into bench_accounts (i, address)
      select * from unnest(${sql.val(is)}::int[],
                           ${sql.val(is.map((i) => population.address(i)))}::text[])`.execute(db);
  }
  const { rows } = await sql<{ is_superuser: boolean }>`
    select rolsuper as is_superuser from pg_roles where rolname = current_user`.execute(db);
  await db.transaction().execute(async (trx) => {
    // The rows reference users created in this transaction: skip the per-row key checks.
    if (rows[0]?.is_superuser) await sql`set local session_replication_role = replica`.execute(trx);
    await sql`
      insert into users (id, handle, email, display_name, password_hash, created_at)
      select md5('bench-user-' || i)::uuid, 'bench_' || i, 'bench_' || i || '@example.com',
             'Bench ' || i, 'x', now() - interval '30 days'
      from bench_accounts`.execute(trx);
    await sql`
      insert into settlement_allocations (address, user_id, cumulative, updated_epoch)
      select address, md5('bench-user-' || i)::uuid,
             (1e15 + floor(random() * 65e18))::numeric(78,0), 1
      from bench_accounts`.execute(trx);
  });
  await sql`drop table bench_accounts`.execute(db);
  const total = BigInt(
    (
      await sql<{
        total: string;
      }>`select sum(cumulative)::text as total from settlement_allocations`.execute(db)
    ).rows[0]!.total,
  );

  // The ledger side of that history: the accounts that will earn again (`individually`)
  // get what settling left them, their own wallet, invested and settled accounts with the
  // settled one credited from the mint; the others' settled amounts are one aggregate
  // transfer into one settled account. Either way the ledger sums to zero and its settled
  // total equals what the distributor will hold.
  const history = population.userId(-1);
  await sql`
    insert into users (id, handle, email, display_name, password_hash)
    values (${history}, 'bench_history', 'bench_history@example.com', 'Earlier epochs', 'x')`.execute(
    db,
  );
  const userIds = individually.map((i) => population.userId(i));
  await db.transaction().execute(async (trx) => {
    const { rows: own } = await sql<{ user_id: string; cumulative: string }>`
      select user_id, cumulative::text as cumulative from settlement_allocations
      where user_id = any(${sql.val(userIds)}::uuid[])`.execute(trx);
    const ids = await ensureAccountsInBulk(trx, [
      mintAccount,
      ...userAccounts(history),
      ...userIds.flatMap((id) => userAccounts(id)),
    ]);
    const mint = ids.get(accountCodes.mint)!;
    const ownTotal = own.reduce((sum, r) => sum + BigInt(r.cumulative), 0n);
    await recordTransfers(trx, [
      ...own.map((r) => ({
        phase: "single" as const,
        key: `bench:history:${r.user_id}`,
        debitAccountId: mint,
        creditAccountId: ids.get(accountCodes.userSettled(r.user_id))!,
        amount: BigInt(r.cumulative),
        kind: "bench_history",
        memo: "Seeded: settled in earlier epochs",
      })),
      {
        phase: "single",
        key: "bench:history",
        debitAccountId: mint,
        creditAccountId: ids.get(accountCodes.userSettled(history))!,
        amount: total - ownTotal,
        kind: "bench_history",
        memo: `Seeded: what earlier epochs settled to ${count - own.length} other addresses`,
      },
    ]);
  });
  await sql`analyze`.execute(db);
  return total;
}

/**
 * Epoch 1 covering every seeded allocation, really published: the tree is built and stored
 * with the production code, the root goes on chain with the production SettlementChain
 * (minting the whole seeded total to the distributor), and the epoch is recorded final.
 */
export async function publishSeededEpoch(db: Db, chain: SettlementChain): Promise<`0x${string}`> {
  const leaves = await listAllocations(db);
  const tree = await buildSettlementTree(leaves);
  const total = leaves.reduce((sum, l) => sum + l.cumulative, 0n);
  const signed = await chain.signPublishRoot({ epoch: 1, root: tree.root, cumulativeTotal: total });
  await chain.broadcast(signed.rawTx);
  let outcome = await chain.outcome(signed.hash);
  while (!outcome) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    outcome = await chain.outcome(signed.hash);
  }
  if (outcome.status !== "success") throw new Error("seeding epoch 1 reverted");
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("settlement_epochs")
      .values({
        epoch: 1,
        status: "final",
        chain_id: chain.chainId,
        distributor: chain.distributor,
        root: tree.root,
        cumulative_total: total,
        minted: total,
        leaf_count: leaves.length,
        payout_count: 0,
        signed_tx: signed.rawTx,
        tx_hash: signed.hash,
        tx_nonce: signed.nonce,
        submitted_at: new Date(),
        block_number: outcome.blockNumber,
        confirmed_at: new Date(),
        finalized_at: new Date(),
      })
      .execute();
    await insertEpochTree(trx, 1, tree);
  });
  await sql`analyze`.execute(db);
  return signed.hash;
}

/** Users created outright (they settle for the first time): accounts from..to-1. */
export async function seedNewUsers(db: Db, population: Population, from: number, to: number) {
  const is = Array.from({ length: to - from }, (_, k) => from + k);
  await sql`
    insert into users (id, handle, email, display_name, password_hash)
    select id, 'bench_' || i, 'bench_' || i || '@example.com', 'Bench ' || i, 'x'
    from unnest(${sql.val(is.map((i) => population.userId(i)))}::uuid[],
                ${sql.val(is)}::int[]) as u(id, i)`.execute(db);
}

/** Active Sign-In with Ethereum links for accounts `is`, each to its own address. */
export async function linkWallets(db: Db, population: Population, is: readonly number[]) {
  await sql`
    insert into wallet_links (user_id, address, chain_id, siwe_message, signature)
    select id, address, 31337, 'seeded by bench/settlement.ts', '0x'
    from unnest(${sql.val(is.map((i) => population.userId(i)))}::uuid[],
                ${sql.val(is.map((i) => population.address(i)))}::text[]) as l(id, address)`.execute(
    db,
  );
}

/**
 * What accounts `is` earned this hour: one available-balance credit each from the mint,
 * through the ledger's own ensureAccounts and recordTransfers. Returns the total.
 */
export async function creditAvailable(
  db: Db,
  population: Population,
  is: readonly number[],
  tag: string,
): Promise<bigint> {
  let total = 0n;
  await db.transaction().execute(async (trx) => {
    const ids = await ensureAccounts(trx, [
      mintAccount,
      ...is.map((i) => userWalletAccount(population.userId(i))),
    ]);
    const mint = ids.get(accountCodes.mint)!;
    await recordTransfers(
      trx,
      is.map((i) => {
        const amount = randomAmount() / 64n;
        total += amount;
        return {
          phase: "single" as const,
          key: `bench:${tag}:${i}`,
          debitAccountId: mint,
          creditAccountId: ids.get(accountCodes.userWallet(population.userId(i)))!,
          amount,
          kind: "bench_reward",
          memo: "Seeded: rewards earned this hour",
        };
      }),
    );
  });
  return total;
}

/** `count` distinct integers from [0, below), in random order. */
export function sampleDistinct(count: number, below: number, exclude?: Set<number>): number[] {
  const chosen = new Set<number>();
  while (chosen.size < count) {
    const i = randomBytes(4).readUInt32BE() % below;
    if (!exclude?.has(i)) chosen.add(i);
  }
  return [...chosen];
}
