import { createKeccak, type IHasher } from "hash-wasm";
import { getAddress, type Address, type Hex } from "viem";

/**
 * The settlement Merkle tree, node for node the one `@openzeppelin/merkle-tree`'s
 * `StandardMerkleTree.of(values, ["address", "uint256"])` builds (leaves are
 * keccak256(keccak256(abi.encode(account, cumulative))), sorted by hash; pairs are
 * hashed sorted; the tree is a flat array with the root at 0), so anyone can check a
 * proof with public tools. Written here rather than calling the library because the
 * library needs ~13 s for 100,000 leaves and the epoch must handle a million in
 * seconds; tests compare the two on random trees.
 */

export type SettlementLeaf = { address: Address; cumulative: bigint };

export type SettlementTree = {
  root: Hex;
  /** (2·leafCount − 1) nodes of 32 bytes each, in StandardMerkleTree order. */
  nodes: Uint8Array;
  leafCount: number;
  /** Where each input leaf sits in `nodes`, in the order the leaves were given. */
  treeIndexes: Uint32Array;
};

export const NODE_BYTES = 32;
const MAX_UINT256 = (1n << 256n) - 1n;

let hasherPromise: Promise<IHasher> | undefined;
function keccak(): Promise<IHasher> {
  hasherPromise ??= createKeccak(256);
  return hasherPromise;
}

/** abi.encode(address, uint256): two 32-byte words. */
function encodeLeaf(leaf: SettlementLeaf, into: Uint8Array): void {
  into.fill(0, 0, 12);
  into.set(Buffer.from(leaf.address.slice(2), "hex"), 12);
  if (leaf.cumulative < 0n || leaf.cumulative > MAX_UINT256) {
    throw new RangeError(`cumulative amount out of uint256 range for ${leaf.address}`);
  }
  into.set(Buffer.from(leaf.cumulative.toString(16).padStart(64, "0"), "hex"), 32);
}

function hashInto(hasher: IHasher, input: Uint8Array, out: Uint8Array, at: number): void {
  hasher.init();
  hasher.update(input);
  out.set(hasher.digest("binary"), at);
}

export async function buildSettlementTree(
  leaves: readonly SettlementLeaf[],
): Promise<SettlementTree> {
  const count = leaves.length;
  if (count === 0) throw new RangeError("a settlement tree needs at least one leaf");
  const hasher = await keccak();

  // Leaf hashes, in input order.
  const leafHashes = new Uint8Array(count * NODE_BYTES);
  const encoded = new Uint8Array(64);
  const inner = new Uint8Array(NODE_BYTES);
  for (let i = 0; i < count; i++) {
    encodeLeaf(leaves[i]!, encoded);
    hashInto(hasher, encoded, inner, 0);
    hashInto(hasher, inner, leafHashes, i * NODE_BYTES);
  }

  // Sort by hash: the first four bytes decide almost always; ties compare the rest.
  const view = new DataView(leafHashes.buffer);
  const prefix = new Uint32Array(count);
  for (let i = 0; i < count; i++) prefix[i] = view.getUint32(i * NODE_BYTES);
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  const hashes = Buffer.from(leafHashes.buffer, leafHashes.byteOffset, leafHashes.byteLength);
  order.sort((a, b) => {
    const pa = prefix[a]!;
    const pb = prefix[b]!;
    if (pa !== pb) return pa < pb ? -1 : 1;
    return hashes.compare(
      hashes,
      b * NODE_BYTES,
      (b + 1) * NODE_BYTES,
      a * NODE_BYTES,
      (a + 1) * NODE_BYTES,
    );
  });

  const nodeCount = 2 * count - 1;
  const nodes = Buffer.alloc(nodeCount * NODE_BYTES);
  const treeIndexes = new Uint32Array(count);
  for (let sorted = 0; sorted < count; sorted++) {
    const original = order[sorted]!;
    const at = nodeCount - 1 - sorted;
    treeIndexes[original] = at;
    nodes.set(
      leafHashes.subarray(original * NODE_BYTES, (original + 1) * NODE_BYTES),
      at * NODE_BYTES,
    );
  }

  const pair = new Uint8Array(2 * NODE_BYTES);
  for (let i = nodeCount - 1 - count; i >= 0; i--) {
    const left = (2 * i + 1) * NODE_BYTES;
    const right = (2 * i + 2) * NODE_BYTES;
    // Buffer.compare orders the source range (right) against the target (left).
    const leftFirst = nodes.compare(nodes, left, left + NODE_BYTES, right, right + NODE_BYTES) >= 0;
    const [first, second] = leftFirst ? [left, right] : [right, left];
    pair.set(nodes.subarray(first, first + NODE_BYTES), 0);
    pair.set(nodes.subarray(second, second + NODE_BYTES), NODE_BYTES);
    hashInto(hasher, pair, nodes, i * NODE_BYTES);
  }

  return { root: toHex(nodes.subarray(0, NODE_BYTES)), nodes, leafCount: count, treeIndexes };
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

/** The leaf's address as stored everywhere in settlement: EIP-55 checksummed. */
export function settlementAddress(address: string): Address {
  return getAddress(address);
}
