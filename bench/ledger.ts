/**
 * `npm run bench:ledger`: sustained reward recording on real Postgres.
 *
 * Measures, in one run and with the same concurrency:
 *  - baseline: the plainest single-row INSERT loop, one autocommit insert per call;
 *  - value: full RewardEngine.reward() calls (rule check, daily cap, budget, two-phase
 *    transfer, reward row), which the engine groups into shared transactions;
 *  - the curve of reward throughput against the engine's maximum batch size.
 * The last line is one JSON object. Needs Postgres (BENCH_DATABASE_URL, else
 * TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test): it creates and drops
 * its own database there.
 */
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import pg from "pg";
import type { UserId } from "#core/auth/ids.ts";
import { BASE_UNITS_PER_MICRO } from "#shared/money.ts";
import { ensurePlatformDefaults } from "#core/rewards/platform-defaults.ts";
import { RewardEngine } from "#core/rewards/reward-engine.ts";
import { createBudget, fundBudget } from "#core/rewards/reward.service.ts";
import { createDb, type Db } from "#db/create-db.ts";
import { migrateToLatest } from "#db/migrate.ts";
import { createScratchDatabase } from "#tests/support/scratch-database.ts";
import { CpuMeter } from "./feed-http.ts";

const adminUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/test";
const durationMs = Number(process.env.BENCH_SECONDS ?? 5) * 1000;
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 64);
const userCount = 5000;
// Unset: the engine's own default.
const inFlight = process.env.BENCH_IN_FLIGHT ? Number(process.env.BENCH_IN_FLIGHT) : undefined;
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

type Run = { ops: number; seconds: number; perSecond: number; p50: number; p99: number };

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** `callers` loops, each awaiting its own call before the next, for `durationMs`. */
async function drive(
  callers: number,
  call: (caller: number, i: number) => Promise<void>,
): Promise<Run> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: callers }, async (_, caller) => {
      for (let i = 0; performance.now() < deadline; i++) {
        const t0 = performance.now();
        await call(caller, i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    ops: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

async function withDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const scratch = await createScratchDatabase(adminUrl, "bench_ledger");
  try {
    return await work(scratch.url);
  } finally {
    await scratch.drop();
  }
}

async function seed(db: Db): Promise<UserId[]> {
  await migrateToLatest(db);
  await ensurePlatformDefaults(db);
  await createBudget(db, { id: "bench", name: "benchmark escrow", kind: "escrow" });
  await fundBudget(db, "bench", 10n ** 12n * BASE_UNITS_PER_MICRO, "funding:bench");
  await db
    .insertInto("reward_rules")
    .values({
      action_kind: "bench.action",
      label: "benchmark actions",
      amount: (BASE_UNITS_PER_MICRO / 1000n).toString(),
      daily_cap: 1_000_000,
      per_target_daily_cap: null,
      hold_seconds: 86_400,
      budget_id: "bench",
    })
    .execute();
  const ids = Array.from({ length: userCount }, () => randomUUID());
  for (let i = 0; i < ids.length; i += 1000) {
    await db
      .insertInto("users")
      .values(
        ids.slice(i, i + 1000).map((id, j) => ({
          id,
          handle: `bench_${i + j}`,
          email: `bench_${i + j}@example.com`,
          display_name: `Bench ${i + j}`,
          password_hash: "x",
          created_at: new Date(Date.now() - 30 * 86_400_000),
          // Established, activated members: the common path, with no risk signal to record.
          email_verified_at: new Date(Date.now() - 30 * 86_400_000),
          activated_at: new Date(Date.now() - 30 * 86_400_000),
        })),
      )
      .execute();
  }
  return ids as UserId[];
}

/** `work`'s result with the CPU it cost this process and the database's backends, per operation. */
async function metered<T extends { run: Run }>(
  meter: CpuMeter | null,
  work: () => Promise<T>,
): Promise<T & { cpuUs: { node: number; db: number } | null }> {
  const before = await meter?.snapshot();
  const result = await work();
  if (!meter || !before) return { ...result, cpuUs: null };
  const spent = await meter.since(before);
  const perOp = (ms: number) => (ms * 1000) / result.run.ops;
  return { ...result, cpuUs: { node: perOp(spent.appMs), db: perOp(spent.dbMs) } };
}

async function baseline(url: string, round: number, meter: CpuMeter | null) {
  const pool = new pg.Pool({ connectionString: url, max: concurrency });
  const table = `bench_inserts_${round}`;
  await pool.query(`create table ${table} (id bigserial primary key, payload text not null)`);
  // Connections opened before the clock starts, as the engine's pool already is.
  const clients = await Promise.all(Array.from({ length: concurrency }, () => pool.connect()));
  clients.forEach((client) => client.release());
  // Metered before the pool closes: its backends' CPU is gone once they exit.
  const result = await metered(meter, async () => ({
    run: await drive(concurrency, async (caller, i) => {
      await pool.query(`insert into ${table} (payload) values ($1)`, [`${caller}:${i}`]);
    }),
  }));
  await pool.end();
  return result;
}

async function rewards(
  db: Db,
  users: UserId[],
  maxBatchSize: number,
  tag: string,
  meter: CpuMeter | null = null,
) {
  const engine = new RewardEngine(db, { maxBatchSize, maxInFlight: inFlight });
  const { run, cpuUs } = await metered(meter, async () => ({
    run: await drive(concurrency, async (caller, i) => {
      const result = await engine.reward({
        actionKind: "bench.action",
        userId: users[(caller * 7919 + i * 104729) % users.length]!,
        causeId: `${tag}:${caller}:${i}`,
        memo: "Benchmark action",
      });
      if (!result.ok || result.value.status === "refused") {
        throw new Error(
          `reward failed: ${JSON.stringify(result, (_k, v) => (typeof v === "bigint" ? v.toString() : v))}`,
        );
      }
    }),
  }));
  const meanBatch = engine.stats.rewards / Math.max(1, engine.stats.batches);
  return { run, meanBatch, cpuUs };
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const cpuText = (cpu: { node: number; db: number } | null) =>
  cpu ? `  CPU/op ${cpu.node.toFixed(0)} µs node + ${cpu.db.toFixed(0)} µs Postgres` : "";

await withDatabase(async (url) => {
  const db = createDb({ kind: "postgres", url, poolSize: 8 });
  const users = await seed(db);
  // This process's CPU (the engine, or the insert loop's driver) and its Postgres backends'.
  const meter = await CpuMeter.open(process.pid, url);
  console.log(
    `Postgres: ${adminUrl.replace(/\/\/[^@]*@/, "//")}; ${concurrency} concurrent callers; ${durationMs / 1000} s per run; ${rounds} rounds`,
  );

  // Warm up both paths once so neither pays for connection set-up or cold caches, then
  // give the planner statistics, as a live database has (autovacuum runs only every minute).
  await rewards(db, users, 256, "warmup");
  await sql`analyze`.execute(db);

  console.log("curve     max batch size → rewards/s (mean batch, p99)");
  const curve: { maxBatchSize: number; perSecond: number; meanBatch: number; p99: number }[] = [];
  for (const maxBatchSize of [1, 4, 16, 64, 256]) {
    const { run, meanBatch } = await rewards(db, users, maxBatchSize, `curve${maxBatchSize}`);
    curve.push({ maxBatchSize, perSecond: run.perSecond, meanBatch, p99: run.p99 });
    console.log(
      `          ${String(maxBatchSize).padStart(4)} → ${fmt(run.perSecond).padStart(7)} rewards/s  (mean batch ${meanBatch.toFixed(1)}, p99 ${run.p99.toFixed(2)} ms)`,
    );
  }

  // Baseline and value alternate, so a neighbour's load on this shared machine falls on
  // both alike; each figure is the median of its rounds.
  const bases: Awaited<ReturnType<typeof baseline>>[] = [];
  const mains: Awaited<ReturnType<typeof rewards>>[] = [];
  for (let round = 1; round <= rounds; round++) {
    const base = await baseline(url, round, meter);
    bases.push(base);
    console.log(
      `round ${round}   baseline single-row autocommit INSERT: ${fmt(base.run.perSecond)} inserts/s  p99 ${base.run.p99.toFixed(2)} ms${cpuText(base.cpuUs)}`,
    );
    const main = await rewards(db, users, 256, `main${round}`, meter);
    mains.push(main);
    console.log(
      `round ${round}   value full reward(): ${fmt(main.run.perSecond)} rewards/s  p99 ${main.run.p99.toFixed(2)} ms  (mean batch ${main.meanBatch.toFixed(1)})${cpuText(main.cpuUs)}`,
    );
  }
  const value = median(mains.map((m) => m.run.perSecond));
  const base = median(bases.map((b) => b.run.perSecond));
  const p99 = median(mains.map((m) => m.run.p99));
  const cpuOf = (runs: { cpuUs: { node: number; db: number } | null }[]) =>
    runs.every((r) => r.cpuUs) ? median(runs.map((r) => r.cpuUs!.node + r.cpuUs!.db)) : null;
  const baseCpu = cpuOf(bases);
  const mainCpu = cpuOf(mains);
  console.log(
    `value     ${fmt(value)} rewards/s (median of ${rounds}), p99 ${p99.toFixed(2)} ms${mainCpu ? `, ${mainCpu.toFixed(0)} µs CPU per reward` : ""}`,
  );
  console.log(
    `baseline  ${fmt(base)} inserts/s (median of ${rounds})${baseCpu ? `, ${baseCpu.toFixed(0)} µs CPU per insert` : ""}`,
  );
  console.log(`ratio     ${(value / base).toFixed(2)} (rewards/s ÷ inserts/s)`);
  if (baseCpu && mainCpu) {
    console.log(
      `          ${(baseCpu / mainCpu).toFixed(2)} by CPU (µs per insert ÷ µs per reward: the ratio when the machine is the limit)`,
    );
  }
  console.log(
    "limits    a batch costs 2 round trips (one read, one autocommit statement writing\n" +
      "          transfers, rewards, cap counters and balances, budget last, that checks\n" +
      "          itself), prepared once per connection; their fixed cost (the round trip,\n" +
      "          the commit's WAL flush) is shared by the batch, and each reward costs 4 row\n" +
      "          writes with their index entries. One batch is in flight, taking every\n" +
      "          waiting call (64 callers: batches of 64), so Node and Postgres take turns:\n" +
      "          rewards/s = callers / a batch's latency, which is mostly CPU on one core.",
  );
  await meter?.close();
  await db.destroy();
  const meanBatch = median(mains.map((m) => m.meanBatch));
  console.log(
    JSON.stringify({
      bench: "ledger",
      value: Math.round(value),
      unit: "rewards/s",
      baseline: Math.round(base),
      ratio: Number((value / base).toFixed(3)),
      p99_ms: Number(p99.toFixed(2)),
      cpu_us_per_reward: mainCpu === null ? null : Math.round(mainCpu),
      cpu_us_per_insert: baseCpu === null ? null : Math.round(baseCpu),
      cpu_ratio: baseCpu && mainCpu ? Number((baseCpu / mainCpu).toFixed(3)) : null,
      concurrency,
      rounds,
      mean_batch: Number(meanBatch.toFixed(1)),
      runs: mains.map((m, i) => ({
        rewards_per_s: Math.round(m.run.perSecond),
        inserts_per_s: Math.round(bases[i]!.run.perSecond),
      })),
      curve: curve.map((c) => ({
        max_batch: c.maxBatchSize,
        rewards_per_s: Math.round(c.perSecond),
        mean_batch: Number(c.meanBatch.toFixed(1)),
      })),
    }),
  );
});
