import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { LedgerError } from "#core/ledger/ledger-error.ts";
import { transfer, type TransferResult } from "#core/ledger/transfers.service.ts";
import { formatLedgerReport, verifyLedger } from "#core/ledger/verify-ledger.ts";
import { RewardEngine } from "#core/rewards/reward-engine.ts";
import {
  createBudget,
  fundBudget,
  releaseMaturedRewards,
  reverseReward,
} from "#core/rewards/reward.service.ts";
import type { RewardOutcome } from "#core/rewards/reward-types.ts";
import type { Db } from "#db/create-db.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";
import { accountByCode, accountsOf, DAY_MS, insertUsers, MICRO } from "./ledger-helpers.ts";

/**
 * Several app instances on one Postgres: four RewardEngines (each batching on its own)
 * share a pool of 20 connections. PGlite has one connection and serialises everything,
 * so these races only exist on a real server: the suite runs on Postgres only.
 */
const onPostgres = testBackends().includes("postgres");
const title = onPostgres
  ? "ledger concurrency on Postgres (4 engines, 20 connections)"
  : "ledger concurrency on Postgres — skipped: TEST_DATABASE_URL is not set (CI sets it)";

describe.skipIf(!onPostgres)(title, () => {
  let testDb: TestDb;
  let db: Db;
  const now = new Date();
  let engines: RewardEngine[];

  beforeAll(async () => {
    testDb = await openTestDb("postgres", { poolSize: 20 });
    db = testDb.db;
    engines = Array.from({ length: 4 }, () => new RewardEngine(db, { now: () => now }));
  });
  afterAll(() => testDb?.close());
  afterEach(async () => {
    const report = await verifyLedger(db);
    if (!report.ok) throw new Error(formatLedgerReport(report));
  });

  async function addRule(actionKind: string, budgetId: string, amount: bigint, holdSeconds = 0) {
    await db
      .insertInto("reward_rules")
      .values({
        action_kind: actionKind,
        label: actionKind,
        amount,
        daily_cap: null,
        per_target_daily_cap: null,
        hold_seconds: holdSeconds,
        budget_id: budgetId,
      })
      .execute();
  }

  function unwrap(results: Awaited<ReturnType<RewardEngine["reward"]>>[]): RewardOutcome[] {
    return results.map((r) => {
      if (!r.ok) throw new Error(`reward failed: ${r.error.code} ${r.error.message}`);
      return r.value;
    });
  }

  it("200 parallel duplicates of one reward across 4 engines: exactly one reward and one transfer", async () => {
    const [userId] = (await insertUsers(db, 1, { now })) as [UserId];
    const request = {
      actionKind: "comment.created",
      userId,
      causeId: `dup-${userId}`,
      memo: "You commented",
    };
    const outcomes = unwrap(
      await Promise.all(Array.from({ length: 200 }, (_, i) => engines[i % 4]!.reward(request))),
    );
    expect(new Set(outcomes.map((o) => o.rewardId)).size).toBe(1);
    expect(outcomes.filter((o) => !o.isReplay)).toHaveLength(1);
    expect(new Set(outcomes.map((o) => o.status))).toEqual(new Set(["held"]));

    const key = `comment.created:dup-${userId}`;
    const rewards = await db
      .selectFrom("rewards")
      .select("id")
      .where("idempotency_key", "=", key)
      .execute();
    expect(rewards).toHaveLength(1);
    const wallet = await accountByCode(db, `user:${userId}:wallet`);
    const { rows } = await sql<{ n: string }>`
      select count(*)::text as n from ledger_transfers
      where credit_account_id = ${String(wallet.id)}::bigint`.execute(db);
    expect(Number(rows[0]!.n)).toBe(1);
    expect(wallet.creditsPending).toBe(outcomes[0]!.amount);
  });

  it("500 concurrent rewards for different users from 4 engines against a small escrow: exactly floor(budget/amount) granted, the rest refused as budget_exhausted", async () => {
    const amount = 3n * MICRO;
    const funded = 100n * MICRO;
    await createBudget(db, { id: "tiny-escrow", name: "tiny sponsor escrow", kind: "escrow" });
    await fundBudget(db, "tiny-escrow", funded, "funding:tiny-escrow");
    await addRule("tiny.task", "tiny-escrow", amount);
    const users = await insertUsers(db, 500, { now });

    const outcomes = unwrap(
      await Promise.all(
        users.map((userId, i) =>
          engines[i % 4]!.reward({
            actionKind: "tiny.task",
            userId,
            causeId: `task-${userId}`,
            memo: "Task done",
          }),
        ),
      ),
    );
    const granted = outcomes.filter((o) => o.status !== "refused");
    const refused = outcomes.filter((o) => o.status === "refused");
    expect(granted).toHaveLength(Number(funded / amount)); // 33
    expect(refused).toHaveLength(500 - Number(funded / amount));
    for (const o of refused) {
      expect(o.reason).toEqual({
        code: "budget_exhausted",
        message: "The tiny sponsor escrow has run out.",
      });
    }
    const budget = await accountByCode(db, "budget:tiny-escrow");
    const paid = budget.debitsPosted + budget.debitsPending;
    expect(paid).toBe(granted.reduce((s, o) => s + o.amount, 0n));
    expect(paid).toBeLessThanOrEqual(funded);
    expect(budget.creditsPosted - paid).toBe(funded % amount);
  }, 120_000);

  it("a daily emission budget is topped up exactly once when 4 engines start the day together, and pays exactly its daily amount", async () => {
    await createBudget(db, {
      id: "conc-daily",
      name: "concurrent daily budget",
      kind: "daily_emission",
      dailyAmount: 10n * MICRO,
    });
    await addRule("daily.task", "conc-daily", MICRO);
    const users = await insertUsers(db, 100, { now });
    const outcomes = unwrap(
      await Promise.all(
        users.map((userId, i) =>
          engines[i % 4]!.reward({
            actionKind: "daily.task",
            userId,
            causeId: `daily-${userId}`,
            memo: "Daily task",
          }),
        ),
      ),
    );
    expect(outcomes.filter((o) => o.status !== "refused")).toHaveLength(10);
    expect(
      outcomes.filter((o) => o.status === "refused" && o.reason?.code === "budget_exhausted"),
    ).toHaveLength(90);
    const budget = await accountByCode(db, "budget:conc-daily");
    expect(budget.creditsPosted).toBe(10n * MICRO);
    const emissions = await db
      .selectFrom("ledger_transfers")
      .select(["idempotency_key", "amount"])
      .where("credit_account_id", "=", budget.id)
      .execute();
    expect(emissions).toEqual([
      {
        idempotency_key: `emission:conc-daily:${now.toISOString().slice(0, 10)}`,
        amount: String(10n * MICRO),
      },
    ]);
  }, 60_000);

  it("daily and per-target caps hold when 4 engines reward one user at once", async () => {
    await db
      .insertInto("reward_rules")
      .values({
        action_kind: "capped.task",
        label: "capped tasks",
        amount: 10n ** 15n,
        daily_cap: 7,
        per_target_daily_cap: 2,
        hold_seconds: 0,
        budget_id: "platform",
      })
      .execute();
    // `targets` sources, at most 2 each: with 5 the daily cap (7) binds, with 3 the
    // per-target cap does (6).
    for (const [targets, expected, reason] of [
      [5, 7, "daily_cap"],
      [3, 6, "target_cap"],
    ] as const) {
      const [userId] = (await insertUsers(db, 1, { now })) as [UserId];
      const outcomes = unwrap(
        await Promise.all(
          Array.from({ length: 120 }, (_, i) =>
            engines[i % 4]!.reward({
              actionKind: "capped.task",
              userId,
              causeId: `capped-${userId}-${i}`,
              targetKey: `target-${i % targets}`,
              memo: "Capped",
            }),
          ),
        ),
      );
      const granted = outcomes.filter((o) => o.status !== "refused");
      expect(granted).toHaveLength(expected);
      const perTarget = new Map<number, number>();
      for (const o of granted) {
        const target = Number(o.key.split("-").at(-1)) % targets;
        perTarget.set(target, (perTarget.get(target) ?? 0) + 1);
      }
      expect(Math.max(...perTarget.values())).toBe(2);
      const refusedWith = new Set(
        outcomes.filter((o) => o.status === "refused").map((o) => o.reason?.code),
      );
      expect(refusedWith.has(reason)).toBe(true);
      const wallet = await accountByCode(db, `user:${userId}:wallet`);
      expect(wallet.creditsPosted).toBe(BigInt(expected) * 10n ** 15n);
    }
  }, 60_000);

  it("racing transfer() spends from one account never overdraw it", async () => {
    const [userId] = (await insertUsers(db, 1, { now })) as [UserId];
    const ids = await accountsOf(db, userId);
    await transfer(db, {
      phase: "single",
      key: `fund:${userId}`,
      debitAccountId: ids.mint,
      creditAccountId: ids.wallet,
      amount: 50n,
      kind: "test_funding",
    });
    const attempts = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        transfer(db, {
          phase: i % 4 === 0 ? "pending" : "single",
          key: `spend:${userId}:${i}`,
          debitAccountId: ids.wallet,
          creditAccountId: i % 2 === 0 ? ids.invested : ids.settled,
          amount: 1n,
          kind: "invest",
        }),
      ),
    );
    const won = attempts.filter(
      (a): a is PromiseFulfilledResult<TransferResult> => a.status === "fulfilled",
    );
    const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === "rejected");
    expect(won).toHaveLength(50);
    for (const a of lost) {
      expect(a.reason).toBeInstanceOf(LedgerError);
      expect(a.reason).toMatchObject({ code: "insufficient_funds" });
    }
    const wallet = await accountByCode(db, `user:${userId}:wallet`);
    expect(wallet.debitsPosted + wallet.debitsPending).toBe(50n);
    expect(wallet.creditsPosted).toBe(50n);
  }, 60_000);

  it("transfers crossing between accounts in both directions neither deadlock nor lose money", async () => {
    const users = await insertUsers(db, 8, { now });
    const wallets: bigint[] = [];
    for (const userId of users) {
      const ids = await accountsOf(db, userId);
      wallets.push(ids.wallet);
      await transfer(db, {
        phase: "single",
        key: `fund:${userId}`,
        debitAccountId: ids.mint,
        creditAccountId: ids.wallet,
        amount: 20n,
        kind: "test_funding",
      });
    }
    const attempts = await Promise.allSettled(
      Array.from({ length: 400 }, (_, i) => {
        const from = wallets[i % 8]!;
        const to = wallets[(i * 5 + 3) % 8]!;
        return transfer(db, {
          phase: "single",
          key: `cross:${users[0]}:${i}`,
          debitAccountId: from,
          creditAccountId: to === from ? wallets[(i + 1) % 8]! : to,
          amount: BigInt(1 + (i % 7)),
          kind: "gift",
        });
      }),
    );
    for (const a of attempts) {
      if (a.status === "rejected") expect(a.reason).toMatchObject({ code: "insufficient_funds" });
    }
    expect(attempts.filter((a) => a.status === "fulfilled").length).toBeGreaterThan(100);
    const { rows } = await sql<{ total: string; min: string }>`
      select sum(credits_posted - debits_posted - debits_pending)::text as total,
             min(credits_posted - debits_posted - debits_pending)::text as min
      from ledger_accounts
      where id = any(${sql.val(wallets.map(String))}::bigint[])`.execute(db);
    expect(BigInt(rows[0]!.total)).toBe(8n * 20n);
    expect(BigInt(rows[0]!.min)).toBeGreaterThanOrEqual(0n);
  }, 60_000);

  it("3 concurrent releaseMaturedRewards callers (and reversals racing them) resolve each held reward exactly once", async () => {
    const users = await insertUsers(db, 150, { now });
    await addRule("slow.task", "platform", 7n * 10n ** 15n, 86_400);
    const outcomes = unwrap(
      await Promise.all(
        users.flatMap((userId, i) =>
          [1, 2].map((n) =>
            engines[(i + n) % 4]!.reward({
              actionKind: "slow.task",
              userId,
              causeId: `slow-${n}-${userId}`,
              memo: "Slow task",
            }),
          ),
        ),
      ),
    );
    expect(outcomes.filter((o) => o.status === "held")).toHaveLength(300);

    const later = new Date(now.getTime() + 2 * DAY_MS);
    const released: RewardOutcome[][] = [[], [], []];
    const releaser = async (i: number) => {
      for (;;) {
        const batch = await releaseMaturedRewards(db, later, 20);
        if (batch.length === 0) return;
        released[i]!.push(...batch);
      }
    };
    const toReverse = outcomes.filter((_, i) => i % 6 === 0);
    const [, , , reversals] = await Promise.all([
      releaser(0),
      releaser(1),
      releaser(2),
      Promise.all(toReverse.map((o) => reverseReward(db, o.key))),
    ]);

    // (Earlier tests' held rewards mature too; only this test's are counted.)
    const releasedIds = released
      .flat()
      .filter((o) => o.actionKind === "slow.task")
      .map((o) => o.rewardId);
    expect(new Set(releasedIds).size).toBe(releasedIds.length); // nobody released one twice
    const reversedIds = reversals.flatMap((r) =>
      r.ok && r.value.status === "reversed" ? [r.value.rewardId] : [],
    );
    for (const r of reversals) {
      if (!r.ok) expect(r.error.code).toBe("already_released");
    }
    // Every reward was either released or reversed, never both, never neither.
    expect(releasedIds.filter((id) => reversedIds.includes(id))).toEqual([]);
    expect(new Set([...releasedIds, ...reversedIds])).toEqual(
      new Set(outcomes.map((o) => o.rewardId)),
    );
    const { rows } = await sql<{ phase: string; n: string }>`
      select t.phase, count(*)::text as n
      from rewards r join ledger_transfers t on t.pending_id = r.transfer_id
      where r.action_kind = 'slow.task'
      group by t.phase order by t.phase`.execute(db);
    expect(rows).toEqual([
      { phase: "post", n: String(releasedIds.length) },
      { phase: "void", n: String(reversedIds.length) },
    ]);
    const held = await db
      .selectFrom("rewards")
      .select("id")
      .where("action_kind", "=", "slow.task")
      .where("status", "=", "held")
      .execute();
    expect(held).toEqual([]);
  }, 120_000);

  it("verifyLedger reads one consistent snapshot: it stays clean while rewards, releases and reversals are being written", async () => {
    const users = await insertUsers(db, 200, { now });
    await addRule("busy.task", "platform", 10n ** 15n, 86_400);
    let writing = true;
    const reports: boolean[] = [];
    const verifier = (async () => {
      while (writing) {
        const report = await verifyLedger(db);
        if (!report.ok) throw new Error(formatLedgerReport(report));
        reports.push(report.ok);
      }
    })();
    try {
      for (let round = 0; round < 4; round++) {
        const slice = users.slice(round * 50, round * 50 + 50);
        const outcomes = unwrap(
          await Promise.all(
            slice.map((userId, i) =>
              engines[i % 4]!.reward({
                actionKind: "busy.task",
                userId,
                causeId: `busy-${userId}`,
                memo: "Busy",
              }),
            ),
          ),
        );
        await Promise.all([
          releaseMaturedRewards(db, new Date(now.getTime() + 2 * DAY_MS), 10),
          ...outcomes.filter((_, i) => i % 5 === 0).map((o) => reverseReward(db, o.key)),
        ]);
      }
    } finally {
      writing = false;
    }
    await verifier;
    expect(reports.length).toBeGreaterThan(0);
  }, 120_000);
});
