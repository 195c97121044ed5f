import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { listGames } from "#core/games/game-directory.ts";
import { gamificationKinds } from "#core/gamification/xp-table.ts";
import { getNextSteps, questNearestToDone, type NextStep } from "#core/home/next-steps.ts";
import type { QuestProgress } from "#core/gamification/quests.ts";
import { questCatalogue } from "#core/gamification/quests.ts";
import { updateProfile } from "#core/profiles/profile.service.ts";
import { checkIn, CHECK_IN_KIND } from "#core/rewards/check-in.ts";
import { getRewardRule } from "#core/rewards/reward.service.ts";
import { createComment } from "#core/social/comments.ts";
import { follow, mute } from "#core/social/follows.ts";
import { createPost } from "#core/social/posts.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";
import { person, socialServices } from "../social/social-support.ts";

const kinds = (steps: NextStep[]) => steps.map((s) => s.kind);
const stepOf = (steps: NextStep[], kind: NextStep["kind"]) => steps.find((s) => s.kind === kind);

describe.each(testBackends())("next steps on %s", (backend) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(backend);
  });
  afterAll(() => t.close());

  const deps = () => socialServices(t.db);
  const stepsFor = (userId: UserId) => getNextSteps(deps(), userId);

  it("a newcomer is asked to verify, check in, play, post, follow people and fill in a profile", async () => {
    const me = await person(t.db);
    const steps = await stepsFor(me.id);
    expect(kinds(steps)).toEqual([
      "verify_email",
      "check_in",
      "quest",
      "play_game",
      "first_post",
      "follow_people",
      "complete_profile",
    ]);
    const checkInRule = await getRewardRule(t.db, CHECK_IN_KIND);
    expect(stepOf(steps, "check_in")).toMatchObject({ href: "/wallet", pays: checkInRule!.amount });
    const [firstGame] = await listGames(t.db);
    expect(stepOf(steps, "play_game")?.href).toBe(`/games/${firstGame!.id}`);
    for (const step of steps) expect(step.href.startsWith("/")).toBe(true);
  });

  it("checking in takes the check-in step away for the rest of the day", async () => {
    const me = await person(t.db);
    const result = await checkIn(deps().rewards, me.id);
    expect(result.ok).toBe(true);
    expect(kinds(await stepsFor(me.id))).not.toContain("check_in");
  });

  it("a recent post by someone followed is one to answer, until the viewer comments on it", async () => {
    const me = await person(t.db);
    const friend = await person(t.db, "Friendly Author");
    await follow(deps(), me.id, friend.id);
    const posted = await createPost(deps(), friend.id, {
      body: "What should I  plant\nthis spring?",
    });
    if (!posted.ok) throw new Error(posted.error.message);

    const answer = stepOf(await stepsFor(me.id), "answer_post");
    expect(answer).toMatchObject({
      title: `Answer Friendly Author (@${friend.handle})`,
      href: `/p/${posted.value.post.id}`,
    });
    expect(answer!.detail).toContain("someone you follow: “What should I plant this spring?”");
    expect(answer!.pays).toBe((await getRewardRule(t.db, "comment.created"))!.amount);
    expect(kinds(await stepsFor(me.id))).not.toContain("follow_people");

    await createComment(deps(), me.id, { postId: posted.value.post.id, body: "Tomatoes!" });
    expect(stepOf(await stepsFor(me.id), "answer_post")?.href).not.toBe(
      `/p/${posted.value.post.id}`,
    );
  });

  it("a muted person's post is never suggested, nor one's own", async () => {
    const me = await person(t.db);
    const loud = await person(t.db);
    await follow(deps(), me.id, loud.id);
    await mute(t.db, me.id, loud.id);
    const theirs = await createPost(deps(), loud.id, { body: "Muted words" });
    const mine = await createPost(deps(), me.id, { body: "My own words" });
    if (!theirs.ok || !mine.ok) throw new Error("posting failed");
    const answer = stepOf(await stepsFor(me.id), "answer_post");
    expect(answer?.href).not.toBe(`/p/${theirs.value.post.id}`);
    expect(answer?.href).not.toBe(`/p/${mine.value.post.id}`);
    expect(kinds(await stepsFor(me.id))).not.toContain("first_post");
  });

  it("someone who follows nobody is offered a popular post to answer", async () => {
    const author = await person(t.db);
    const popular = await createPost(deps(), author.id, { body: "Popular question?" });
    if (!popular.ok) throw new Error(popular.error.message);
    const me = await person(t.db);
    const answer = stepOf(await stepsFor(me.id), "answer_post");
    expect(answer?.detail).toContain("A post people are talking about");
  });

  it("a played game makes way for one not played yet", async () => {
    const me = await person(t.db);
    const games = await listGames(t.db);
    await t.db
      .insertInto("game_runs")
      .values({
        user_id: me.id,
        game_id: games[0]!.id,
        seed: "seed",
        rules_version: 1,
        expires_at: new Date(Date.now() + 60_000),
        status: "verified",
        score: 10,
      })
      .execute();
    expect(stepOf(await stepsFor(me.id), "play_game")?.href).toBe(`/games/${games[1]!.id}`);
  });

  it("a profile with a bio but no picture still asks for a picture", async () => {
    const me = await person(t.db);
    await updateProfile(t.db, me.id, { bio: "Gardener" });
    expect(stepOf(await stepsFor(me.id), "complete_profile")?.detail).toContain("a picture");
  });

  it("the quest step names the open quest closest to done and what it pays", async () => {
    const me = await person(t.db);
    const quest = stepOf(await stepsFor(me.id), "quest");
    const rule = await getRewardRule(t.db, gamificationKinds.questReward);
    expect(quest?.pays).toBeGreaterThan(0n);
    expect(quest!.pays! <= rule!.amount).toBe(true);
    expect(quest?.title).toMatch(/^Finish “.+” \(0 of \d+\)$/);
  });
});

describe("the quest nearest to done", () => {
  const progressOf = (id: string, progress: number, isCompleted = false): QuestProgress => {
    const quest = questCatalogue[id]!;
    const target = quest.goal.target;
    return {
      quest,
      weekStart: "2030-03-04",
      endsAt: new Date("2030-03-11T00:00:00Z"),
      progress,
      target,
      isCompleted,
      actionsUnderReview: 0,
      completedAt: null,
      rewardId: null,
    };
  };

  it("is the one with the largest share done, never a completed one", () => {
    const nearest = questNearestToDone([
      progressOf("like-10", 7),
      progressOf("comment-3", 1),
      progressOf("beat-your-best", 1, true),
    ]);
    expect(nearest?.quest.id).toBe("like-10");
  });

  it("breaks a tie by the fewest actions left, and is null when all are done", () => {
    expect(
      questNearestToDone([progressOf("like-10", 0), progressOf("comment-3", 0)])?.quest.id,
    ).toBe("comment-3");
    expect(questNearestToDone([progressOf("beat-your-best", 1, true)])).toBeNull();
  });
});
