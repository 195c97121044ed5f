import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import {
  foldAllRewards,
  foldRewards,
  readUserTotals,
  recomputeXpFromRewards,
} from "#core/gamification/activity.repository.ts";
import { levelForXp, levelProgress, xpToReachLevel } from "#core/gamification/levels.ts";
import { postCapBonus } from "#core/gamification/post-perks.ts";
import { getProgress } from "#core/gamification/progress.service.ts";
import { DEFAULT_XP, xpFor } from "#core/gamification/xp-table.ts";
import { verifyLedger } from "#core/ledger/verify-ledger.ts";
import { createRewardEvents } from "#core/rewards/reward-events.ts";
import { appealReward, decideAppeal, reverseReward } from "#core/rewards/reward.service.ts";
import { decideReport, report } from "#core/social/moderation.ts";
import { createPost } from "#core/social/posts.ts";
import type { SocialServices } from "#core/social/social-services.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";
import { act, clockedDeps, member } from "./gamification-support.ts";

describe("levels", () => {
  it("follow a visible quadratic curve", () => {
    expect([1, 2, 3, 5, 10, 20].map(xpToReachLevel)).toEqual([0, 50, 200, 800, 4050, 18050]);
    expect([0, 49, 50, 199, 200, 4049, 4050].map(levelForXp)).toEqual([1, 1, 2, 2, 3, 9, 10]);
    expect(levelProgress(260)).toEqual({
      level: 3,
      xp: 260,
      levelStartsAt: 200,
      nextLevelAt: 450,
      xpIntoLevel: 60,
      xpForLevel: 250,
    });
  });

  it("give unknown kinds their family's XP or the default, so new kinds need no change", () => {
    expect(xpFor("post.created")).toBe(10);
    expect(xpFor("game.studio_x_achievement")).toBe(25);
    expect(xpFor("referral.completed")).toBe(DEFAULT_XP);
  });
});

describe.each(testBackends())("XP, perks and trust levels on %s", (backend) => {
  let testDb: TestDb;
  let db: TestDb["db"];
  beforeAll(async () => {
    testDb = await openTestDb(backend, { poolSize: 10 });
    db = testDb.db;
  });
  afterAll(async () => {
    expect((await verifyLedger(db)).violations).toEqual([]);
    await testDb.close();
  });

  const fold = () => foldRewards(db, { lagMs: 0, shouldWait: true });
  const xpOf = async (userId: UserId) => (await readUserTotals(db, userId)).xp;

  it("XP follows every counted reward of any kind, through folds, reversals and appeals", async () => {
    const clock = clockedDeps(db, new Date("2030-03-04T10:00:00Z"));
    const { deps } = clock;
    const user = await member(db, new Date("2030-01-01T00:00:00Z"));
    const admin = await member(db, new Date("2030-01-01T00:00:00Z"));
    const post = await act(deps, user, "post.created", "p1");
    await act(deps, user, "like.given", "l1");
    await act(deps, user, "checkin.daily", "d1");
    // Not folded yet: read from the rewards table's tail.
    expect(await xpOf(user)).toBe(10 + 1 + 5);
    await fold();
    expect(await xpOf(user)).toBe(16);
    expect(await recomputeXpFromRewards(db, user)).toBe(16);

    // A folded reward reversed: the trigger notes it, reads count it at once, a fold applies it.
    expect((await reverseReward(db, post.key)).ok).toBe(true);
    expect(await xpOf(user)).toBe(6);
    await fold();
    expect(await xpOf(user)).toBe(6);
    const { rows } = await sql<{ actions: number }>`
      select actions from user_activity
      where user_id = ${user} and action_kind = 'post.created'`.execute(db);
    expect(rows[0]!.actions).toBe(0);

    // A reward reversed before it was folded never counts.
    const second = await act(deps, user, "post.created", "p2");
    await reverseReward(db, second.key);
    expect(await xpOf(user)).toBe(6);

    // A kind this layer has never heard of earns the default XP.
    await db
      .insertInto("reward_rules")
      .values({
        action_kind: "survey.answered",
        label: "surveys",
        amount: 10n ** 15n,
        daily_cap: null,
        per_target_daily_cap: null,
        hold_seconds: 0,
        budget_id: "platform",
      })
      .onConflict((oc) => oc.column("action_kind").doNothing())
      .execute();
    await act(deps, user, "survey.answered", "s1");
    expect(await xpOf(user)).toBe(6 + DEFAULT_XP);

    // A refused reward earns nothing; approved on appeal (after it was folded), it does.
    const refused = await act(deps, user, "checkin.daily", "d1-again", {
      shouldAllowRefusal: true,
    });
    expect(refused.status).toBe("refused");
    await fold();
    expect(await xpOf(user)).toBe(6 + DEFAULT_XP);
    expect((await appealReward(db, user, refused.rewardId, "I did check in twice")).ok).toBe(true);
    const decided = await decideAppeal(
      { db, rewardEvents: createRewardEvents() },
      admin,
      refused.rewardId,
      {
        approve: true,
        reason: "fine",
      },
    );
    expect(decided.ok).toBe(true);
    expect(await xpOf(user)).toBe(6 + DEFAULT_XP + 5);
    await fold();
    expect(await xpOf(user)).toBe(await recomputeXpFromRewards(db, user));

    // A new XP table version refolds everything from the rewards table.
    await sql`update gamification_fold set xp_table_version = 0`.execute(db);
    await fold();
    expect(await xpOf(user)).toBe(16);
    const { rows: totals } = await sql<{ xp: string }>`
      select sum(xp)::text as xp from user_activity where user_id = ${user}`.execute(db);
    expect(Number(totals[0]!.xp)).toBe(16);
  });

  it("folds racing with new rewards and reversals count every reward exactly once", async () => {
    const clock = clockedDeps(db, new Date("2030-03-20T10:00:00Z"));
    const users = await Promise.all(
      Array.from({ length: 4 }, () => member(db, new Date("2030-01-01T00:00:00Z"))),
    );
    let isWriting = true;
    const folding = (async () => {
      while (isWriting) {
        await foldRewards(db, { lagMs: 100, maxRows: 50 });
        // Let the engine's batches (scheduled with setImmediate) have their turn.
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    try {
      await Promise.all(
        users.map(async (user, u) => {
          for (let i = 0; i < 30; i++) {
            const like = await act(clock.deps, user, "like.given", `race-${i}`);
            if (i % 3 === u % 3) await reverseReward(db, like.key);
          }
        }),
      );
    } finally {
      isWriting = false;
      await folding;
    }
    await foldAllRewards(db, { lagMs: 0 });
    for (const user of users) {
      const truth = await recomputeXpFromRewards(db, user);
      expect(truth).toBe(20);
      expect(await xpOf(user)).toBe(truth);
      const folded = await db
        .selectFrom("user_progress")
        .select("xp")
        .where("user_id", "=", user)
        .executeTakeFirstOrThrow();
      expect(Number(folded.xp)).toBe(truth);
    }
  });

  it("a level's perk raises the daily cap on rewarded posts, for real", async () => {
    const clock = clockedDeps(db, new Date("2030-04-01T09:00:00Z"));
    const social: SocialServices = { ...clock.deps, rewardEvents: createRewardEvents() };
    // Accounts younger than a day stay at trust level 0, so only the level counts here.
    const player = await member(db, new Date(clock.now.getTime() - 3_600_000));
    const newcomer = await member(db, new Date(clock.now.getTime() - 3_600_000));
    for (let i = 0; i < 8; i++) await act(clock.deps, player, "game.achievement", `a${i}`);
    expect(await xpOf(player)).toBe(200);
    expect(await postCapBonus(db, player, clock.now)).toBe(2);
    expect(await postCapBonus(db, newcomer, clock.now)).toBe(0);

    const statuses = async (userId: UserId, count: number) => {
      const out: string[] = [];
      for (let i = 0; i < count; i++) {
        const created = await createPost(social, userId, { body: `Post number ${i}` });
        if (!created.ok) throw new Error(created.error.message);
        out.push(created.value.reward!.status);
      }
      return out;
    };
    const playerPosts = await statuses(player, 13);
    expect(playerPosts.filter((s) => s !== "refused")).toHaveLength(12);
    expect(playerPosts.at(-1)).toBe("refused");
    const newcomerPosts = await statuses(newcomer, 11);
    expect(newcomerPosts.filter((s) => s !== "refused")).toHaveLength(10);

    const progress = await getProgress(clock.deps, player, clock.now);
    expect(progress.level.level).toBe(3);
    expect(progress.postCapBonus).toBe(2);
    expect(progress.perks.find((p) => p.id === "post-cap-2")?.isUnlocked).toBe(true);
    expect(progress.perks.find((p) => p.id === "post-cap-5")?.isUnlocked).toBe(false);

    // The engine checks the bonus like any other input.
    const bad = await clock.deps.rewards.reward({
      actionKind: "post.created",
      userId: player,
      causeId: "bad-bonus",
      memo: "x",
      dailyCapBonus: -1,
    });
    expect(bad.ok ? null : bad.error.code).toBe("invalid_request");
  });

  it("trust levels are earned by time, days active and verified activity, and lost when moderation hides one's content", async () => {
    const clock = clockedDeps(db, new Date("2030-05-02T10:00:00Z"));
    const social: SocialServices = { ...clock.deps, rewardEvents: createRewardEvents() };
    const user = await member(db, new Date("2030-04-20T10:00:00Z"));
    const reporter = await member(db, new Date("2030-01-01T00:00:00Z"));
    const admin = await member(db, new Date("2030-01-01T00:00:00Z"));

    let progress = await getProgress(clock.deps, user, clock.now);
    expect(progress.trust.level).toBe(0);
    expect(progress.trust.next?.name).toBe("basic");

    for (let i = 0; i < 5; i++) await act(clock.deps, user, "like.given", `day1-${i}`);
    clock.set("2030-05-03T10:00:00Z");
    for (let i = 0; i < 5; i++) await act(clock.deps, user, "like.given", `day2-${i}`);
    clock.set("2030-05-04T10:00:00Z");
    progress = await getProgress(clock.deps, user, clock.now);
    expect(progress.trust).toMatchObject({ level: 1, name: "basic", postCapBonus: 2 });
    expect(progress.trust.next?.name).toBe("member");
    expect(
      Object.fromEntries(
        progress.trust.next!.requirements.map((r) => [r.id, [r.current, r.required, r.isMet]]),
      ),
    ).toEqual({
      account_age: [14, 14, true],
      active_days: [2, 7, false],
      actions: [10, 100, false],
      good_standing: [60, 60, true],
    });
    expect(await postCapBonus(db, user, clock.now)).toBe(2);

    // A moderator confirms a report against their post: trust level 0 again.
    const post = await createPost(social, user, { body: "Buy followers here" });
    if (!post.ok) throw new Error(post.error.message);
    const reported = await report(db, reporter, { kind: "post", id: post.value.post.id }, "spam");
    if (!reported.ok) throw new Error(reported.error.message);
    await decideReport(
      db,
      { id: admin, isAdmin: true },
      reported.value.id,
      "hide",
      null,
      clock.now,
    );
    clock.set("2030-05-04T11:00:00Z");
    progress = await getProgress(clock.deps, user, clock.now);
    expect(progress.trust.level).toBe(0);
    expect(progress.trust.lastHiddenAt?.toISOString()).toBe("2030-05-04T10:00:00.000Z");
    expect(progress.trust.next?.requirements.find((r) => r.id === "good_standing")).toMatchObject({
      isMet: false,
      current: 0,
      required: 30,
    });
    expect(await postCapBonus(db, user, clock.now)).toBe(0);

    // Thirty clean days later, basic trust is back.
    clock.set("2030-06-04T11:00:00Z");
    progress = await getProgress(clock.deps, user, clock.now);
    expect(progress.trust.level).toBe(1);
  });
});
