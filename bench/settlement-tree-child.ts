/**
 * One tree measurement in a process of its own (bench/settlement.ts starts it with
 * --expose-gc), so peak RSS belongs to this tree alone: `settlement-tree-child.ts LEAVES
 * [--reference]`. Builds the production tree for LEAVES random leaves three times (the
 * first one cold: module compile included) and, with --reference, OpenZeppelin's
 * StandardMerkleTree.of for the same leaves, checking the roots agree. Prints one JSON line.
 */
import { randomBytes } from "node:crypto";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { Address } from "viem";
import { buildSettlementTree, type SettlementTree } from "#core/settlement/settlement-tree.ts";
import { randomAmount } from "./settlement-seed.ts";

const count = Number(process.argv[2]);
const withReference = process.argv.includes("--reference");
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const mb = (bytes: number) => Number((bytes / 2 ** 20).toFixed(1));

// Random addresses in lower case: the tree hashes their bytes, the checksum is irrelevant here.
const raw = randomBytes(20 * count);
const leaves = Array.from({ length: count }, (_, i) => ({
  address: `0x${raw.toString("hex", 20 * i, 20 * i + 20)}` as Address,
  cumulative: randomAmount(),
}));

gc();
const before = process.memoryUsage();
const started = performance.now();
let tree: SettlementTree | null = await buildSettlementTree(leaves);
const seconds = [(performance.now() - started) / 1000];
const peakRss = process.resourceUsage().maxRSS * 1024;
gc();
const after = process.memoryUsage();
const root = tree.root;
tree = null;

for (let run = 0; run < 2; run++) {
  gc();
  const t0 = performance.now();
  await buildSettlementTree(leaves);
  seconds.push((performance.now() - t0) / 1000);
}

let referenceSeconds: number | null = null;
let rootsEqual: boolean | null = null;
if (withReference) {
  gc();
  const t0 = performance.now();
  const reference = StandardMerkleTree.of(
    leaves.map((l) => [l.address, l.cumulative]),
    ["address", "uint256"],
  );
  referenceSeconds = (performance.now() - t0) / 1000;
  rootsEqual = reference.root === root;
}

const sorted = [...seconds].sort((a, b) => a - b);
console.log(
  JSON.stringify({
    leaves: count,
    seconds,
    median_s: sorted[1],
    rss_before_mb: mb(before.rss),
    peak_rss_mb: mb(peakRss),
    peak_rss_growth_mb: mb(peakRss - before.rss),
    // What the finished tree holds on to: JS heap plus memory outside it (the WebAssembly
    // memory with the encoded leaves, their hashes and the nodes).
    retained_mb: mb(after.heapUsed + after.external - (before.heapUsed + before.external)),
    heap_delta_mb: mb(after.heapUsed - before.heapUsed),
    reference_s: referenceSeconds,
    roots_equal: rootsEqual,
    root,
  }),
);
