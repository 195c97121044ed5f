import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import fc from "fast-check";
import { getAddress } from "viem";
import { describe, expect, it } from "vitest";
import {
  buildSettlementTree,
  proofFromNodes,
  type SettlementLeaf,
} from "#core/settlement/settlement-tree.ts";

const leafArbitrary = fc.record({
  address: fc
    .uint8Array({ minLength: 20, maxLength: 20 })
    .map((bytes) => getAddress(`0x${Buffer.from(bytes).toString("hex")}`)),
  cumulative: fc.bigInt({ min: 1n, max: (1n << 256n) - 1n }),
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
