import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { startRun, submitRun } from "#core/games/game-runs.ts";
import { foldRewards } from "#core/gamification/activity.repository.ts";
import { listEarnedBadges } from "#core/gamification/badges.ts";
import { getHubSummary, getProgress } from "#core/gamification/progress.service.ts";
import { questsForWeek } from "#core/gamification/quests.ts";
import { getEarnersLeaderboard, getXpLeaderboard } from "#core/gamification/rankings.ts";
import { currentSeason, listSeasons } from "#core/gamification/seasons.ts";
import { verifyLedger } from "#core/ledger/verify-ledger.ts";
import { playRapidsRhythm } from "#game/bots.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";
import { act, clockedDeps, member } from "./gamification-support.ts";

describe("weekly quests", () => {
  it("rotate each week, and the level 5 perk adds a bonus quest", () => {
    expect(questsForWeek("2031-05-19", 1).map((q) => q.id)).toEqual([
      "like-10",
      "comment-3",
      "beat-your-best",
    ]);
    expect(questsForWeek("2031-05-26", 1).map((q) => q.id)).toEqual([
      "post-3",
      "liked-10",
      "check-in-5",
    ]);
    expect(questsForWeek("2031-05-19", 5).map((q) => q.id)).toContain("any-50");
  });
});

describe.each(testBackends())("quests, seasons and leaderboards on %s", (backend) => {
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

  async function questRewards(userId: UserId) {
    const { rows } = await sql<{ memo: string }>`
      select memo from rewards where user_id = ${userId} and action_kind = 'quest.reward'
      order by id`.execute(db);
    return rows.map((r) => r.memo);
  }

  it("quests count rewarded actions and personal bests, and pay their reward once per week", async () => {
    const clock = clockedDeps(db, new Date("2031-05-19T09:00:00Z"));
    const { deps } = clock;
    const user = await member(db, new Date("2031-01-01T00:00:00Z"));
    for (let i = 0; i < 3; i++) await act(deps, user, "comment.created", `c${i}`);
    for (let i = 0; i < 4; i++) await act(deps, user, "like.given", `l${i}`);
    let progress = await getProgress(deps, user, clock.now);
    const byId = () => Object.fromEntries(progress.quests.map((q) => [q.quest.id, q]));
    expect(byId()["comment-3"]).toMatchObject({ progress: 3, target: 3, isCompleted: true });
    expect(byId()["comment-3"]!.rewardId).not.toBeNull();
    expect(byId()["like-10"]).toMatchObject({ progress: 4, target: 10, isCompleted: false });
    expect(byId()["beat-your-best"]).toMatchObject({ progress: 0, isCompleted: false });
    expect(await questRewards(user)).toEqual(["Weekly quest done: Comment 3 times"]);
    // Asking again, even twice at once, pays nothing more.
    await Promise.all([getProgress(deps, user, clock.now), getProgress(deps, user, clock.now)]);
    expect(await questRewards(user)).toEqual(["Weekly quest done: Comment 3 times"]);

    // Beat your best: a second, better run of the same game.
    for (const [offset, at] of [
      [4, "2031-05-20T18:00:00Z"],
      [0, "2031-05-20T18:10:00Z"],
    ] as const) {
      clock.set(at);
      const run = await startRun(db, user, "rapids-rhythm", clock.now);
      if (!run.ok) throw new Error(run.error.message);
      const played = playRapidsRhythm(run.value.seed, offset);
      // Played in real time: sent back once the run's time (well under 5 minutes) has passed.
      clock.set(new Date(clock.now.getTime() + 5 * 60_000));
      const verified = await submitRun(
        deps,
        user,
        run.value.id,
        { inputs: played.events, claimedScore: played.result.score },
        clock.now,
      );
      if (!verified.ok) throw new Error(verified.error.message);
    }
    progress = await getProgress(deps, user, clock.now);
    expect(byId()["beat-your-best"]).toMatchObject({ progress: 1, isCompleted: true });
    expect(await questRewards(user)).toEqual([
      "Weekly quest done: Comment 3 times",
      "Weekly quest done: Beat your best in a game",
    ]);

    // Badges: the first quest, and the game's achievements.
    const badges = await listEarnedBadges(db, user);
    expect(badges.map((b) => b.id)).toEqual(
      expect.arrayContaining(["quest-1", "achievement:rapids-rhythm:first-finish"]),
    );
    expect(badges.every((b) => b.art.startsWith("<svg") && b.earnedAt !== null)).toBe(true);

    // The hub gets everything in one call.
    const hub = await getHubSummary(deps, user, clock.now);
    expect(hub.games.map((g) => g.id).sort()).toEqual(["rapids-rhythm", "river-run", "tide-tiles"]);
    expect(hub.recentAchievements[0]?.gameId).toBe("rapids-rhythm");
    expect(hub.earnedBadges.map((b) => b.id)).toContain("quest-1");
    expect(hub.progress.season.id).toBe("2031-05");
    expect(hub.progress.level.xp).toBeGreaterThan(0);

    // A new week, new quests, nothing carried over.
    clock.set("2031-05-26T09:00:00Z");
    progress = await getProgress(deps, user, clock.now);
    expect(progress.quests.map((q) => [q.quest.id, q.progress, q.isCompleted])).toEqual([
      ["post-3", 0, false],
      ["liked-10", 0, false],
      ["check-in-5", 0, false],
    ]);
  });

  it("seasons are calendar months by default; a named season wins where it runs", async () => {
    const september = await currentSeason(db, new Date("2031-09-15T12:00:00Z"));
    expect(september).toEqual({
      id: "2031-09",
      name: "September 2031",
      startsAt: new Date("2031-09-01T00:00:00Z"),
      endsAt: new Date("2031-10-01T00:00:00Z"),
    });
    expect(await currentSeason(db, new Date("2031-09-30T23:59:59Z"))).toEqual(september);
    await db
      .insertInto("seasons")
      .values({
        id: "autumn-games",
        name: "Autumn Games",
        starts_at: "2031-10-01T00:00:00Z",
        ends_at: "2031-11-15T00:00:00Z",
      })
      .execute();
    expect((await currentSeason(db, new Date("2031-11-20T00:00:00Z"))).id).toBe("2031-11");
    expect((await currentSeason(db, new Date("2031-11-10T00:00:00Z"))).id).toBe("autumn-games");
    const seasons = await listSeasons(db, new Date("2031-11-20T00:00:00Z"));
    expect(seasons.slice(0, 3).map((s) => s.id)).toEqual(["2031-11", "autumn-games", "2031-09"]);
  });

  it("leaderboards rank the week's and the season's XP and earnings, with the viewer's own place", async () => {
    const clock = clockedDeps(db, new Date("2032-02-24T09:00:00Z"));
    const { deps } = clock;
    const old = new Date("2031-01-01T00:00:00Z");
    const [ana, ben, cai, dee, eve] = await Promise.all(
      Array.from({ length: 5 }, () => member(db, old)),
    );
    // Eve's XP is all from February: it counts in February's season only.
    for (let i = 0; i < 5; i++) await act(deps, eve!, "post.created", `feb${i}`);
    clock.set("2032-03-09T09:00:00Z");
    for (let i = 0; i < 3; i++) await act(deps, ana!, "post.created", `p${i}`);
    for (let i = 0; i < 2; i++) await act(deps, ben!, "game.achievement", `a${i}`);
    await act(deps, cai!, "checkin.daily", "d");
    await act(deps, dee!, "like.given", "l");
    await db.updateTable("users").set({ shows_earnings: true }).where("id", "=", ana!).execute();

    const options = { now: clock.now, limit: 2 };
    const week = await getXpLeaderboard(db, "week", dee!, options);
    expect(week!.startsAt.toISOString()).toBe("2032-03-08T00:00:00.000Z");
    expect(week!.entries.map((e) => [e.rank, e.userId, e.value])).toEqual([
      [1, ben, 50],
      [2, ana, 30],
    ]);
    expect(week!.viewer).toEqual({ rank: 4, userId: dee, value: 1 });

    // The same figures once folded.
    await foldRewards(db, { lagMs: 0, shouldWait: true });
    expect(await getXpLeaderboard(db, "week", dee!, options)).toEqual(week);

    const season = await getXpLeaderboard(db, "season", dee!, options);
    expect(season!.season?.id).toBe("2032-03");
    expect(season!.entries.map((e) => e.userId)).toEqual([ben, ana]);
    const february = await getXpLeaderboard(db, "season", eve!, {
      ...options,
      seasonId: "2032-02",
    });
    expect(february!.entries).toEqual([{ rank: 1, userId: eve, value: 50 }]);
    expect(await getXpLeaderboard(db, "season", null, { seasonId: "no-such-season" })).toBeNull();

    // Hidden people leave the boards, even one who shows their earnings.
    await db
      .updateTable("users")
      .set({ hidden_at: clock.now, shows_earnings: true })
      .where("id", "=", cai!)
      .execute();
    expect((await getXpLeaderboard(db, "week", dee!, options))!.viewer?.rank).toBe(3);
    expect(await getXpLeaderboard(db, "week", cai!, options)).toMatchObject({ viewer: null });

    // Earnings show only for people who chose to show them, and always to oneself.
    const earners = await getEarnersLeaderboard(db, "week", dee!, options);
    expect(earners!.entries.map((e) => e.userId)).toEqual([ana, dee]);
    expect(earners!.entries[0]!.value).toBe(15n * 10n ** 15n);
    expect(earners!.viewer).toMatchObject({ rank: 2, userId: dee, value: 2n * 10n ** 14n });
    const asBen = await getEarnersLeaderboard(db, "week", ben!, options);
    expect(asBen!.entries.map((e) => e.userId)).toEqual([ben, ana]);
  });
});
