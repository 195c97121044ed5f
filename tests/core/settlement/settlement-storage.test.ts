import { createHash } from "node:crypto";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getAddress, type Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  findLeaf,
  insertEpochTree,
  LEAF_BUCKETS,
  leafBucket,
  pruneTreesBefore,
  readTreeNodes,
} from "#core/settlement/settlement.repository.ts";
import { getClaimProof } from "#core/settlement/settlement.service.ts";
import {
  buildSettlementTree,
  proofFromNodes,
  proofNodeIndexes,
  toHex,
  type SettlementLeaf,
} from "#core/settlement/settlement-tree.ts";
import type { Db } from "#db/create-db.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";

const address = (seed: string, prefix = "") =>
  getAddress(
    `0x${prefix}${createHash("sha256").update(seed).digest("hex")}`.slice(0, 42),
  ) as Address;

/** Random leaves, plus a crowd that shares one address bucket and amounts above 2^64. */
function sampleLeaves(count: number): SettlementLeaf[] {
  return Array.from({ length: count }, (_, i) => ({
    address: i % 5 === 0 ? address(`crowd ${i}`, "abc") : address(`leaf ${i}`),
    cumulative: i % 3 === 0 ? (1n << 100n) + BigInt(i) : BigInt(i + 1) * 10n ** 15n,
  }));
}

async function insertEpoch(db: Db, epoch: number, root: string, status: "prepared" | "final") {
  await db
    .insertInto("settlement_epochs")
    .values({
      epoch,
      status,
      chain_id: 31337,
      distributor: address("distributor"),
      root,
      cumulative_total: 1n,
      minted: 1n,
      leaf_count: 1,
      payout_count: 1,
      signed_tx: status === "final" ? "0x01" : null,
      tx_hash: status === "final" ? `0x${"11".repeat(32)}` : null,
    })
    .execute();
}

describe.each(testBackends())("settlement tree storage on %s", (backend) => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await openTestDb(backend);
  });
  afterAll(async () => {
    await testDb?.close();
  });

  it("finds every leaf and proof of a stored tree, and nothing for other addresses", async () => {
    const { db } = testDb;
    const leaves = sampleLeaves(3_000);
    expect(new Set(leaves.map((l) => leafBucket(l.address))).size).toBeLessThanOrEqual(
      LEAF_BUCKETS,
    );
    const tree = await buildSettlementTree(leaves);
    await insertEpoch(db, 1, tree.root, "final");
    await insertEpochTree(db, 1, tree);

    const reference = StandardMerkleTree.of(
      leaves.map((l) => [l.address, l.cumulative.toString()]),
      ["address", "uint256"],
    );
    for (const i of [0, 1, 5, 10, 999, 2_999]) {
      const leaf = leaves[i]!;
      expect(await findLeaf(db, 1, leaf.address)).toEqual({
        cumulative: leaf.cumulative,
        treeIndex: tree.treeIndexes[i],
      });
      const proof = await getClaimProof(db, leaf.address);
      expect(proof).toMatchObject({ epoch: 1, root: tree.root, cumulative: leaf.cumulative });
      expect(proof!.proof).toEqual(reference.getProof(i));
      const indexes = proofNodeIndexes(tree.treeIndexes[i]!);
      const nodes = await readTreeNodes(db, 1, indexes);
      expect(indexes.map((n) => toHex(nodes.get(n)!))).toEqual(
        proofFromNodes(tree.nodes, tree.treeIndexes[i]!),
      );
    }
    expect(await findLeaf(db, 1, address("never settled", "abc"))).toBeNull();
    expect(await findLeaf(db, 1, address("never settled either"))).toBeNull();
    expect(await findLeaf(db, 1, "0xnot-an-address" as Address)).toBeNull();
    expect(await getClaimProof(db, address("never settled"))).toBeNull();
  });

  it("prunes older epochs' trees and leaves entirely", async () => {
    const { db } = testDb;
    const leaves = sampleLeaves(50);
    const tree = await buildSettlementTree(leaves);
    await insertEpoch(db, 2, tree.root, "prepared");
    await insertEpochTree(db, 2, tree);
    await pruneTreesBefore(db, 2);
    const left = await db
      .selectFrom("settlement_tree_chunks")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("epoch", "=", 1)
      .executeTakeFirstOrThrow();
    expect(Number(left.n)).toBe(0);
    expect(await findLeaf(db, 2, leaves[7]!.address)).toEqual({
      cumulative: leaves[7]!.cumulative,
      treeIndex: tree.treeIndexes[7],
    });
  });
});
