import { sql } from "kysely";
import type { Address } from "viem";
import type { Db } from "#db/create-db.ts";
import type { SettlementEpochRow } from "#db/schema-settlement.ts";
import { NODE_BYTES, type SettlementTree } from "./settlement-tree.ts";

/** Nodes per stored chunk: 32 KiB rows, so a proof reads a handful of rows. */
export const TREE_CHUNK_NODES = 1024;
const LEAF_INSERT_BATCH = 20_000;
const TREE_CHUNK_INSERT_BATCH = 64;
const ALLOCATION_BATCH = 2_000;

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
    await trx
      .insertInto("settlement_allocations")
      .values(
        batch.map((p) => ({
          address: p.address,
          user_id: p.userId,
          cumulative: p.amount,
          updated_epoch: epoch,
        })),
      )
      .onConflict((oc) =>
        oc.column("address").doUpdateSet({
          cumulative: sql`settlement_allocations.cumulative + excluded.cumulative`,
          user_id: sql`excluded.user_id`,
          updated_epoch: sql`excluded.updated_epoch`,
        }),
      )
      .execute();
  }
}

export async function listAllocations(db: Db): Promise<{ address: Address; cumulative: bigint }[]> {
  const rows = await db
    .selectFrom("settlement_allocations")
    .select(["address", "cumulative"])
    .orderBy("address")
    .execute();
  return rows.map((r) => ({ address: r.address as Address, cumulative: BigInt(r.cumulative) }));
}

/** Stores an epoch's leaves and tree with few, large statements (a million leaves is normal). */
export async function insertEpochTree(
  trx: Db,
  epoch: number,
  leaves: readonly { address: Address; cumulative: bigint }[],
  tree: SettlementTree,
): Promise<void> {
  for (let start = 0; start < leaves.length; start += LEAF_INSERT_BATCH) {
    const end = Math.min(start + LEAF_INSERT_BATCH, leaves.length);
    const addresses: string[] = [];
    const amounts: string[] = [];
    const indexes: number[] = [];
    for (let i = start; i < end; i++) {
      addresses.push(leaves[i]!.address);
      amounts.push(leaves[i]!.cumulative.toString());
      indexes.push(tree.treeIndexes[i]!);
    }
    await sql`
      insert into settlement_leaves (epoch, address, cumulative, tree_index)
      select ${epoch}, address, cumulative, tree_index
      from unnest(${sql.val(addresses)}::text[], ${sql.val(amounts)}::numeric[],
                  ${sql.val(indexes)}::int[]) as l(address, cumulative, tree_index)`.execute(trx);
  }
  const nodeCount = tree.nodes.length / NODE_BYTES;
  const chunkCount = Math.ceil(nodeCount / TREE_CHUNK_NODES);
  for (let first = 0; first < chunkCount; first += TREE_CHUNK_INSERT_BATCH) {
    const rows = [];
    for (
      let chunk = first;
      chunk < Math.min(first + TREE_CHUNK_INSERT_BATCH, chunkCount);
      chunk++
    ) {
      const from = chunk * TREE_CHUNK_NODES * NODE_BYTES;
      const to = Math.min(from + TREE_CHUNK_NODES * NODE_BYTES, tree.nodes.length);
      rows.push({ epoch, chunk, nodes: Buffer.from(tree.nodes.subarray(from, to)) });
    }
    await trx.insertInto("settlement_tree_chunks").values(rows).execute();
  }
}

export async function findLeaf(
  db: Db,
  epoch: number,
  address: Address,
): Promise<{ cumulative: bigint; treeIndex: number } | null> {
  const row = await db
    .selectFrom("settlement_leaves")
    .select(["cumulative", "tree_index"])
    .where("epoch", "=", epoch)
    .where("address", "=", address)
    .executeTakeFirst();
  return row ? { cumulative: BigInt(row.cumulative), treeIndex: row.tree_index } : null;
}

/** The 32-byte nodes at `indexes`, read from as few chunks as they span. */
export async function readTreeNodes(
  db: Db,
  epoch: number,
  indexes: readonly number[],
): Promise<Map<number, Uint8Array>> {
  const chunks = [...new Set(indexes.map((i) => Math.floor(i / TREE_CHUNK_NODES)))];
  if (chunks.length === 0) return new Map();
  const rows = await db
    .selectFrom("settlement_tree_chunks")
    .select(["chunk", "nodes"])
    .where("epoch", "=", epoch)
    .where("chunk", "in", chunks)
    .execute();
  const byChunk = new Map(rows.map((r) => [r.chunk, r.nodes]));
  const nodes = new Map<number, Uint8Array>();
  for (const index of indexes) {
    const chunk = byChunk.get(Math.floor(index / TREE_CHUNK_NODES));
    if (!chunk) throw new Error(`settlement tree of epoch ${epoch} is missing node ${index}`);
    const at = (index % TREE_CHUNK_NODES) * NODE_BYTES;
    nodes.set(index, chunk.subarray(at, at + NODE_BYTES));
  }
  return nodes;
}

/** Keeps the newest final epoch's tree (and any newer); older trees can never be claimed against. */
export async function pruneTreesBefore(db: Db, epoch: number): Promise<void> {
  await db.deleteFrom("settlement_tree_chunks").where("epoch", "<", epoch).execute();
  await db.deleteFrom("settlement_leaves").where("epoch", "<", epoch).execute();
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
