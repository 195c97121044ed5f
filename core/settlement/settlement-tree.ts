import type { Address, Hex } from "viem";
import { DATA_START, instantiateKeccak } from "./keccak-wasm.ts";

/**
 * The settlement Merkle tree, node for node the one `@openzeppelin/merkle-tree`'s
 * `StandardMerkleTree.of(values, ["address", "uint256"])` builds (leaves are
 * keccak256(keccak256(abi.encode(account, cumulative))), sorted by hash; pairs are
 * hashed sorted; the tree is a flat array with the root at 0), so anyone can check a
 * proof with public tools. Written here rather than calling the library because the
 * library needs ~13 s for 100,000 leaves and the epoch must handle a million in about
 * a second; tests compare the two on random trees.
 *
 * The hashing runs in a small WebAssembly module assembled below: keccak-f[1600] with
 * every round unrolled, fed whole batches (all leaves, then every inner node), so a
 * million-leaf tree costs three million permutations and a handful of calls from
 * JavaScript instead of three million calls into a general-purpose hasher.
 */

export type SettlementLeaf = { address: Address; cumulative: bigint };

export type SettlementTree = {
  root: Hex;
  /** (2·leafCount − 1) nodes of 32 bytes each, in StandardMerkleTree order. */
  nodes: Uint8Array;
  leafCount: number;
  /** Where each input leaf sits in `nodes`, in the order the leaves were given. */
  treeIndexes: Uint32Array;
  /** Each input leaf's abi.encode(address, cumulative), 64 bytes each, in input order. */
  encodedLeaves: Uint8Array;
};

export const NODE_BYTES = 32;
const MAX_UINT256 = (1n << 256n) - 1n;
const MAX_UINT64 = (1n << 64n) - 1n;

/** abi.encode(address, uint256) is 64 bytes: the address right-aligned in the first word. */
export const ENCODED_LEAF_BYTES = 64;
/**
 * Work between two yields to the event loop (about 20 ms each), so that a transaction's
 * queries keep flowing while a big tree is built.
 */
const LEAVES_PER_SLICE = 16_384;
const INNER_NODES_PER_SLICE = 65_536;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Writes the leaf's 20 address bytes at `at` and its amount as a 32-byte big-endian word
 * right after them (the last 52 bytes of abi.encode(address, uint256)).
 */
export function writeLeafWords(leaf: SettlementLeaf, into: Buffer, at: number): void {
  const amount = leaf.cumulative;
  if (amount < 0n || amount > MAX_UINT256) {
    throw new RangeError(`cumulative amount out of uint256 range for ${leaf.address}`);
  }
  into.write(leaf.address.slice(2), at, 20, "hex");
  if (amount <= MAX_UINT64) {
    into.fill(0, at + 20, at + 44);
    into.writeBigUInt64BE(amount, at + 44);
  } else {
    into.write(amount.toString(16).padStart(64, "0"), at + 20, 32, "hex");
  }
}

export async function buildSettlementTree(
  leaves: readonly SettlementLeaf[],
): Promise<SettlementTree> {
  const count = leaves.length;
  if (count === 0) throw new RangeError("a settlement tree needs at least one leaf");
  const nodeCount = 2 * count - 1;

  // Memory: round constants and scratch, then the encoded leaves, their hashes in input
  // order, the sorted order, and the tree itself.
  const encodedAt = DATA_START;
  const hashesAt = encodedAt + count * ENCODED_LEAF_BYTES;
  const orderAt = hashesAt + count * NODE_BYTES;
  const nodesAt = orderAt + count * 4;
  const end = nodesAt + nodeCount * NODE_BYTES;
  const keccak = instantiateKeccak(end);
  const memory = Buffer.from(keccak.memory.buffer);

  // Leaf hashes, in input order. Fresh wasm memory is zeroed: the first 12 bytes of each
  // encoding stay zero.
  for (let start = 0; start < count; start += LEAVES_PER_SLICE) {
    const sliceEnd = Math.min(start + LEAVES_PER_SLICE, count);
    for (let i = start; i < sliceEnd; i++) {
      writeLeafWords(leaves[i]!, memory, encodedAt + i * ENCODED_LEAF_BYTES + 12);
    }
    keccak.hashLeaves(
      encodedAt + start * ENCODED_LEAF_BYTES,
      hashesAt + start * NODE_BYTES,
      sliceEnd - start,
    );
    await yieldToEventLoop();
  }

  const order = sortByHash(memory, hashesAt, count);
  new Uint32Array(keccak.memory.buffer, orderAt, count).set(order);
  const treeIndexes = new Uint32Array(count);
  for (let sorted = 0; sorted < count; sorted++)
    treeIndexes[order[sorted]!] = nodeCount - 1 - sorted;

  // Leaves at the end of the array, the smallest hash last; then every inner node, from
  // the last one up to the root.
  keccak.placeLeaves(hashesAt, nodesAt + (nodeCount - 1) * NODE_BYTES, orderAt, count);
  for (let last = nodeCount - 1 - count; last >= 0; last -= INNER_NODES_PER_SLICE) {
    await yieldToEventLoop();
    keccak.hashInner(nodesAt, last, Math.max(0, last - INNER_NODES_PER_SLICE + 1));
  }

  const nodes = memory.subarray(nodesAt, end);
  return {
    root: toHex(nodes.subarray(0, NODE_BYTES)),
    nodes,
    leafCount: count,
    treeIndexes,
    encodedLeaves: memory.subarray(encodedAt, hashesAt),
  };
}

/**
 * Input positions in ascending order of leaf hash (stable, as Array.prototype.sort): a
 * radix sort on each hash's first four bytes, then the rare runs of equal prefixes by
 * the whole hash.
 */
function sortByHash(memory: Buffer, hashesAt: number, count: number): Uint32Array {
  const prefix = new Uint32Array(count);
  for (let i = 0; i < count; i++) prefix[i] = memory.readUInt32BE(hashesAt + i * NODE_BYTES);
  let order = new Uint32Array(count);
  let spare = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  const buckets = new Uint32Array(65_536);
  for (const shift of [0, 16]) {
    buckets.fill(0);
    for (let i = 0; i < count; i++) buckets[(prefix[i]! >>> shift) & 0xffff]!++;
    let sum = 0;
    for (let b = 0; b < 65_536; b++) {
      const n = buckets[b]!;
      buckets[b] = sum;
      sum += n;
    }
    for (let k = 0; k < count; k++) {
      const i = order[k]!;
      spare[buckets[(prefix[i]! >>> shift) & 0xffff]!++] = i;
    }
    [order, spare] = [spare, order];
  }
  for (let runStart = 0; runStart < count;) {
    let runEnd = runStart + 1;
    while (runEnd < count && prefix[order[runEnd]!] === prefix[order[runStart]!]) runEnd++;
    if (runEnd - runStart > 1) {
      const run = Array.from(order.subarray(runStart, runEnd)).sort((a, b) =>
        memory.compare(
          memory,
          hashesAt + b * NODE_BYTES,
          hashesAt + (b + 1) * NODE_BYTES,
          hashesAt + a * NODE_BYTES,
          hashesAt + (a + 1) * NODE_BYTES,
        ),
      );
      order.set(run, runStart);
    }
    runStart = runEnd;
  }
  return order;
}

/** The node indexes a proof for the leaf at `treeIndex` needs: each sibling up to the root. */
export function proofNodeIndexes(treeIndex: number): number[] {
  const indexes: number[] = [];
  for (let i = treeIndex; i > 0; i = Math.floor((i - 1) / 2)) {
    indexes.push(i % 2 === 1 ? i + 1 : i - 1);
  }
  return indexes;
}

export function proofFromNodes(nodes: Uint8Array, treeIndex: number): Hex[] {
  return proofNodeIndexes(treeIndex).map((i) =>
    toHex(nodes.subarray(i * NODE_BYTES, (i + 1) * NODE_BYTES)),
  );
}

export function toHex(bytes: Uint8Array): Hex {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")}`;
}
