/**
 * `npm run bench:settlement`: settlement epochs on real Postgres and anvil.
 *
 * Measures, in one run:
 *  1. the cumulative tree and root for 100,000 and 1,000,000 accounts with the production
 *     buildSettlementTree (time, peak RSS, memory held), each in a process of its own, and
 *     OpenZeppelin's StandardMerkleTree.of on the same 100,000 leaves as the baseline (the
 *     roots must agree);
 *  2. whole epochs, runSettlementEpoch from prepare to final, over 100,000 and 1,000,000
 *     allocations already settled (seeded with SQL and published as a real epoch 1), with
 *     10,000 linked users earning this hour, broken down by step; then getClaimProof;
 *  3. gas on the same anvil: publishRoot (steady state, whole transaction), claims of random
 *     leaves of the 100,000-leaf tree by fresh addresses and again after a later epoch, and
 *     the naive alternatives (a MicroToken mint per reward, a transfer per user per epoch),
 *     each as gas per reward under the assumptions printed.
 * The last line is one JSON object. Needs Postgres (BENCH_DATABASE_URL, else
 * TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test): it creates and drops
 * its own databases there. BENCH_ACCOUNTS=100000,1000000 picks the epoch sizes.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import pino from "pino";
import { getAddress, type Address, type Hash } from "viem";
import { startAnvil } from "#chain/anvil.ts";
import { anvilDeployerPrivateKey } from "#chain/anvil-accounts.ts";
import { createChainClients, type ChainClients } from "#chain/clients.ts";
import { deployContracts } from "#chain/deploy.ts";
import { microTokenBytecode } from "#chain/generated/micro-token.ts";
import { microTokenAbi } from "#shared/abi/micro-token.ts";
import { createSettlementChain, type SettlementChain } from "#chain/settlement-chain.ts";
import { verifyLedger } from "#core/ledger/verify-ledger.ts";
import { listActiveWalletLinks } from "#core/wallet/wallet-link.service.ts";
import { runSettlementEpoch, type PrepareTimings } from "#core/settlement/settlement-epoch.ts";
import { getClaimProof, verifySettlementOnChain } from "#core/settlement/settlement.service.ts";
import {
  creditAvailable,
  linkWallets,
  openBenchDatabase,
  Population,
  publishSeededEpoch,
  randomAmount,
  sampleDistinct,
  seedNewUsers,
  seedSettledAccounts,
  type BenchDatabase,
} from "./settlement-seed.ts";

const adminUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/test";
const scenarioSizes = (process.env.BENCH_ACCOUNTS ?? "100000,1000000").split(",").map(Number);

/** Linked users in each scenario, of whom PAYEES earn something in each measured epoch. */
const LINKED_EXISTING = 26_000;
const LINKED_NEW = 4_000;
const PAYEES_EXISTING = 8_000;
const PAYEES_NEW = 2_000;
const PAYEES = PAYEES_EXISTING + PAYEES_NEW;
const MEASURED_EPOCHS = 2;
const CLAIM_SAMPLES = Number(process.env.BENCH_CLAIMS ?? 64);
const PROOF_SAMPLES = 300;
const NAIVE_SAMPLES = 32;

/** The assumptions that turn gas per transaction into gas per reward. */
const REWARDS_PER_USER_PER_EPOCH = 10;
const EPOCHS_BETWEEN_CLAIMS = 168; // hourly epochs, a user claims weekly
/** Uniswap's MerkleDistributor, 100,000-leaf tree, average of random claims (from the issue). */
const UNISWAP_CLAIM_GAS = 78_598;

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const round = (n: number, digits = 3) => Number(n.toFixed(digits));

// ---------------------------------------------------------------------------------------
// 1. Trees, each in a child process.

type TreeResult = {
  leaves: number;
  seconds: number[];
  median_s: number;
  rss_before_mb: number;
  peak_rss_mb: number;
  peak_rss_growth_mb: number;
  retained_mb: number;
  heap_delta_mb: number;
  reference_s: number | null;
  roots_equal: boolean | null;
};

function measureTree(leaves: number, reference: boolean): Promise<TreeResult> {
  const child = fileURLToPath(new URL("./settlement-tree-child.ts", import.meta.url));
  const args = [...process.execArgv, "--expose-gc", child, String(leaves)];
  if (reference) args.push("--reference");
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    proc.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    proc.on("error", reject);
    proc.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`tree child for ${leaves} leaves exited ${code}`));
      resolve(JSON.parse(out.trim().split("\n").at(-1)!) as TreeResult);
    });
  });
}

// ---------------------------------------------------------------------------------------
// 2. Epochs on Postgres + anvil.

type Scenario = {
  accounts: number;
  bench: BenchDatabase;
  chain: SettlementChain;
  population: Population;
  linkedExisting: number[];
  linkedNew: number[];
  linked: Set<number>;
  seeding: Record<string, number>;
  firstPublishGas: number;
};

type EpochRun = {
  epoch: number;
  totalMs: number;
  prepareMs: number;
  chainMs: number;
  ms: PrepareTimings;
  leaves: number;
  payouts: number;
  rootGas: number;
};

const prepareLogs: { msg: string; ms?: PrepareTimings }[] = [];
const logger = pino(
  { level: "info" },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      prepareLogs.push(JSON.parse(chunk.toString("utf8")) as { msg: string; ms?: PrepareTimings });
      done();
    },
  }),
);

async function gasUsed(clients: ChainClients, hash: Hash): Promise<number> {
  const receipt = await clients.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
  return Number(receipt.gasUsed);
}

async function openScenario(accounts: number, clients: ChainClients): Promise<Scenario> {
  const seeding: Record<string, number> = {};
  const lap = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const result = await work();
    seeding[name] = performance.now() - t0;
    return result;
  };
  const contracts = await deployContracts(clients);
  const chain = createSettlementChain(clients, contracts, { confirmations: 1 });
  const bench = await openBenchDatabase(adminUrl, String(accounts));
  const population = await Population.create();
  await lap("addresses", async () => population.address(accounts + LINKED_NEW + CLAIM_SAMPLES));
  const linkedExisting = sampleDistinct(LINKED_EXISTING, accounts);
  await lap("accounts", () => seedSettledAccounts(bench.db, population, accounts, linkedExisting));
  const firstHash = await lap("epoch1", () => publishSeededEpoch(bench.db, chain));
  const linkedNew = Array.from({ length: LINKED_NEW }, (_, k) => accounts + k);
  await lap("links", async () => {
    await seedNewUsers(bench.db, population, accounts, accounts + LINKED_NEW);
    await linkWallets(bench.db, population, [...linkedExisting, ...linkedNew]);
  });
  return {
    accounts,
    bench,
    chain,
    population,
    linkedExisting,
    linkedNew,
    linked: new Set([...linkedExisting, ...linkedNew]),
    seeding,
    firstPublishGas: await gasUsed(clients, firstHash),
  };
}

/** What these accounts earned this hour, through the ledger, then fresh planner statistics. */
async function earn(scenario: Scenario, accounts: number[], tag: string): Promise<number> {
  const t0 = performance.now();
  await creditAvailable(scenario.bench.db, scenario.population, accounts, tag);
  await sql`analyze`.execute(scenario.bench.db);
  return performance.now() - t0;
}

async function measureEpoch(scenario: Scenario, clients: ChainClients): Promise<EpochRun> {
  const marks: Partial<Record<string, number>> = {};
  const t0 = performance.now();
  const outcome = await runSettlementEpoch({
    db: scenario.bench.db,
    chain: scenario.chain,
    linkedWallets: listActiveWalletLinks,
    logger,
    onStep: (step) => {
      marks[step] = performance.now() - t0;
    },
  });
  const totalMs = performance.now() - t0;
  if (outcome.kind !== "final") throw new Error(`epoch did not finish: ${outcome.kind}`);
  const prepared = prepareLogs.findLast((l) => l.msg === "settlement epoch prepared");
  return {
    epoch: outcome.epoch.epoch,
    totalMs,
    prepareMs: marks.prepared!,
    chainMs: totalMs - marks.prepared!,
    ms: prepared!.ms!,
    leaves: outcome.epoch.leafCount,
    payouts: outcome.epoch.payoutCount,
    rootGas: await gasUsed(clients, outcome.epoch.txHash!),
  };
}

function describeEpoch(run: EpochRun): string {
  const { ms } = run;
  const other = run.prepareMs - (ms.links + ms.wallets + ms.allocations + ms.ledgerAndTree);
  return (
    `  epoch ${run.epoch}: ${secs(run.totalMs)} end to end (${fmt(run.leaves)} leaves, ${fmt(run.payouts)} payouts)\n` +
    `    prepare ${secs(run.prepareMs)}: links ${ms.links} ms, lock wallets ${ms.wallets} ms, ` +
    `allocations read ${ms.allocations} ms,\n` +
    `      ledger move ${ms.ledger} ms ‖ tree + packing ${ms.tree} ms = ${ms.ledgerAndTree} ms together, ` +
    `epoch + payout rows ${ms.rows} ms, store chunks + leaf buckets ${ms.store} ms,\n` +
    `      rest (chain state, lock, commit) ${Math.round(other - ms.rows - ms.store)} ms\n` +
    `    chain ${secs(run.chainMs)}: sign, broadcast, receipt, final (incl. pruning the previous tree); ` +
    `publishRoot ${fmt(run.rootGas)} gas`
  );
}

/** Two measured epochs, each paying 8,000 existing accounts and 2,000 first-time ones. */
async function measuredEpochs(scenario: Scenario, clients: ChainClients): Promise<EpochRun[]> {
  const runs: EpochRun[] = [];
  for (let k = 0; k < MEASURED_EPOCHS; k++) {
    const payees = [
      ...scenario.linkedExisting.slice(k * PAYEES_EXISTING, (k + 1) * PAYEES_EXISTING),
      ...scenario.linkedNew.slice(k * PAYEES_NEW, (k + 1) * PAYEES_NEW),
    ];
    await earn(scenario, payees, `hour${k}`);
    const run = await measureEpoch(scenario, clients);
    console.log(describeEpoch(run));
    runs.push(run);
  }
  return runs;
}

async function proofLatencies(scenario: Scenario): Promise<number[]> {
  const { db } = scenario.bench;
  const picks = sampleDistinct(PROOF_SAMPLES + 20, scenario.accounts);
  const latencies: number[] = [];
  for (const [k, i] of picks.entries()) {
    const t0 = performance.now();
    const proof = await getClaimProof(db, scenario.population.address(i));
    const elapsed = performance.now() - t0;
    if (!proof) throw new Error(`no proof for account ${i}`);
    if (k >= 20) latencies.push(elapsed); // the first 20 warm the connections up
  }
  return latencies;
}

async function checkBooks(scenario: Scenario): Promise<string> {
  const ledger = await verifyLedger(scenario.bench.db);
  const chain = await verifySettlementOnChain(scenario.bench.db, scenario.chain);
  const failed = chain.filter((c) => !c.ok).map((c) => `${c.name}: ${c.message}`);
  if (!ledger.ok || failed.length > 0) {
    throw new Error(`books do not balance: ledger ok=${ledger.ok}; ${failed.join("; ")}`);
  }
  return "ledger invariants and ledger-vs-chain checks pass";
}

// ---------------------------------------------------------------------------------------
// 3. Gas: claims, and the naive alternatives.

/** Relays each account's claim as the platform does; returns the whole-transaction gas. */
async function claimAll(
  scenario: Scenario,
  clients: ChainClients,
  accounts: number[],
): Promise<number[]> {
  const hashes: Hash[] = [];
  for (const i of accounts) {
    const address = scenario.population.address(i);
    const proof = await getClaimProof(scenario.bench.db, address);
    if (!proof) throw new Error(`no proof for ${address}`);
    hashes.push(await scenario.chain.sendClaim(address, proof.cumulative, proof.proof));
  }
  return Promise.all(hashes.map((hash) => gasUsed(clients, hash)));
}

async function claimGas(scenario: Scenario, clients: ChainClients) {
  const sampled = sampleDistinct(CLAIM_SAMPLES, scenario.accounts);
  const first = await claimAll(scenario, clients, sampled);
  // A later epoch pays the same accounts again; they claim again.
  const unlinked = sampled.filter((i) => !scenario.linked.has(i));
  await linkWallets(scenario.bench.db, scenario.population, unlinked);
  unlinked.forEach((i) => scenario.linked.add(i));
  await earn(scenario, sampled, "claimers");
  const later = await measureEpoch(scenario, clients);
  const repeat = await claimAll(scenario, clients, sampled);
  return { first, repeat, laterEpoch: later };
}

const freshAddresses = (count: number): Address[] =>
  Array.from({ length: count }, () => getAddress(`0x${randomBytes(20).toString("hex")}`));

/** One MicroToken mint per reward, and one transfer per user per epoch, on the same anvil. */
async function naiveGas(clients: ChainClients) {
  const { publicClient, walletClient, account } = clients;
  const deployed = await publicClient.waitForTransactionReceipt({
    hash: await walletClient.deployContract({ abi: microTokenAbi, bytecode: microTokenBytecode }),
  });
  const token = deployed.contractAddress!;
  const minterRole = await publicClient.readContract({
    address: token,
    abi: microTokenAbi,
    functionName: "MINTER_ROLE",
  });
  await gasUsed(
    clients,
    await walletClient.writeContract({
      address: token,
      abi: microTokenAbi,
      functionName: "grantRole",
      args: [minterRole, account.address],
    }),
  );
  const send = async (functionName: "mint" | "transfer", to: Address[]) => {
    const hashes: Hash[] = [];
    for (const address of to) {
      hashes.push(
        await walletClient.writeContract({
          address: token,
          abi: microTokenAbi,
          functionName,
          args: [address, randomAmount() / 64n],
        }),
      );
    }
    return Promise.all(hashes.map((hash) => gasUsed(clients, hash)));
  };
  const minted = freshAddresses(NAIVE_SAMPLES);
  const mintFresh = await send("mint", minted);
  const mintHolder = await send("mint", minted);
  await send("mint", [account.address]);
  await gasUsed(
    clients,
    await walletClient.writeContract({
      address: token,
      abi: microTokenAbi,
      functionName: "mint",
      args: [account.address, 10n ** 30n],
    }),
  );
  const paid = freshAddresses(NAIVE_SAMPLES);
  const transferFresh = await send("transfer", paid);
  const transferHolder = await send("transfer", paid);
  return { mintFresh, mintHolder, transferFresh, transferHolder };
}

// ---------------------------------------------------------------------------------------

async function main() {
  const started = performance.now();
  console.log(
    `Postgres: ${adminUrl.replace(/\/\/[^@]*@/, "//")}; anvil from @foundry-rs/anvil; ` +
      `${PAYEES} linked users earn each measured epoch (${PAYEES_NEW} of them for the first time), ` +
      `${LINKED_EXISTING + LINKED_NEW} links in all`,
  );

  console.log("\n1. Tree and root (production buildSettlementTree, each size in its own process)");
  const tree100k = await measureTree(100_000, true);
  const tree1m = await measureTree(1_000_000, false);
  for (const t of [tree100k, tree1m]) {
    console.log(
      `  ${fmt(t.leaves).padStart(9)} leaves: ${t.median_s.toFixed(2)} s (median of 3; cold ` +
        `${t.seconds[0]!.toFixed(2)} s), peak RSS ${t.peak_rss_mb} MB (+${t.peak_rss_growth_mb} MB ` +
        `over ${t.rss_before_mb} MB with the leaves loaded), tree holds ${t.retained_mb} MB ` +
        `(JS heap +${t.heap_delta_mb} MB)`,
    );
  }
  if (!tree100k.roots_equal) throw new Error("the tree's root differs from StandardMerkleTree's");
  console.log(
    `  baseline  StandardMerkleTree.of, same 100,000 leaves: ${tree100k.reference_s!.toFixed(2)} s, ` +
      `same root (${(tree100k.reference_s! / tree100k.median_s).toFixed(0)}× the production build)`,
  );

  const anvil = await startAnvil();
  const clients = await createChainClients({
    rpcUrl: anvil.rpcUrl,
    privateKey: anvilDeployerPrivateKey,
  });
  const epochs = new Map<number, EpochRun[]>();
  const seeds = new Map<number, Scenario["seeding"]>();
  const firstPublish = new Map<number, number>();
  let proofs: number[] = [];
  let claims: Awaited<ReturnType<typeof claimGas>> | null = null;
  try {
    for (const accounts of scenarioSizes) {
      console.log(`\n2. Epochs over ${fmt(accounts)} settled accounts (Postgres + anvil)`);
      const scenario = await openScenario(accounts, clients);
      try {
        const s = scenario.seeding;
        console.log(
          `  seeded (not measured): ${fmt(accounts)} addresses in JS ${secs(s.addresses!)}; users + ` +
            `allocations by SQL ${secs(s.accounts!)}; epoch 1 over them (tree, publishRoot on ` +
            `anvil, stored) ${secs(s.epoch1!)}; ${fmt(LINKED_EXISTING + LINKED_NEW)} wallet links ` +
            `${secs(s.links!)}`,
        );
        seeds.set(accounts, s);
        firstPublish.set(accounts, scenario.firstPublishGas);
        epochs.set(accounts, await measuredEpochs(scenario, clients));
        const links = LINKED_EXISTING + LINKED_NEW;
        const perLink = median(epochs.get(accounts)!.map((r) => r.ms.links)) / links;
        console.log(
          `  reading ${fmt(links)} active links (listActiveWalletLinks) took ${(perLink * 1000).toFixed(1)} µs ` +
            `per link: a million active links would cost ~${((perLink * 1_000_000) / 1000).toFixed(0)} s there`,
        );
        if (accounts === Math.max(...scenarioSizes)) {
          proofs = await proofLatencies(scenario);
          console.log(
            `  getClaimProof over ${fmt(accounts)} leaves, ${PROOF_SAMPLES} random addresses: ` +
              `median ${median(proofs).toFixed(2)} ms, p99 ${percentile(proofs, 99).toFixed(2)} ms, ` +
              `max ${Math.max(...proofs).toFixed(2)} ms`,
          );
        }
        if (accounts === Math.min(...scenarioSizes)) {
          claims = await claimGas(scenario, clients);
          console.log(
            `  claims of ${CLAIM_SAMPLES} random leaves relayed, then a later epoch ` +
              `(${secs(claims.laterEpoch.totalMs)}) and the same leaves claimed again`,
          );
        }
        console.log(`  books: ${await checkBooks(scenario)}`);
      } finally {
        await scenario.bench.drop();
      }
    }

    console.log("\n3. Gas on anvil (whole-transaction gasUsed)");
    const naive = await naiveGas(clients);
    const steady = [...epochs.values()].flat().map((r) => r.rootGas);
    const rootGasBy = (accounts: number) =>
      Math.max(...(epochs.get(accounts) ?? []).map((r) => r.rootGas));
    const small = Math.min(...scenarioSizes);
    const large = Math.max(...scenarioSizes);
    const rootGas = Math.max(...steady);
    console.log(
      `  publishRoot, steady state: ${[...epochs]
        .map(([n, runs]) => `${fmt(n)}-leaf trees ${runs.map((r) => fmt(r.rootGas)).join(", ")}`)
        .join("; ")} ` +
        `(first ever publish: ${fmt(firstPublish.get(small)!)}); target ≤ 60,000 and flat in the number of accounts`,
    );
    const first = claims ? mean(claims.first) : NaN;
    const repeat = claims ? mean(claims.repeat) : NaN;
    const claimAverage = claims ? mean([...claims.first, ...claims.repeat]) : NaN;
    if (claims) {
      console.log(
        `  claim, random leaves of the ${fmt(small)}-leaf tree, relayed:\n` +
          `    first claim by a fresh address: mean ${fmt(first)} (min ${fmt(Math.min(...claims.first))}, max ${fmt(Math.max(...claims.first))})\n` +
          `    repeat claim after a later epoch: mean ${fmt(repeat)} (min ${fmt(Math.min(...claims.repeat))}, max ${fmt(Math.max(...claims.repeat))})\n` +
          `    claim_gas = mean over all ${2 * CLAIM_SAMPLES} claims (each leaf once fresh, once repeat): ${fmt(claimAverage)}\n` +
          `    target ≤ 62,000 on average; Uniswap's MerkleDistributor measures ${fmt(UNISWAP_CLAIM_GAS)} (100,000 leaves)`,
      );
    }
    const naiveMint = mean(naive.mintHolder);
    const naiveTransfer = mean(naive.transferHolder);
    const usersPerEpoch = PAYEES;
    const gasPerReward =
      (rootGasBy(large) / usersPerEpoch + claimAverage / EPOCHS_BETWEEN_CLAIMS) /
      REWARDS_PER_USER_PER_EPOCH;
    console.log(
      `  naive: MicroToken.mint per reward: ${fmt(mean(naive.mintFresh))} to a fresh address, ` +
        `${fmt(naiveMint)} to a holder\n` +
        `         transfer per user per epoch from a funded account: ${fmt(mean(naive.transferFresh))} ` +
        `to a fresh address, ${fmt(naiveTransfer)} to a holder`,
    );
    console.log(
      `  gas per reward, assuming ${REWARDS_PER_USER_PER_EPOCH} rewards per user per epoch, ` +
        `${fmt(usersPerEpoch)} users paid per epoch, a claim every ${EPOCHS_BETWEEN_CLAIMS} epochs (hourly epochs, weekly claims):\n` +
        `    cumulative Merkle (ours): (${fmt(rootGasBy(large))} / ${fmt(usersPerEpoch)} + ${fmt(claimAverage)} / ${EPOCHS_BETWEEN_CLAIMS}) / ${REWARDS_PER_USER_PER_EPOCH} = ${gasPerReward.toFixed(1)}\n` +
        `    one mint per reward (to a holder): ${fmt(naiveMint)}  (${(naiveMint / gasPerReward).toFixed(0)}× ours)\n` +
        `    one transfer per user per epoch (to a holder): ${fmt(naiveTransfer)} / ${REWARDS_PER_USER_PER_EPOCH} = ${fmt(naiveTransfer / REWARDS_PER_USER_PER_EPOCH)}  (${(naiveTransfer / REWARDS_PER_USER_PER_EPOCH / gasPerReward).toFixed(0)}× ours)`,
    );

    const epochSeconds = (accounts: number) =>
      median((epochs.get(accounts) ?? []).map((r) => r.totalMs / 1000));
    const largeRuns = epochs.get(large) ?? [];
    const phase = (key: keyof PrepareTimings) =>
      Math.round(median(largeRuns.map((r) => r.ms[key])));
    console.log(
      `\nepoch over ${fmt(large)} accounts: ${epochSeconds(large).toFixed(2)} s (median of ${largeRuns.length}; ` +
        `target < 10 s); over ${fmt(small)}: ${epochSeconds(small).toFixed(2)} s; whole bench ${secs(performance.now() - started)}`,
    );
    console.log(
      JSON.stringify({
        bench: "settlement",
        claim_gas: Math.round(claimAverage),
        claim_gas_first: Math.round(first),
        claim_gas_repeat: Math.round(repeat),
        claim_samples: CLAIM_SAMPLES,
        claim_tree_leaves: small,
        uniswap_claim_gas: UNISWAP_CLAIM_GAS,
        root_gas: rootGas,
        root_gas_100k: epochs.has(100_000) ? rootGasBy(100_000) : null,
        root_gas_1m: epochs.has(1_000_000) ? rootGasBy(1_000_000) : null,
        root_gas_first: firstPublish.get(small),
        epoch_100k_s: epochs.has(100_000) ? round(epochSeconds(100_000), 2) : null,
        epoch_1m_s: epochs.has(1_000_000) ? round(epochSeconds(1_000_000), 2) : null,
        epoch_runs_s: Object.fromEntries(
          [...epochs].map(([n, runs]) => [n, runs.map((r) => round(r.totalMs / 1000, 2))]),
        ),
        epoch_payees: PAYEES,
        epoch_links: LINKED_EXISTING + LINKED_NEW,
        epoch_large_phases_ms: {
          links: phase("links"),
          wallets: phase("wallets"),
          allocations: phase("allocations"),
          ledger: phase("ledger"),
          tree: phase("tree"),
          ledger_and_tree: phase("ledgerAndTree"),
          rows: phase("rows"),
          store: phase("store"),
          prepare: Math.round(median(largeRuns.map((r) => r.prepareMs))),
          chain: Math.round(median(largeRuns.map((r) => r.chainMs))),
        },
        seed_large_s: round(
          ((seeds.get(large)?.accounts ?? 0) + (seeds.get(large)?.epoch1 ?? 0)) / 1000,
          1,
        ),
        proof_p50_ms: round(median(proofs), 2),
        proof_p99_ms: round(percentile(proofs, 99), 2),
        proof_samples: proofs.length,
        tree_100k_s: round(tree100k.median_s),
        tree_1m_s: round(tree1m.median_s),
        tree_100k_reference_s: round(tree100k.reference_s!, 2),
        tree_100k_peak_rss_mb: tree100k.peak_rss_mb,
        tree_1m_peak_rss_mb: tree1m.peak_rss_mb,
        tree_1m_peak_rss_growth_mb: tree1m.peak_rss_growth_mb,
        tree_1m_retained_mb: tree1m.retained_mb,
        naive_mint_gas_per_reward: Math.round(naiveMint),
        naive_mint_gas_fresh: Math.round(mean(naive.mintFresh)),
        naive_transfer_gas: Math.round(naiveTransfer),
        naive_transfer_gas_fresh: Math.round(mean(naive.transferFresh)),
        naive_transfer_gas_per_reward: Math.round(naiveTransfer / REWARDS_PER_USER_PER_EPOCH),
        gas_per_reward: round(gasPerReward, 1),
        assumptions: {
          rewards_per_user_per_epoch: REWARDS_PER_USER_PER_EPOCH,
          users_per_epoch: usersPerEpoch,
          epochs_between_claims: EPOCHS_BETWEEN_CLAIMS,
        },
      }),
    );
  } finally {
    await anvil.stop();
  }
}

await main();
