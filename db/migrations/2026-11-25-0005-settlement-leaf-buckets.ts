import { sql, type Kysely } from "kysely";
import { getAddress } from "viem";

// Frozen: never edit a migration after it has landed; add a new one.
// An epoch's leaves move from one settlement_leaves row per address (a million rows per
// epoch, several seconds to write) into settlement_tree_chunks rows with negative chunk
// numbers: bucket b (the address's first 12 bits) is chunk -1 - b and packs its leaves as
// 56-byte entries: address (20 bytes) | cumulative (32-byte big-endian word) | tree index
// (4-byte big-endian word). settlement_leaves stays, empty, for older code paths' sake.
// The encoding is spelled out here rather than imported, so this file never changes.
// Chunks are stored out of line uncompressed: tree nodes are random bytes that never
// compress, and compressing leaf buckets (their amounts' leading zeros) costs more time
// per epoch than the space it saves; uncompressed, a proof's nodes are read as slices.

const BUCKETS = 4096;
const ENTRY_BYTES = 56;

type LeafRow = { epoch: number; address: string; cumulative: string; tree_index: number };

function pack(leaves: LeafRow[]): { chunk: number; nodes: Buffer }[] {
  const byBucket = new Map<number, Buffer[]>();
  for (const leaf of leaves) {
    const entry = Buffer.alloc(ENTRY_BYTES);
    entry.write(leaf.address.slice(2), 0, 20, "hex");
    entry.write(BigInt(leaf.cumulative).toString(16).padStart(64, "0"), 20, 32, "hex");
    entry.writeUInt32BE(leaf.tree_index, 52);
    const bucket = Number.parseInt(leaf.address.slice(2, 5), 16) % BUCKETS;
    const entries = byBucket.get(bucket);
    if (entries) entries.push(entry);
    else byBucket.set(bucket, [entry]);
  }
  return [...byBucket].map(([bucket, entries]) => ({
    chunk: -1 - bucket,
    nodes: Buffer.concat(entries),
  }));
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table settlement_tree_chunks alter column nodes set storage external`.execute(db);
  const { rows: epochs } = await sql<{
    epoch: number;
  }>`select distinct epoch from settlement_leaves order by epoch`.execute(db);
  for (const { epoch } of epochs) {
    const { rows } = await sql<LeafRow>`
      select epoch, address, cumulative::text as cumulative, tree_index
      from settlement_leaves where epoch = ${epoch}`.execute(db);
    for (const { chunk, nodes } of pack(rows)) {
      await sql`insert into settlement_tree_chunks (epoch, chunk, nodes)
                values (${epoch}, ${chunk}, ${nodes})`.execute(db);
    }
  }
  await sql`delete from settlement_leaves`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const { rows } = await sql<{ epoch: number; nodes: Uint8Array }>`
    select epoch, nodes from settlement_tree_chunks where chunk < 0`.execute(db);
  for (const { epoch, nodes } of rows) {
    const entries = Buffer.from(nodes.buffer, nodes.byteOffset, nodes.byteLength);
    for (let at = 0; at < entries.length; at += ENTRY_BYTES) {
      // Checksummed, as settlement stores addresses (EIP-55 needs keccak, hence not SQL).
      const address = getAddress(`0x${entries.toString("hex", at, at + 20)}`);
      const cumulative = BigInt(`0x${entries.toString("hex", at + 20, at + 52)}`).toString();
      await sql`insert into settlement_leaves (epoch, address, cumulative, tree_index)
                values (${epoch}, ${address}, ${cumulative}, ${entries.readUInt32BE(at + 52)})`.execute(
        db,
      );
    }
  }
  await sql`delete from settlement_tree_chunks where chunk < 0`.execute(db);
  await sql`alter table settlement_tree_chunks alter column nodes set storage extended`.execute(db);
}
