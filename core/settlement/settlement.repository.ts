import { sql } from "kysely";
import { getAddress, type Address } from "viem";
import type { ClaimLog } from "#chain/settlement-chain.ts";
import type { Db } from "#db/create-db.ts";
import type { ClaimRelayStatus, SettlementEpochRow } from "#db/schema-settlement.ts";
import { accountCodes, type NewAccount } from "#core/ledger/accounts.repository.ts";
import { ENCODED_LEAF_BYTES, NODE_BYTES, type SettlementTree } from "./settlement-tree.ts";

/** Nodes per stored chunk: 32 KiB rows, so a proof reads a handful of rows. */
export const TREE_CHUNK_NODES = 1024;
/**
 * An epoch's leaves are stored beside its tree, in settlement_tree_chunks rows with
 * negative chunk numbers: bucket b (the address's first 12 bits) is chunk −1 − b and
 * holds that bucket's leaves as 56-byte entries (address 20 | cumulative as a 32-byte
 * big-endian word | tree index as a 4-byte big-endian word). A million leaves are 4,096
 * rows of ~14 KB instead of a million rows, and a proof reads one of them.
 */
export const LEAF_BUCKETS = 4096;
export const LEAF_ENTRY_BYTES = 56;
const leafBucketChunk = (bucket: number) => -1 - bucket;
/** Rows and bytes per insert statement when storing a tree. */
const STORE_BATCH_ROWS = 256;
const STORE_BATCH_BYTES = 4 * 1024 * 1024;
const ALLOCATION_BATCH = 50_000;

export type SettlementEpoch = {
  epoch: number;
  status: SettlementEpochRow["status"];
  chainId: number;
  distributor: Address;
  root: `0x${string}`;
  cumulativeTotal: bigint;
  minted: bigint;
  leafCount: number;
  payoutCount: number;
  preparedAt: Date;
  signedTx: `0x${string}` | null;
  txHash: `0x${string}` | null;
  txNonce: number | null;
  submittedAt: Date | null;
  blockNumber: bigint | null;
  confirmedAt: Date | null;
  finalizedAt: Date | null;
};

export function toSettlementEpoch(row: SettlementEpochRow): SettlementEpoch {
  return {
    epoch: row.epoch,
    status: row.status,
    chainId: row.chain_id,
    distributor: row.distributor as Address,
    root: row.root as `0x${string}`,
    cumulativeTotal: BigInt(row.cumulative_total),
    minted: BigInt(row.minted),
    leafCount: row.leaf_count,
    payoutCount: row.payout_count,
    preparedAt: row.prepared_at,
    signedTx: row.signed_tx as `0x${string}` | null,
    txHash: row.tx_hash as `0x${string}` | null,
    txNonce: row.tx_nonce,
    submittedAt: row.submitted_at,
    blockNumber: row.block_number === null ? null : BigInt(row.block_number),
    confirmedAt: row.confirmed_at,
    finalizedAt: row.finalized_at,
  };
}

export async function findOpenEpoch(db: Db): Promise<SettlementEpoch | null> {
  const row = await db
    .selectFrom("settlement_epochs")
    .selectAll()
    .where("status", "<>", "final")
    .executeTakeFirst();
  return row ? toSettlementEpoch(row) : null;
}

export async function findEpoch(db: Db, epoch: number): Promise<SettlementEpoch | null> {
  const row = await db
    .selectFrom("settlement_epochs")
    .selectAll()
    .where("epoch", "=", epoch)
    .executeTakeFirst();
  return row ? toSettlementEpoch(row) : null;
}

/** The newest epoch whose root is on chain: the one proofs must be built against. */
export async function findLatestPublishedEpoch(db: Db): Promise<SettlementEpoch | null> {
  const row = await db
    .selectFrom("settlement_epochs")
    .selectAll()
    .where("status", "in", ["confirmed", "final"])
    .orderBy("epoch", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? toSettlementEpoch(row) : null;
}

export async function lastEpochNumber(db: Db): Promise<number> {
  const row = await db
    .selectFrom("settlement_epochs")
    .select((eb) => eb.fn.max("epoch").as("last"))
    .executeTakeFirst();
  return row?.last ?? 0;
}

export async function listEpochs(
  db: Db,
  options: { limit: number; before?: number | null },
): Promise<SettlementEpoch[]> {
  let query = db.selectFrom("settlement_epochs").selectAll().orderBy("epoch", "desc");
  if (options.before) query = query.where("epoch", "<", options.before);
  const rows = await query.limit(options.limit).execute();
  return rows.map(toSettlementEpoch);
}

/** Adds each payout to its address's running total; returns nothing, the leaves are re-read. */
export async function addToAllocations(
  trx: Db,
  epoch: number,
  payouts: readonly { userId: string; address: Address; amount: bigint }[],
): Promise<void> {
  for (let start = 0; start < payouts.length; start += ALLOCATION_BATCH) {
    const batch = payouts.slice(start, start + ALLOCATION_BATCH);
    await sql`
      insert into settlement_allocations (address, user_id, cumulative, updated_epoch)
      select address, user_id, cumulative, ${epoch}::integer
      from unnest(${sql.val(batch.map((p) => p.address))}::text[],
                  ${sql.val(batch.map((p) => p.userId))}::uuid[],
                  ${sql.val(batch.map((p) => p.amount.toString()))}::numeric[])
             as p(address, user_id, cumulative)
      on conflict (address) do update set
        cumulative = settlement_allocations.cumulative + excluded.cumulative,
        user_id = excluded.user_id,
        updated_epoch = excluded.updated_epoch`.execute(trx);
  }
}

/** Every allocation, in no particular order (the tree sorts its leaves by hash). */
export async function listAllocations(db: Db): Promise<{ address: Address; cumulative: bigint }[]> {
  const rows = await db
    .selectFrom("settlement_allocations")
    .select(["address", "cumulative"])
    .execute();
  return rows.map((r) => ({ address: r.address as Address, cumulative: BigInt(r.cumulative) }));
}

/**
 * Ledger accounts (as core/ledger defines them) created where missing, in three
 * statements however many there are; returns the ids of all of them by code. The same
 * outcome as ensureAccounts, whose statements carry a parameter per account and so must
 * be cut into batches of a few thousand.
 */
export async function ensureAccountsInBulk(
  trx: Db,
  accounts: readonly NewAccount[],
): Promise<Map<string, bigint>> {
  const ids = new Map<string, bigint>();
  const lookUp = async (codes: string[]) => {
    const { rows } = await sql<{ id: bigint; code: string }>`
      select id, code from ledger_accounts where code = any(${sql.val(codes)}::text[])`.execute(
      trx,
    );
    for (const row of rows) ids.set(row.code, BigInt(row.id));
  };
  await lookUp([...new Set(accounts.map((a) => a.code))]);
  const missing = [
    ...new Map(accounts.filter((a) => !ids.has(a.code)).map((a) => [a.code, a])).values(),
  ];
  if (missing.length > 0) {
    await sql`
      insert into ledger_accounts (code, kind, user_id, budget_id, must_not_overdraw)
      select * from unnest(${sql.val(missing.map((a) => a.code))}::text[],
                           ${sql.val(missing.map((a) => a.kind))}::text[],
                           ${sql.val(missing.map((a) => a.userId ?? null))}::uuid[],
                           ${sql.val(missing.map((a) => a.budgetId ?? null))}::text[],
                           ${sql.val(missing.map((a) => a.mustNotOverdraw))}::boolean[])
      on conflict (code) do nothing`.execute(trx);
    await lookUp(missing.map((a) => a.code));
  }
  return ids;
}

/** How many allocations there are and what they add up to. */
export async function allocationTotals(db: Db): Promise<{ count: number; total: bigint }> {
  const { rows } = await sql<{ count: string; total: string | null }>`
    select count(*)::text as count, sum(cumulative)::text as total
    from settlement_allocations`.execute(db);
  return { count: Number(rows[0]!.count), total: BigInt(rows[0]!.total ?? 0) };
}

/**
 * Locks (in id order, as the ledger locks users' accounts) the wallet accounts of these
 * users that have something available, and returns what each can settle: credits posted
 * less debits posted and pending, the ledger's `spendable`. Accounts with nothing
 * available are neither returned nor locked, so a million idle linked users cost a read.
 */
export async function lockAvailableWallets(
  trx: Db,
  userIds: readonly string[],
): Promise<Map<string, { walletId: bigint; available: bigint }>> {
  const { rows } = await sql<{ id: bigint; user_id: string; available: string }>`
    select id, user_id, credits_posted - debits_posted - debits_pending as available
    from ledger_accounts
    where code = any(${sql.val(userIds.map((id) => accountCodes.userWallet(id)))}::text[])
      and credits_posted - debits_posted - debits_pending > 0
    order by id
    for no key update`.execute(trx);
  return new Map(
    rows.map((r) => [r.user_id, { walletId: BigInt(r.id), available: BigInt(r.available) }]),
  );
}

/** An epoch's payouts, in one statement however many there are. */
export async function insertPayouts(
  trx: Db,
  epoch: number,
  payouts: readonly { userId: string; address: Address; amount: bigint; transferId: bigint }[],
): Promise<void> {
  await sql`
    insert into settlement_payouts (epoch, user_id, address, amount, transfer_id)
    select ${epoch}::integer, user_id, address, amount, transfer_id
    from unnest(${sql.val(payouts.map((p) => p.userId))}::uuid[],
                ${sql.val(payouts.map((p) => p.address))}::text[],
                ${sql.val(payouts.map((p) => p.amount.toString()))}::numeric[],
                ${sql.val(payouts.map((p) => p.transferId.toString()))}::bigint[])
           as p(user_id, address, amount, transfer_id)`.execute(trx);
}

/** The bucket a leaf's address falls in: its first 12 bits. */
export function leafBucket(address: string): number {
  return Number.parseInt(address.slice(2, 5), 16);
}

/** An epoch's tree as the rows of settlement_tree_chunks that store it, bar the epoch. */
export type PackedTree = { chunk: number; nodes: Uint8Array }[];

/**
 * The rows that store a tree: its nodes in 32 KiB chunks and its leaves packed in
 * address buckets (see LEAF_BUCKETS). Pure computation, a few hundred ms for a million
 * leaves; it yields to the event loop now and then, so queries elsewhere keep flowing.
 */
export async function packEpochTree(tree: SettlementTree): Promise<PackedTree> {
  const rows: PackedTree = [];
  const count = tree.leafCount;
  const encoded = Buffer.from(
    tree.encodedLeaves.buffer,
    tree.encodedLeaves.byteOffset,
    tree.encodedLeaves.byteLength,
  );
  // The address is bytes 12–31 of each encoded leaf, the cumulative word bytes 32–63.
  const bucketOf = (i: number) =>
    (encoded[i * ENCODED_LEAF_BYTES + 12]! << 4) | (encoded[i * ENCODED_LEAF_BYTES + 13]! >> 4);

  // Leaves, bucketed by a counting sort over one buffer.
  const starts = new Uint32Array(LEAF_BUCKETS + 1);
  for (let i = 0; i < count; i++) starts[bucketOf(i) + 1]!++;
  for (let b = 0; b < LEAF_BUCKETS; b++) starts[b + 1]! += starts[b]!;
  const entries = Buffer.alloc(count * LEAF_ENTRY_BYTES);
  const next = starts.slice(0, LEAF_BUCKETS);
  for (let i = 0; i < count; i++) {
    const at = next[bucketOf(i)]!++ * LEAF_ENTRY_BYTES;
    encoded.copy(entries, at, i * ENCODED_LEAF_BYTES + 12, (i + 1) * ENCODED_LEAF_BYTES);
    entries.writeUInt32BE(tree.treeIndexes[i]!, at + 52);
    if (i % 65_536 === 65_535) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  for (let b = 0; b < LEAF_BUCKETS; b++) {
    if (starts[b + 1] === starts[b]) continue;
    rows.push({
      chunk: leafBucketChunk(b),
      nodes: entries.subarray(starts[b]! * LEAF_ENTRY_BYTES, starts[b + 1]! * LEAF_ENTRY_BYTES),
    });
  }

  const chunkBytes = TREE_CHUNK_NODES * NODE_BYTES;
  for (let from = 0, chunk = 0; from < tree.nodes.length; from += chunkBytes, chunk++) {
    rows.push({ chunk, nodes: tree.nodes.subarray(from, from + chunkBytes) });
  }
  return rows;
}

/** Writes a packed tree with a few large statements (a million leaves is normal). */
export async function insertPackedTree(trx: Db, epoch: number, rows: PackedTree): Promise<void> {
  for (let first = 0; first < rows.length;) {
    let last = first;
    let bytes = 0;
    while (last < rows.length && last - first < STORE_BATCH_ROWS && bytes < STORE_BATCH_BYTES) {
      bytes += rows[last]!.nodes.length;
      last++;
    }
    await trx
      .insertInto("settlement_tree_chunks")
      .values(
        rows.slice(first, last).map((r) => ({
          epoch,
          chunk: r.chunk,
          nodes: Buffer.from(r.nodes.buffer, r.nodes.byteOffset, r.nodes.byteLength),
        })),
      )
      .execute();
    first = last;
  }
}

/** Stores an epoch's tree and leaves, so any leaf's proof can be served at once. */
export async function insertEpochTree(trx: Db, epoch: number, tree: SettlementTree): Promise<void> {
  await insertPackedTree(trx, epoch, await packEpochTree(tree));
}

export async function findLeaf(
  db: Db,
  epoch: number,
  address: Address,
): Promise<{ cumulative: bigint; treeIndex: number } | null> {
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) return null;
  const row = await db
    .selectFrom("settlement_tree_chunks")
    .select("nodes")
    .where("epoch", "=", epoch)
    .where("chunk", "=", leafBucketChunk(leafBucket(address)))
    .executeTakeFirst();
  if (!row) return null;
  const entries = Buffer.from(row.nodes.buffer, row.nodes.byteOffset, row.nodes.byteLength);
  const wanted = Buffer.from(address.slice(2), "hex");
  for (let at = 0; at < entries.length; at += LEAF_ENTRY_BYTES) {
    if (wanted.compare(entries, at, at + 20) === 0) {
      return {
        cumulative: BigInt(`0x${entries.toString("hex", at + 20, at + 52)}`),
        treeIndex: entries.readUInt32BE(at + 52),
      };
    }
  }
  return null;
}

/**
 * The 32-byte nodes at `indexes`, each cut out of its chunk by the database: chunks are
 * stored out of line and uncompressed (migration 0005), so Postgres reads only the part
 * of a chunk that holds the node, not the whole 32 KiB.
 */
export async function readTreeNodes(
  db: Db,
  epoch: number,
  indexes: readonly number[],
): Promise<Map<number, Uint8Array>> {
  if (indexes.length === 0) return new Map();
  const { rows } = await sql<{ i: number; node: Uint8Array }>`
    select n.i, substring(c.nodes from (n.i % ${sql.lit(TREE_CHUNK_NODES)}) * ${sql.lit(NODE_BYTES)} + 1
                          for ${sql.lit(NODE_BYTES)}) as node
    from unnest(${sql.val([...indexes])}::integer[]) as n(i)
    join settlement_tree_chunks c
      on c.epoch = ${epoch} and c.chunk = n.i / ${sql.lit(TREE_CHUNK_NODES)}`.execute(db);
  const nodes = new Map(rows.map((r) => [r.i, r.node]));
  for (const index of indexes) {
    if (nodes.get(index)?.length !== NODE_BYTES) {
      throw new Error(`settlement tree of epoch ${epoch} is missing node ${index}`);
    }
  }
  return nodes;
}

/** Keeps the newest final epoch's tree (and any newer); older trees can never be claimed against. */
export async function pruneTreesBefore(db: Db, epoch: number): Promise<void> {
  await db.deleteFrom("settlement_tree_chunks").where("epoch", "<", epoch).execute();
}

export async function readChainState(db: Db, name: string): Promise<string | null> {
  const row = await db
    .selectFrom("chain_state")
    .select("value")
    .where("name", "=", name)
    .executeTakeFirst();
  return row?.value ?? null;
}

export async function writeChainState(db: Db, name: string, value: string): Promise<void> {
  await db
    .insertInto("chain_state")
    .values({ name, value })
    .onConflict((oc) => oc.column("name").doUpdateSet({ value, updated_at: sql`now()` }))
    .execute();
}

/** What an epoch records when it is prepared; the rest of its row follows its steps. */
export type PreparedEpoch = {
  epoch: number;
  chainId: number;
  distributor: Address;
  root: `0x${string}`;
  cumulativeTotal: bigint;
  minted: bigint;
  leafCount: number;
  payoutCount: number;
};

export async function insertPreparedEpoch(trx: Db, epoch: PreparedEpoch): Promise<void> {
  await trx
    .insertInto("settlement_epochs")
    .values({
      epoch: epoch.epoch,
      status: "prepared",
      chain_id: epoch.chainId,
      distributor: epoch.distributor,
      root: epoch.root,
      cumulative_total: epoch.cumulativeTotal,
      minted: epoch.minted,
      leaf_count: epoch.leafCount,
      payout_count: epoch.payoutCount,
    })
    .execute();
}

/**
 * Records the signed transaction of an epoch, only if the epoch is still as `seen` left
 * it (same status, same transaction): of two instances signing at once, one wins.
 */
export async function recordEpochSigned(
  db: Db,
  seen: Pick<SettlementEpoch, "epoch" | "status" | "txHash">,
  signed: { rawTx: `0x${string}`; hash: `0x${string}`; nonce: number },
): Promise<void> {
  await db
    .updateTable("settlement_epochs")
    .set({
      status: "submitted",
      signed_tx: signed.rawTx,
      tx_hash: signed.hash,
      tx_nonce: signed.nonce,
      submitted_at: new Date(),
    })
    .where("epoch", "=", seen.epoch)
    .where("status", "=", seen.status)
    .where("tx_hash", "is not distinct from", seen.txHash)
    .execute();
}

/** Marks a prepared or submitted epoch confirmed in `blockNumber`; returns whether it changed. */
export async function markEpochConfirmed(
  db: Db,
  epoch: number,
  txHash: `0x${string}`,
  blockNumber: bigint,
): Promise<boolean> {
  const updated = await db
    .updateTable("settlement_epochs")
    .set({
      status: "confirmed",
      tx_hash: txHash,
      block_number: blockNumber,
      confirmed_at: new Date(),
    })
    .where("epoch", "=", epoch)
    .where("status", "in", ["prepared", "submitted"])
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

/** A confirmed epoch whose block was reorganised away goes back to submitted. */
export async function markConfirmedEpochSubmittedAgain(db: Db, epoch: number): Promise<void> {
  await db
    .updateTable("settlement_epochs")
    .set({ status: "submitted", block_number: null, confirmed_at: null })
    .where("epoch", "=", epoch)
    .where("status", "=", "confirmed")
    .execute();
}

/** Marks a confirmed epoch final; returns whether it changed. */
export async function markEpochFinal(
  trx: Db,
  epoch: number,
  blockNumber: bigint,
): Promise<boolean> {
  const updated = await trx
    .updateTable("settlement_epochs")
    .set({ status: "final", finalized_at: new Date(), block_number: blockNumber })
    .where("epoch", "=", epoch)
    .where("status", "=", "confirmed")
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

/** The block of the first root on chain, or null before any. */
export async function findFirstSettlementBlock(db: Db): Promise<bigint | null> {
  const row = await db
    .selectFrom("settlement_epochs")
    .select("block_number")
    .where("block_number", "is not", null)
    .orderBy("epoch")
    .limit(1)
    .executeTakeFirst();
  return row?.block_number ?? null;
}

/** A user's newest payouts, with their epoch's state. */
export async function listUserPayouts(db: Db, userId: string, limit: number) {
  return db
    .selectFrom("settlement_payouts as p")
    .innerJoin("settlement_epochs as e", "e.epoch", "p.epoch")
    .select([
      "p.epoch",
      "p.address",
      "p.amount",
      "e.status",
      "e.tx_hash",
      "e.prepared_at",
      "e.confirmed_at",
    ])
    .where("p.user_id", "=", userId)
    .orderBy("p.epoch", "desc")
    .limit(limit)
    .execute();
}

export type AddressTotalsRow = {
  address: string;
  on_chain: string | null;
  in_flight: string | null;
  claimed: string | null;
};

/** Per address a user was ever paid to: settled on chain, settled in flight, claimed. */
export async function listUserAddressTotals(db: Db, userId: string): Promise<AddressTotalsRow[]> {
  const { rows } = await sql<AddressTotalsRow>`
    with mine as (
      select distinct address from settlement_payouts where user_id = ${userId}
    )
    select m.address,
           (select sum(p.amount) from settlement_payouts p
              join settlement_epochs e on e.epoch = p.epoch
             where p.address = m.address and e.status in ('confirmed', 'final')) as on_chain,
           (select sum(p.amount) from settlement_payouts p
              join settlement_epochs e on e.epoch = p.epoch
             where p.address = m.address and e.status in ('prepared', 'submitted')) as in_flight,
           (select max(c.cumulative) from settlement_claims c where c.address = m.address) as claimed
    from mine m
    order by m.address`.execute(db);
  return rows;
}

/** Indexes Claimed events; an event indexed before is skipped. */
export async function insertClaims(trx: Db, logs: readonly ClaimLog[]): Promise<void> {
  if (logs.length === 0) return;
  await trx
    .insertInto("settlement_claims")
    .values(
      logs.map((log) => ({
        tx_hash: log.txHash,
        log_index: log.logIndex,
        block_number: log.blockNumber,
        address: getAddress(log.account),
        paid: log.paid,
        cumulative: log.cumulative,
      })),
    )
    .onConflict((oc) => oc.columns(["tx_hash", "log_index"]).doNothing())
    .execute();
}

export async function isAddressSettledToUser(
  db: Db,
  userId: string,
  address: Address,
): Promise<boolean> {
  const row = await db
    .selectFrom("settlement_payouts")
    .select("address")
    .where("user_id", "=", userId)
    .where("address", "=", address)
    .executeTakeFirst();
  return row !== undefined;
}

export type ClaimRelay = { txHash: `0x${string}` | null; status: ClaimRelayStatus };

export async function findClaimRelay(
  db: Db,
  address: Address,
  cumulative: bigint,
): Promise<ClaimRelay | null> {
  const row = await db
    .selectFrom("settlement_claim_relays")
    .select(["tx_hash", "status"])
    .where("address", "=", address)
    .where("cumulative", "=", cumulative.toString())
    .executeTakeFirst();
  return row ? { txHash: row.tx_hash as `0x${string}` | null, status: row.status } : null;
}

/**
 * Records that this request sends the claim: a new relay, or one the chain refused before
 * anything was sent, taken over (its time becomes this send's, so the cap counts it anew).
 * A relay whose transaction was sent and failed on chain is never taken over: sending it
 * again would spend gas on what the chain already refused. Returns its id, or null when
 * another request's relay is under way or done, or failed on chain.
 */
export async function startClaimRelay(
  db: Db,
  relay: { address: Address; cumulative: bigint; requestedBy: string },
): Promise<bigint | null> {
  const inserted = await db
    .insertInto("settlement_claim_relays")
    .values({
      address: relay.address,
      cumulative: relay.cumulative,
      requested_by: relay.requestedBy,
      status: "sent",
    })
    .onConflict((oc) =>
      oc
        .columns(["address", "cumulative"])
        .doUpdateSet({
          status: "sent",
          error: null,
          requested_by: relay.requestedBy,
          created_at: sql<Date>`now()`,
        })
        .where("settlement_claim_relays.status", "=", "failed")
        .where("settlement_claim_relays.tx_hash", "is", null),
    )
    .returning("id")
    .executeTakeFirst();
  return inserted?.id ?? null;
}

export type ClaimRelayStart =
  | { kind: "started"; id: bigint }
  /** Another request's relay of the same claim is under way or done. */
  | { kind: "taken" }
  /** The user's relays in the window are at the cap; one more may start at `retryAt`. */
  | { kind: "limited"; retryAt: Date };

/**
 * Starts the relay of a claim unless the user already had `perWindow` relays within the
 * last `windowMs` (rolling, by the database's clock). A relay counts from when it was last
 * sent, unless the chain refused it before anything was sent (failed without a
 * transaction): that cost no gas. Check and start run in one transaction holding the
 * user's row, so concurrent requests of one user cannot all pass the check together.
 */
export async function startClaimRelayWithinLimit(
  db: Db,
  relay: { address: Address; cumulative: bigint; requestedBy: string },
  limit: { perWindow: number; windowMs: number },
): Promise<ClaimRelayStart> {
  return db.transaction().execute(async (trx) => {
    // "no key update": enough to serialise this user's relays, without blocking the rows
    // that reference the user (their posts, likes…) for the moment it is held.
    await sql`select 1 from users where id = ${relay.requestedBy} for no key update`.execute(trx);
    const { rows } = await sql<{ sends: string; oldest: Date | null }>`
      select count(*) as sends, min(created_at) as oldest
      from settlement_claim_relays
      where requested_by = ${relay.requestedBy}
        and created_at > now() - make_interval(secs => ${limit.windowMs / 1000})
        and not (status = 'failed' and tx_hash is null)`.execute(trx);
    const counted = rows[0];
    if (counted && Number(counted.sends) >= limit.perWindow && counted.oldest) {
      return {
        kind: "limited",
        retryAt: new Date(new Date(counted.oldest).getTime() + limit.windowMs),
      };
    }
    const id = await startClaimRelay(trx, relay);
    return id === null ? { kind: "taken" } : { kind: "started", id };
  });
}

export async function recordClaimRelayTransaction(
  db: Db,
  id: bigint,
  txHash: `0x${string}`,
): Promise<void> {
  await db
    .updateTable("settlement_claim_relays")
    .set({ tx_hash: txHash })
    .where("id", "=", id)
    .execute();
}

export async function recordClaimRelayOutcome(
  db: Db,
  id: bigint,
  outcome: { status: "confirmed" | "failed"; error: string | null },
): Promise<void> {
  await db
    .updateTable("settlement_claim_relays")
    .set({ status: outcome.status, error: outcome.error })
    .where("id", "=", id)
    .execute();
}

/** Relayed claims sent and not yet known to have mined or failed. */
export async function listSentClaimRelays(
  db: Db,
): Promise<{ id: bigint; txHash: `0x${string}` }[]> {
  const rows = await db
    .selectFrom("settlement_claim_relays")
    .select(["id", "tx_hash"])
    .where("status", "=", "sent")
    .where("tx_hash", "is not", null)
    .execute();
  return rows.map((r) => ({ id: r.id, txHash: r.tx_hash as `0x${string}` }));
}

/** What the ledger settled to users, over all their settled accounts. */
export async function sumSettledInLedger(db: Db): Promise<bigint> {
  const { rows } = await sql<{ total: string | null }>`
    select sum(credits_posted - debits_posted) as total
    from ledger_accounts where kind = 'user_settled'`.execute(db);
  return BigInt(rows[0]?.total ?? 0);
}

/** What the epochs prepared or submitted but not yet on chain mint. */
export async function sumMintedInFlight(db: Db): Promise<bigint> {
  const { rows } = await sql<{ total: string | null }>`
    select sum(minted) as total from settlement_epochs
    where status in ('prepared', 'submitted')`.execute(db);
  return BigInt(rows[0]?.total ?? 0);
}
