import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alignQuestRewardHold } from "#core/gamification/gamification-rules.ts";
import { getProgress, refreshActiveUsers } from "#core/gamification/progress.service.ts";
import { QUEST_HOLD_MARGIN_SECONDS, questHoldSeconds } from "#core/gamification/quests.ts";
import { reevaluateHeldRewards } from "#core/integrity/review-queue.ts";
import { verifyLedger } from "#core/ledger/verify-ledger.ts";
import { getReward } from "#core/rewards/reward-queries.ts";
import { getRewardRule, releaseMaturedRewards } from "#core/rewards/reward.service.ts";
import { createRewardEvents } from "#core/rewards/reward-events.ts";
import { like, unlike } from "#core/social/likes.ts";
import { createPost } from "#core/social/posts.ts";
import type { SocialServices } from "#core/social/social-services.ts";
import type { PostId } from "#core/social/social-types.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";
import { act, clockedDeps, member } from "./gamification-support.ts";

const DAY_MS = 86_400_000;

describe("the quest reward's hold", () => {
  it("is the longest hold of the actions quests count, plus the refresh's margin", () => {
    const rules = [
      { actionKind: "like.given", holdSeconds: 86_400 },
      { actionKind: "follow.received", holdSeconds: 3 * 86_400 },
      { actionKind: "quest.reward", holdSeconds: 30 * 86_400 },
      { actionKind: "streak.bonus", holdSeconds: 30 * 86_400 },
    ];
    // The bonus quest counts any rewarded action: the follows' 3 days decide.
    expect(questHoldSeconds(rules)).toBe(3 * 86_400 + QUEST_HOLD_MARGIN_SECONDS);
    // A quest over likes alone needs only the likes' day; this layer's own kinds never count.
    const likeQuest = {
      id: "like-10",
      title: "Like 10 posts",
      description: "",
      goal: { kind: "actions" as const, actionKinds: ["like.given"], target: 10 },
      rewardShareThousandths: 300,
    };
    expect(questHoldSeconds(rules, [likeQuest])).toBe(86_400 + QUEST_HOLD_MARGIN_SECONDS);
  });
});

describe.each(testBackends())("quests follow their actions on %s", (backend) => {
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

  const established = () => member(db, new Date("2031-01-01T00:00:00Z"));

  /**
   * A reader and `n` posts by two authors, on a clock the test moves. (Likes of one author
   * pay at most 10 a day: the second author lets the reader like 20 posts that count.)
   */
  async function scene(start: string, n: number) {
    const clock = clockedDeps(db, new Date(start));
    const social: SocialServices = {
      db,
      rewards: clock.deps.rewards,
      rewardEvents: createRewardEvents(),
    };
    const authors = [await established(), await established()];
    const reader = await established();
    const posts: PostId[] = [];
    for (let i = 0; i < n; i++) {
      const created = await createPost(social, authors[i % 2]!, { body: `river note ${i}` });
      if (!created.ok) throw new Error(created.error.message);
      posts.push(created.value.post.id);
    }
    const likeAll = async (ids: PostId[]) => {
      for (const id of ids) {
        const liked = await like(social, reader, { kind: "post", id });
        if (!liked.ok) throw new Error(liked.error.message);
      }
    };
    const unlikeAll = async (ids: PostId[]) => {
      for (const id of ids) {
        const unliked = await unlike(social, reader, { kind: "post", id });
        if (!unliked.ok) throw new Error(unliked.error.message);
      }
    };
    const likeQuest = async () => {
      const progress = await getProgress(clock.deps, reader, clock.now);
      const quest = progress.quests.find((q) => q.quest.id === "like-10");
      if (!quest) throw new Error("like-10 is not this week's quest");
      return quest;
    };
    return { clock, reader, posts, likeAll, unlikeAll, likeQuest };
  }

  it("like 10 posts, collect the quest, unlike all 10: the quest reward is reversed with its reason and the quest is no longer complete", async () => {
    // 2031-05-19 is a Monday whose quests include "Like 10 posts".
    const { posts, likeAll, unlikeAll, likeQuest, clock } = await scene("2031-05-19T09:00:00Z", 20);
    await likeAll(posts.slice(0, 10));
    const done = await likeQuest();
    expect(done).toMatchObject({ progress: 10, isCompleted: true });
    const paid = (await getReward(db, done.rewardId!))!;
    expect(paid.status).toBe("held");
    // Held at least as long as any action a quest counts can be undone, plus the margin.
    const questRule = (await getRewardRule(db, "quest.reward"))!;
    expect(questRule.holdSeconds).toBeGreaterThanOrEqual(3 * 86_400 + QUEST_HOLD_MARGIN_SECONDS);
    expect(paid.holdUntil!.getTime()).toBe(clock.now.getTime() + questRule.holdSeconds * 1000);

    await unlikeAll(posts.slice(0, 10));
    const undone = await likeQuest();
    expect(undone).toMatchObject({ progress: 0, isCompleted: false, completedAt: null });
    const reversed = (await getReward(db, done.rewardId!))!;
    expect(reversed.status).toBe("reversed");
    expect(reversed.reason).toMatchObject({ code: "quest_progress_lost" });
    expect(reversed.reason?.message).toMatch(/^Quest progress lost/);

    // Liking 10 other posts completes it again: a new reward, not the reversed one replayed.
    await likeAll(posts.slice(10, 20));
    const again = await likeQuest();
    expect(again).toMatchObject({ progress: 10, isCompleted: true });
    expect(again.rewardId).not.toBe(done.rewardId);
    expect((await getReward(db, again.rewardId!))!.status).toBe("held");
  });

  it("a quest whose actions matured keeps its reward, which is released after its own hold", async () => {
    const { posts, likeAll, unlikeAll, likeQuest, clock } = await scene("2031-05-20T09:00:00Z", 10);
    const start = clock.now;
    await likeAll(posts);
    const done = await likeQuest();
    expect(done.isCompleted).toBe(true);

    // A day later the likes are past undoing and released; the quest reward still waits.
    clock.set(new Date(start.getTime() + DAY_MS + 1000));
    await releaseMaturedRewards(db, clock.now);
    expect((await getReward(db, done.rewardId!))!.status).toBe("held");
    await unlikeAll(posts);
    const kept = await likeQuest();
    expect(kept).toMatchObject({ progress: 10, isCompleted: true, rewardId: done.rewardId });

    const questRule = (await getRewardRule(db, "quest.reward"))!;
    clock.set(new Date(start.getTime() + questRule.holdSeconds * 1000 + 1000));
    await releaseMaturedRewards(db, clock.now);
    expect((await getReward(db, done.rewardId!))!.status).toBe("available");
  });

  it("likes held for review by a risk signal do not pay a quest until the review releases them", async () => {
    const { reader, posts, likeAll, likeQuest, clock } = await scene("2031-05-21T09:00:00Z", 10);
    // A reader not activated yet, who already earned the allowance: the likes wait for review.
    await db.updateTable("users").set({ activated_at: null }).where("id", "=", reader).execute();
    await act(clock.deps, reader, "checkin.daily", "2031-05-21");
    await likeAll(posts);
    const waiting = await likeQuest();
    expect(waiting).toMatchObject({
      progress: 10,
      actionsUnderReview: 10,
      isCompleted: false,
      rewardId: null,
    });

    // Activated: the review step clears the signal and the likes return to their rule's hold.
    await db
      .updateTable("users")
      .set({ activated_at: clock.now })
      .where("id", "=", reader)
      .execute();
    expect(await reevaluateHeldRewards(db, clock.now)).toBeGreaterThanOrEqual(10);
    const paid = await likeQuest();
    expect(paid).toMatchObject({ progress: 10, actionsUnderReview: 0, isCompleted: true });
    expect((await getReward(db, paid.rewardId!))!.status).toBe("held");
  });

  it("the scheduled refresh takes back last week's quest even when its owner has been idle since", async () => {
    // Sunday evening: ten likes complete the week's quest.
    const { posts, likeAll, unlikeAll, likeQuest, clock } = await scene("2031-05-25T20:00:00Z", 10);
    await likeAll(posts);
    const done = await likeQuest();
    expect(done.isCompleted).toBe(true);

    // Monday, while the likes are still held, they are all undone; no refresh runs then.
    clock.set("2031-05-26T19:00:00Z");
    await unlikeAll(posts);

    // Tuesday evening the reader has done nothing rewarded since Sunday, so is not among the
    // active people; the refresh still looks at their held quest reward and takes it back.
    clock.set("2031-05-27T21:00:00Z");
    await refreshActiveUsers(clock.deps, clock.now);
    const reward = (await getReward(db, done.rewardId!))!;
    expect(reward.status).toBe("reversed");
    expect(reward.reason?.code).toBe("quest_progress_lost");
    // Nothing is left for a release to pay out.
    await releaseMaturedRewards(db, new Date("2031-06-10T00:00:00Z"));
    expect((await getReward(db, done.rewardId!))!.status).toBe("reversed");
  });

  it("a longer hold given to an action that quests count lengthens the quest reward's hold", async () => {
    await db
      .updateTable("reward_rules")
      .set({ hold_seconds: 5 * 86_400 })
      .where("action_kind", "=", "like.given")
      .execute();
    try {
      await alignQuestRewardHold(db);
      expect((await getRewardRule(db, "quest.reward"))!.holdSeconds).toBe(
        5 * 86_400 + QUEST_HOLD_MARGIN_SECONDS,
      );
    } finally {
      await db
        .updateTable("reward_rules")
        .set({ hold_seconds: 86_400 })
        .where("action_kind", "=", "like.given")
        .execute();
    }
  });
});
