import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import fc from "fast-check";
import { createHash } from "node:crypto";
import { createKeccak } from "hash-wasm";
import { encodeAbiParameters, getAddress, type Address } from "viem";
import { describe, expect, it } from "vitest";
import {
  buildSettlementTree,
  proofFromNodes,
  toHex,
  type SettlementLeaf,
} from "#core/settlement/settlement-tree.ts";

const leafArbitrary = fc.record({
  address: fc
    .uint8Array({ minLength: 20, maxLength: 20 })
    .map((bytes) => getAddress(`0x${Buffer.from(bytes).toString("hex")}`)),
  // Amounts up to 2^64 take a faster encoding path than larger ones: cover both, and the edges.
  cumulative: fc.oneof(
    fc.bigInt({ min: 1n, max: 1n << 64n }),
    fc.bigInt({ min: 1n, max: (1n << 256n) - 1n }),
    fc.constantFrom(1n, (1n << 64n) - 1n, 1n << 64n, (1n << 256n) - 1n),
  ),
});

function reference(leaves: SettlementLeaf[]) {
  return StandardMerkleTree.of(
    leaves.map((l) => [l.address, l.cumulative.toString()]),
    ["address", "uint256"],
  );
}

describe("the settlement tree", () => {
  it("has the same root and proofs as OpenZeppelin's StandardMerkleTree, for any leaves", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(leafArbitrary, { minLength: 1, maxLength: 70, selector: (l) => l.address }),
        async (leaves) => {
          const tree = await buildSettlementTree(leaves);
          const ref = reference(leaves);
          expect(tree.root).toBe(ref.root);
          leaves.forEach((leaf, i) => {
            const proof = proofFromNodes(tree.nodes, tree.treeIndexes[i]!);
            expect(proof).toEqual(ref.getProof(i));
            expect(
              StandardMerkleTree.verify(
                ref.root,
                ["address", "uint256"],
                [leaf.address, leaf.cumulative.toString()],
                proof,
              ),
            ).toBe(true);
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it("matches a plain reference on a tree big enough to be built in several slices", async () => {
    // 70,000 leaves: several slices of leaf hashing (16,384 each) and of inner nodes (65,536).
    // StandardMerkleTree itself needs ~10 s for that; the reference below is its algorithm
    // written out over hash-wasm's keccak, checked against the library on a small tree.
    const keccak = await createKeccak(256);
    const hash = (bytes: Uint8Array) => {
      keccak.init();
      keccak.update(bytes);
      return Buffer.from(keccak.digest("binary"));
    };
    const referenceTree = (leaves: SettlementLeaf[]) => {
      const hashed = leaves.map((leaf, i) => {
        const encoded = encodeAbiParameters(
          [{ type: "address" }, { type: "uint256" }],
          [leaf.address, leaf.cumulative],
        );
        return { i, hash: hash(hash(Buffer.from(encoded.slice(2), "hex"))) };
      });
      hashed.sort((a, b) => Buffer.compare(a.hash, b.hash));
      const nodes: Buffer[] = new Array(2 * leaves.length - 1);
      const indexes: number[] = new Array(leaves.length);
      hashed.forEach((h, k) => {
        nodes[nodes.length - 1 - k] = h.hash;
        indexes[h.i] = nodes.length - 1 - k;
      });
      for (let i = nodes.length - 1 - leaves.length; i >= 0; i--) {
        const [a, b] = [nodes[2 * i + 1]!, nodes[2 * i + 2]!];
        nodes[i] = hash(Buffer.concat(Buffer.compare(a, b) <= 0 ? [a, b] : [b, a]));
      }
      return { root: toHex(nodes[0]!), nodes: Buffer.concat(nodes), indexes };
    };
    const leaves = Array.from({ length: 70_000 }, (_, i) => ({
      address:
        `0x${createHash("sha256").update(`leaf ${i}`).digest("hex").slice(0, 40)}` as Address,
      cumulative: BigInt(i) * 1_000_003n + (i % 7 === 0 ? 1n << 200n : 1n),
    }));
    const small = leaves.slice(0, 300);
    expect(referenceTree(small).root).toBe(reference(small).root);

    const tree = await buildSettlementTree(leaves);
    const ref = referenceTree(leaves);
    expect(tree.root).toBe(ref.root);
    expect(Buffer.from(tree.nodes).equals(ref.nodes)).toBe(true);
    expect([...tree.treeIndexes]).toEqual(ref.indexes);
  });

  it("keeps each leaf's abi.encode(address, cumulative) in input order", async () => {
    const leaves = [
      { address: getAddress(`0x${"ab".repeat(20)}`), cumulative: 5n },
      { address: getAddress(`0x${"01".repeat(20)}`), cumulative: (1n << 255n) + 3n },
    ];
    const tree = await buildSettlementTree(leaves);
    leaves.forEach((leaf, i) => {
      expect(toHex(tree.encodedLeaves.subarray(i * 64, (i + 1) * 64))).toBe(
        encodeAbiParameters(
          [{ type: "address" }, { type: "uint256" }],
          [leaf.address, leaf.cumulative],
        ).toLowerCase(),
      );
    });
  });

  it("changes its root when any amount changes by one base unit", async () => {
    const leaves = [
      { address: getAddress(`0x${"11".repeat(20)}`), cumulative: 10n },
      { address: getAddress(`0x${"22".repeat(20)}`), cumulative: 20n },
    ];
    const before = await buildSettlementTree(leaves);
    const after = await buildSettlementTree([leaves[0]!, { ...leaves[1]!, cumulative: 21n }]);
    expect(after.root).not.toBe(before.root);
  });

  it("refuses an empty tree and amounts outside uint256", async () => {
    await expect(buildSettlementTree([])).rejects.toThrow(/at least one leaf/);
    await expect(
      buildSettlementTree([
        { address: getAddress(`0x${"11".repeat(20)}`), cumulative: 1n << 256n },
      ]),
    ).rejects.toThrow(/uint256/);
  });
});
