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
import { BASE_UNITS_PER_MICRO } from "#core/ledger/amount.ts";
import { ensurePlatformDefaults } from "#core/rewards/platform-defaults.ts";
import { RewardEngine } from "#core/rewards/reward-engine.ts";
import { createBudget, fundBudget } from "#core/rewards/reward.service.ts";
import { createDb, type Db } from "#db/create-db.ts";
import { migrateToLatest } from "#db/migrate.ts";
import { createScratchDatabase } from "#tests/support/scratch-database.ts";

const adminUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/test";
const durationMs = Number(process.env.BENCH_SECONDS ?? 5) * 1000;
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 64);
const userCount = 5000;
const inFlight = Number(process.env.BENCH_IN_FLIGHT ?? 2);

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
        })),
      )
      .execute();
  }
  return ids as UserId[];
}

async function baseline(url: string): Promise<Run> {
  const pool = new pg.Pool({ connectionString: url, max: concurrency });
  await pool.query("create table bench_inserts (id bigserial primary key, payload text not null)");
  const run = await drive(concurrency, async (caller, i) => {
    await pool.query("insert into bench_inserts (payload) values ($1)", [`${caller}:${i}`]);
  });
  await pool.end();
  return run;
}

async function rewards(db: Db, users: UserId[], maxBatchSize: number, tag: string) {
  const engine = new RewardEngine(db, { maxBatchSize, maxInFlight: inFlight });
  const run = await drive(concurrency, async (caller, i) => {
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
  });
  const meanBatch = engine.stats.rewards / Math.max(1, engine.stats.batches);
  return { run, meanBatch };
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

await withDatabase(async (url) => {
  const db = createDb({ kind: "postgres", url, poolSize: 8 });
  const users = await seed(db);
  console.log(
    `Postgres: ${adminUrl.replace(/\/\/[^@]*@/, "//")}; ${concurrency} concurrent callers; ${durationMs / 1000} s per run`,
  );

  // Warm up both paths once so neither pays for connection set-up or cold caches, then
  // give the planner statistics, as a live database has (autovacuum runs only every minute).
  await rewards(db, users, 256, "warmup");
  await sql`analyze`.execute(db);

  const base = await baseline(url);
  console.log(
    `baseline  single-row autocommit INSERT: ${fmt(base.perSecond)} inserts/s  p50 ${base.p50.toFixed(2)} ms  p99 ${base.p99.toFixed(2)} ms`,
  );

  console.log("curve     max batch size → rewards/s (mean batch, p99)");
  const curve: { maxBatchSize: number; perSecond: number; meanBatch: number; p99: number }[] = [];
  for (const maxBatchSize of [1, 4, 16, 64, 256]) {
    const { run, meanBatch } = await rewards(db, users, maxBatchSize, `curve${maxBatchSize}`);
    curve.push({ maxBatchSize, perSecond: run.perSecond, meanBatch, p99: run.p99 });
    console.log(
      `          ${String(maxBatchSize).padStart(4)} → ${fmt(run.perSecond).padStart(7)} rewards/s  (mean batch ${meanBatch.toFixed(1)}, p99 ${run.p99.toFixed(2)} ms)`,
    );
  }

  const { run: main, meanBatch } = await rewards(db, users, 256, "main");
  console.log(
    `value     full reward(): ${fmt(main.perSecond)} rewards/s  p50 ${main.p50.toFixed(2)} ms  p99 ${main.p99.toFixed(2)} ms  (mean batch ${meanBatch.toFixed(1)})`,
  );
  console.log(`ratio     ${(main.perSecond / base.perSecond).toFixed(2)} (rewards/s ÷ inserts/s)`);
  console.log(
    "limits    each batch costs 6 round trips (begin, one read, one write of transfers + rewards +\n" +
      "          counters, users' balances, the budget row, commit) and each reward 4 row writes with\n" +
      "          their index entries, on 2 cores shared with Postgres; the budget row is locked only\n" +
      "          for its update and the commit. Throughput grows with batch size until the callers\n" +
      "          (64) are all in two batches in flight; more in flight makes batches smaller.",
  );
  await db.destroy();
  console.log(
    JSON.stringify({
      bench: "ledger",
      value: Math.round(main.perSecond),
      unit: "rewards/s",
      baseline: Math.round(base.perSecond),
      ratio: Number((main.perSecond / base.perSecond).toFixed(3)),
      p99_ms: Number(main.p99.toFixed(2)),
      concurrency,
      mean_batch: Number(meanBatch.toFixed(1)),
      curve: curve.map((c) => ({
        max_batch: c.maxBatchSize,
        rewards_per_s: Math.round(c.perSecond),
        mean_batch: Number(c.meanBatch.toFixed(1)),
      })),
    }),
  );
});
