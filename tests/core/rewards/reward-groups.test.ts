import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { RewardEngine } from "#core/rewards/reward-engine.ts";
import { getRewardByKey } from "#core/rewards/reward-queries.ts";
import {
  appealRewardGroup,
  listHeldRewardGroups,
  listRecentAppealDecisions,
  REWARDS_PER_GROUP,
} from "#core/rewards/reward-groups.ts";
import { createUser } from "#tests/support/factories.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";

const POST = 5n * 10n ** 15n;
const LIKE = 10n ** 15n;

describe.each(testBackends())("held reward groups on %s", (backend) => {
  let testDb: TestDb;
  let engine: RewardEngine;
  beforeAll(async () => {
    testDb = await openTestDb(backend);
    engine = new RewardEngine(testDb.db);
  });
  afterAll(() => testDb.close());

  /** A member; an established one is activated, so their posts wait out the hold only. */
  async function member(options: { isEstablished: boolean }): Promise<UserId> {
    const { user } = await createUser(testDb.db);
    if (options.isEstablished) {
      await testDb.db
        .updateTable("users")
        .set({ created_at: new Date(Date.now() - 30 * 86_400_000), activated_at: new Date() })
        .where("id", "=", user.id)
        .execute();
    }
    return user.id;
  }

  async function pay(userId: UserId, actionKind: string, causeId: string, targetKey?: string) {
    const result = await engine.reward({
      actionKind,
      userId,
      causeId: `${causeId}-${userId}`,
      targetKey: targetKey ?? null,
      memo: `${actionKind} ${causeId}`,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    return result.value;
  }

  it("twelve posts and two likes from one liker make three lines: a cap refusal, a refused like and a timed hold", async () => {
    const userId = await member({ isEstablished: true });
    for (let i = 0; i < 12; i++) await pay(userId, "post.created", `post-${i}`);
    await pay(userId, "like.received", "like-a", "liker-1");
    await pay(userId, "like.received", "like-b", "liker-1");

    const groups = await listHeldRewardGroups(testDb.db, userId);
    expect(
      groups.map((g) => ({
        key: g.key,
        count: g.count,
        total: g.total,
        isAppealable: g.isAppealable,
        unappealed: g.unappealedCount,
      })),
    ).toEqual([
      // A person decides refusals, so they come first; then the hold that ends by itself.
      {
        key: "refused:target_cap",
        count: 1,
        total: LIKE,
        isAppealable: true,
        unappealed: 1,
      },
      { key: "refused:daily_cap", count: 2, total: 2n * POST, isAppealable: true, unappealed: 2 },
      {
        key: "held:hold_period",
        count: 11,
        total: 10n * POST + LIKE,
        isAppealable: false,
        unappealed: 11,
      },
    ]);
    const held = groups.find((g) => g.key === "held:hold_period")!;
    expect(held.earliestRelease).toBeInstanceOf(Date);
    expect(held.earliestRelease!.getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    expect(held.rewards).toHaveLength(REWARDS_PER_GROUP);
    expect(held.rewards[0]!.memo).toBe("like.received like-a");
    expect(groups.find((g) => g.key === "refused:daily_cap")!.earliestRelease).toBeNull();
  });

  it("one appeal opens an appeal for every unappealed reward of the group, once, in the admin's queue", async () => {
    const userId = await member({ isEstablished: false });
    for (let i = 0; i < 4; i++) await pay(userId, "post.created", `review-${i}`);
    let [group] = await listHeldRewardGroups(testDb.db, userId);
    expect(group).toMatchObject({ key: "held:risk_review", count: 4, isAppealable: true });
    expect(group!.earliestRelease).toBeNull();

    const first = await appealRewardGroup(testDb.db, userId, "held:risk_review", "  I am real. ");
    expect(first).toEqual({ ok: true, value: { key: "held:risk_review", appealedCount: 4 } });
    const retry = await appealRewardGroup(testDb.db, userId, "held:risk_review", "I am real.");
    expect(retry).toEqual({ ok: true, value: { key: "held:risk_review", appealedCount: 0 } });

    for (let i = 0; i < 4; i++) {
      const reward = await getRewardByKey(testDb.db, `post.created:review-${i}-${userId}`);
      expect(reward!.appeal).toMatchObject({ status: "open", message: "I am real." });
    }
    [group] = await listHeldRewardGroups(testDb.db, userId);
    expect(group).toMatchObject({
      unappealedCount: 0,
      openAppealCount: 4,
      latestAppealMessage: "I am real.",
    });

    // A reward held after the appeal is the only one the next appeal covers.
    await pay(userId, "post.created", "review-late");
    const late = await appealRewardGroup(testDb.db, userId, "held:risk_review", "This one too.");
    expect(late.ok && late.value.appealedCount).toBe(1);
  });

  it("racing group appeals open each reward's appeal exactly once", async () => {
    const userId = await member({ isEstablished: false });
    for (let i = 0; i < 5; i++) await pay(userId, "post.created", `race-${i}`);
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        appealRewardGroup(testDb.db, userId, "held:risk_review", "Please review these."),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.reduce((sum, r) => sum + (r.ok ? r.value.appealedCount : 0), 0)).toBe(5);
  });

  it("another user's group, an unknown key and a timed hold are refused and change nothing", async () => {
    const owner = await member({ isEstablished: false });
    const stranger = await member({ isEstablished: false });
    await pay(owner, "post.created", "mine");
    expect(await appealRewardGroup(testDb.db, stranger, "held:risk_review", "Give me it.")).toEqual(
      {
        ok: false,
        error: { code: "not_found", message: "No such group of rewards in your wallet." },
      },
    );
    expect(
      (await appealRewardGroup(testDb.db, owner, "held:risk_review'; drop", "Hello there")).ok,
    ).toBe(false);
    const short = await appealRewardGroup(testDb.db, owner, "held:risk_review", "hm");
    expect(!short.ok && short.error.code).toBe("invalid_message");
    expect((await getRewardByKey(testDb.db, `post.created:mine-${owner}`))!.appeal).toBeNull();

    const settled = await member({ isEstablished: true });
    await pay(settled, "post.created", "timed");
    const timed = await appealRewardGroup(testDb.db, settled, "held:hold_period", "Release it now");
    expect(!timed.ok && timed.error.code).toBe("not_appealable");
    expect((await getRewardByKey(testDb.db, `post.created:timed-${settled}`))!.appeal).toBeNull();
  });

  it("decisions on a group's appeals read as one line per outcome and reason", async () => {
    const userId = await member({ isEstablished: false });
    const admin = await member({ isEstablished: true });
    for (let i = 0; i < 3; i++) await pay(userId, "post.created", `decided-${i}`);
    await appealRewardGroup(testDb.db, userId, "held:risk_review", "I am new here.");
    // The admin's decisions as decideAppeal records them (its own tests cover the payment).
    for (let i = 0; i < 3; i++) {
      const reward = await getRewardByKey(testDb.db, `post.created:decided-${i}-${userId}`);
      const isApproved = i < 2;
      await testDb.db
        .updateTable("reward_appeals")
        .set({
          status: isApproved ? "approved" : "denied",
          decision_reason: isApproved ? "Welcome aboard." : "Too fast.",
          decided_by: admin,
          decided_at: new Date(Date.now() + i * 1000),
        })
        .where("reward_id", "=", reward!.id)
        .execute();
      if (isApproved) {
        await testDb.db
          .updateTable("rewards")
          .set({ status: "available", reason_code: "appeal_approved", reason: "Welcome aboard." })
          .where("id", "=", reward!.id)
          .execute();
      }
    }
    const lines = await listRecentAppealDecisions(testDb.db, userId);
    expect(
      lines.map(({ status, decisionReason, count, total }) => [
        status,
        decisionReason,
        count,
        total,
      ]),
    ).toEqual([
      ["denied", "Too fast.", 1, POST],
      ["approved", "Welcome aboard.", 2, 2n * POST],
    ]);
    const [group] = await listHeldRewardGroups(testDb.db, userId);
    expect(group).toMatchObject({
      count: 1,
      deniedAppealCount: 1,
      latestDenialReason: "Too fast.",
    });
  });
});
