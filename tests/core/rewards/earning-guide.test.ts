import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { startRun, submitRun } from "#core/games/game-runs.ts";
import { gamificationKinds } from "#core/gamification/xp-table.ts";
import { verifyLedger } from "#core/ledger/verify-ledger.ts";
import { achievementAmount, getEarningGuide } from "#core/rewards/earning-guide.ts";
import { RewardEngine } from "#core/rewards/reward-engine.ts";
import { listRewardRules, updateRewardRule } from "#core/rewards/reward.service.ts";
import { playRapidsRhythm } from "#game/bots.ts";
import { parseMicro } from "#shared/money.ts";
import { person } from "#tests/core/social/social-support.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";

describe.each(testBackends())("the earning guide on %s", (backend) => {
  let testDb: TestDb;
  let deps: { db: TestDb["db"]; rewards: RewardEngine };
  let admin: UserId;
  beforeAll(async () => {
    testDb = await openTestDb(backend);
    deps = { db: testDb.db, rewards: new RewardEngine(testDb.db) };
    admin = (await person(testDb.db)).id;
  });
  afterAll(async () => {
    expect((await verifyLedger(testDb.db)).violations).toEqual([]);
    await testDb.close();
  });

  /** Plays a perfect Rapids Rhythm run through the real path; returns what each achievement paid. */
  async function playPerfectRun(userId: UserId): Promise<Map<string, bigint>> {
    const run = await startRun(testDb.db, userId, "rapids-rhythm", new Date(Date.now() - 600_000));
    if (!run.ok) throw new Error(run.error.message);
    const played = playRapidsRhythm(run.value.seed);
    const verified = await submitRun(deps, userId, run.value.id, {
      inputs: played.events,
      claimedScore: played.result.score,
    });
    if (!verified.ok) throw new Error(verified.error.message);
    return new Map(
      verified.value.achievements.map((a) => [a.achievementId, a.reward?.amount ?? -1n]),
    );
  }

  it("lists every live rule once, grouped by stream, with the rule's amount, caps, hold and budget", async () => {
    const guide = await getEarningGuide(testDb.db);
    const rules = await listRewardRules(testDb.db);
    const actions = guide.streams.flatMap((s) => s.actions);
    expect(actions.map((a) => a.actionKind).sort()).toEqual(rules.map((r) => r.actionKind).sort());
    expect(guide.streams.map((s) => s.stream)).toEqual(["social", "games", "daily", "bonus"]);
    for (const rule of rules) {
      const action = actions.find((a) => a.actionKind === rule.actionKind)!;
      expect(action).toMatchObject({
        amount: rule.amount,
        dailyCap: rule.dailyCap,
        perTargetDailyCap: rule.perTargetDailyCap,
        holdSeconds: rule.holdSeconds,
        budgetId: rule.budgetId,
        isBudgetExhausted: false,
      });
    }
    const likes = actions.find((a) => a.actionKind === "like.received")!;
    expect(likes.perTargetCapWords).toBe("1 a day from each liker");
    expect(likes.holdWords).toBe("pending for 1 day, then yours");
    expect(actions.find((a) => a.actionKind === "checkin.daily")!.holdWords).toBe("yours at once");
    expect(guide.activation.paidBeforeActivation).toEqual(["daily check-ins"]);
    expect(guide.comingSoon).toEqual(["surveys", "gigs", "referrals", "paid replies"]);
  });

  it("shows each achievement's amount as the share the payout uses: 0.05 MICRO rule, first finish 0.01", async () => {
    const guide = await getEarningGuide(testDb.db);
    expect(achievementAmount(guide, "rapids-rhythm:first-finish")).toBe(parseMicro("0.01"));
    const games = guide.streams.find((s) => s.stream === "games")!.actions[0]!;
    expect(games.amount).toBe(parseMicro("0.05"));
    expect(games.smallestAmount).toBe(parseMicro("0.01"));
    expect(games.shares.find((s) => s.id === "river-run:perfect")?.amount).toBe(parseMicro("0.05"));
  });

  it("every achievement a verified run earns pays exactly the guide's amount, before and after an admin edits the rule", async () => {
    const before = await getEarningGuide(testDb.db);
    const paid = await playPerfectRun((await person(testDb.db)).id);
    expect(paid.size).toBeGreaterThanOrEqual(4);
    for (const [id, amount] of paid) expect(amount).toBe(achievementAmount(before, id));

    const edited = await updateRewardRule(testDb.db, admin, "game.achievement", {
      amount: parseMicro("0.0333"),
    });
    expect(edited.ok).toBe(true);
    const after = await getEarningGuide(testDb.db);
    expect(achievementAmount(after, "rapids-rhythm:first-finish")).toBe(parseMicro("0.00666"));
    const paidAfter = await playPerfectRun((await person(testDb.db)).id);
    for (const [id, amount] of paidAfter) expect(amount).toBe(achievementAmount(after, id));
  });

  it("streak milestones and this week's quests show their share of the live rules", async () => {
    await updateRewardRule(testDb.db, admin, gamificationKinds.streakBonus, {
      amount: parseMicro("0.2"),
    });
    const guide = await getEarningGuide(testDb.db);
    expect(guide.streakMilestones[0]).toMatchObject({
      label: "3-day streak",
      amount: parseMicro("0.02"),
    });
    expect(guide.streakMilestones.at(-1)!.amount).toBe(parseMicro("0.2"));
    expect(guide.quests.quests.length).toBeGreaterThanOrEqual(4);
    const questRule = (await listRewardRules(testDb.db)).find(
      (r) => r.actionKind === gamificationKinds.questReward,
    )!;
    for (const quest of guide.quests.quests) {
      expect(quest.amount).toBe((questRule.amount * BigInt(quest.shareThousandths)) / 1000n);
    }
    expect(guide.quests.quests.filter((q) => q.isBonus)).toMatchObject([{ unlocksAtLevel: 5 }]);
  });

  it("says a budget is exhausted when it cannot pay an action's smallest reward today", async () => {
    await updateRewardRule(testDb.db, admin, "game.achievement", {
      amount: parseMicro("10000000"),
    });
    const guide = await getEarningGuide(testDb.db);
    const games = guide.streams.find((s) => s.stream === "games")!.actions[0]!;
    expect(games.isBudgetExhausted).toBe(true);
    expect(guide.budgets.find((b) => b.id === "games")!.isExhausted).toBe(true);
    expect(guide.budgets.find((b) => b.id === "platform")!.isExhausted).toBe(false);
    await updateRewardRule(testDb.db, admin, "game.achievement", { amount: parseMicro("0.05") });
  });
});
