import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { RewardEngine } from "#core/rewards/reward-engine.ts";
import {
  releaseMaturedRewards,
  reverseReward,
  updateRewardRule,
} from "#core/rewards/reward.service.ts";
import { getWalletSummary, listWalletEntries } from "#core/wallet/wallet.service.ts";
import { createUser } from "#tests/support/factories.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";

const MICRO = 10n ** 18n;

async function oldUser(db: TestDb["db"]): Promise<UserId> {
  const { user } = await createUser(db);
  await db
    .updateTable("users")
    // An established member: a newcomer's posts wait for activation (core/integrity).
    .set({ created_at: new Date(Date.now() - 30 * 86_400_000), activated_at: new Date() })
    .where("id", "=", user.id)
    .execute();
  return user.id;
}

async function ledgerSums(db: TestDb["db"]) {
  const { rows } = await sql<{ posted: string; pending: string }>`
    select coalesce(sum(credits_posted - debits_posted), 0) as posted,
           coalesce(sum(credits_pending - debits_pending), 0) as pending
    from ledger_accounts`.execute(db);
  return { posted: BigInt(rows[0]!.posted), pending: BigInt(rows[0]!.pending) };
}

describe.each(testBackends())("reward engine on %s", (backend) => {
  let testDb: TestDb;
  let engine: RewardEngine;
  beforeAll(async () => {
    testDb = await openTestDb(backend, { poolSize: 20 });
    engine = new RewardEngine(testDb.db);
  });
  afterAll(() => testDb.close());

  it("a held reward shows as pending with its unlock time, then becomes available on release", async () => {
    const userId = await oldUser(testDb.db);
    const result = await engine.reward({
      actionKind: "post.created",
      userId,
      causeId: `post-${userId}`,
      memo: "You posted",
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.status).toBe("held");
    expect(result.value.amount).toBe(5n * 10n ** 15n);
    expect(result.value.reason?.code).toBe("hold_period");
    let wallet = await getWalletSummary(testDb.db, userId);
    expect(wallet).toMatchObject({ available: 0n, pending: 5n * 10n ** 15n });
    expect(wallet.nextUnlockAt?.getTime()).toBe(result.value.holdUntil?.getTime());

    const released = await releaseMaturedRewards(testDb.db, new Date(Date.now() + 2 * 86_400_000));
    expect(released.map((r) => r.rewardId)).toContain(result.value.rewardId);
    wallet = await getWalletSummary(testDb.db, userId);
    expect(wallet).toMatchObject({ available: 5n * 10n ** 15n, pending: 0n, nextUnlockAt: null });
    const entries = await listWalletEntries(testDb.db, userId, { limit: 10 });
    expect(entries.map((e) => e.memo)).toEqual([
      "Moved from pending to available: You posted",
      "You posted (on hold)",
    ]);
    expect(await ledgerSums(testDb.db)).toEqual({ posted: 0n, pending: 0n });
  });

  it("a replay returns the original reward and pays once; 50 racing duplicates produce one transfer", async () => {
    const userId = await oldUser(testDb.db);
    const request = {
      actionKind: "comment.created",
      userId,
      causeId: `c-${userId}`,
      memo: "You commented",
    };
    const results = await Promise.all(Array.from({ length: 50 }, () => engine.reward(request)));
    const ids = new Set(results.map((r) => (r.ok ? r.value.rewardId : null)));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.ok && !r.value.isReplay)).toHaveLength(1);
    const again = await engine.reward(request);
    expect(again.ok && again.value.isReplay).toBe(true);
    const transfers = await testDb.db
      .selectFrom("ledger_transfers")
      .select("id")
      .where("idempotency_key", "=", `reward:comment.created:c-${userId}`)
      .execute();
    expect(transfers).toHaveLength(1);
  });

  it("the daily cap refuses with words the user sees; a newcomer's check-in pays at once and what it earns past the allowance waits for activation", async () => {
    const userId = await oldUser(testDb.db);
    const first = await engine.reward({
      actionKind: "checkin.daily",
      userId,
      causeId: `a-${userId}`,
      memo: "Check-in",
    });
    const second = await engine.reward({
      actionKind: "checkin.daily",
      userId,
      causeId: `b-${userId}`,
      memo: "Check-in",
    });
    expect(first.ok && first.value.status).toBe("available");
    expect(second.ok && second.value.status).toBe("refused");
    expect(second.ok && second.value.reason).toEqual({
      code: "daily_cap",
      message: "Daily cap for daily check-ins reached — resets at 00:00 UTC.",
    });

    const { user: newcomer } = await createUser(testDb.db);
    const paid = await engine.reward({
      actionKind: "checkin.daily",
      userId: newcomer.id,
      causeId: `n-${newcomer.id}`,
      memo: "Check-in",
    });
    expect(paid.ok && paid.value).toMatchObject({ status: "available", reason: null });
    const held = await engine.reward({
      actionKind: "post.created",
      userId: newcomer.id,
      causeId: `p-${newcomer.id}`,
      memo: "You posted",
    });
    expect(held.ok && held.value.status).toBe("held");
    expect(held.ok && held.value.reason?.code).toBe("risk_review");
    expect(held.ok && held.value.reason?.message).toMatch(/^Held until your account is activated/);
    const signals = await testDb.db
      .selectFrom("reward_risk_signals")
      .select(["code", "message", "cleared_at"])
      .where("reward_id", "=", held.ok ? held.value.rewardId : 0n)
      .execute();
    expect(signals).toEqual([
      { code: "not_activated", message: held.ok && held.value.reason?.message, cleared_at: null },
    ]);
  });

  it("reversing a held reward voids it and never drives a balance negative; a released one cannot be undone", async () => {
    const userId = await oldUser(testDb.db);
    const held = await engine.reward({
      actionKind: "like.received",
      userId,
      causeId: `like-${userId}`,
      targetKey: "liker",
      memo: "Ada liked your post",
    });
    expect(held.ok && held.value.status).toBe("held");
    const reversed = await reverseReward(testDb.db, `like.received:like-${userId}`);
    expect(reversed.ok && reversed.value.status).toBe("reversed");
    expect(await getWalletSummary(testDb.db, userId)).toMatchObject({ available: 0n, pending: 0n });
    const twice = await reverseReward(testDb.db, `like.received:like-${userId}`);
    expect(twice.ok && twice.value.status).toBe("reversed");

    const other = await engine.reward({
      actionKind: "checkin.daily",
      userId,
      causeId: `x-${userId}`,
      memo: "Check-in",
    });
    expect(other.ok && other.value.status).toBe("available");
    const refused = await reverseReward(testDb.db, `checkin.daily:x-${userId}`);
    expect(!refused.ok && refused.error.code).toBe("already_released");
  });

  it("a budget running dry mid-burst pays exactly what it holds and refuses the rest with a reason", async () => {
    const admin = await oldUser(testDb.db);
    // The games budget holds 50,000 MICRO; make each achievement cost 20,000.
    await updateRewardRule(testDb.db, admin, "game.achievement", {
      amount: 20_000n * MICRO,
      dailyCap: 100,
    });
    const users = await Promise.all(Array.from({ length: 5 }, () => oldUser(testDb.db)));
    const results = await Promise.all(
      users.map((userId, i) =>
        engine.reward({
          actionKind: "game.achievement",
          userId,
          causeId: `run-${i}-${userId}`,
          memo: "Achievement",
        }),
      ),
    );
    const statuses = results.map((r) => (r.ok ? r.value.status : "error"));
    expect(statuses.filter((s) => s === "held")).toHaveLength(2);
    expect(statuses.filter((s) => s === "refused")).toHaveLength(3);
    const refused = results.find((r) => r.ok && r.value.status === "refused");
    expect(refused?.ok && refused.value.reason?.message).toBe(
      "The games achievement budget has run out.",
    );
  });

  it("unknown kinds and malformed requests are clear errors that write nothing", async () => {
    const userId = await oldUser(testDb.db);
    const before = await testDb.db
      .selectFrom("rewards")
      .select((eb) => eb.fn.countAll<bigint>().as("n"))
      .executeTakeFirstOrThrow();
    const unknown = await engine.reward({
      actionKind: "nope.nothing",
      userId,
      causeId: "1",
      memo: "x",
    });
    expect(!unknown.ok && unknown.error.code).toBe("unknown_action");
    const badUser = await engine.reward({
      actionKind: "post.created",
      userId: "not-a-uuid" as UserId,
      causeId: "1",
      memo: "x",
    });
    expect(!badUser.ok && badUser.error.code).toBe("invalid_request");
    const missing = await engine.reward({
      actionKind: "post.created",
      userId: "00000000-0000-4000-8000-000000000000" as UserId,
      causeId: "1",
      memo: "x",
    });
    expect(!missing.ok && missing.error.code).toBe("unknown_user");
    const longMemo = await engine.reward({
      actionKind: "post.created",
      userId,
      causeId: "1",
      memo: "x".repeat(201),
    });
    expect(!longMemo.ok && longMemo.error.code).toBe("invalid_request");
    const after = await testDb.db
      .selectFrom("rewards")
      .select((eb) => eb.fn.countAll<bigint>().as("n"))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});
