import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAchievements, recentAchievements } from "#core/games/achievements.ts";
import { startRun, submitRun } from "#core/games/game-runs.ts";
import { getLeaderboard, periodBounds } from "#core/games/leaderboards.ts";
import { verifyLedger } from "#core/ledger/verify-ledger.ts";
import { decideReport, report } from "#core/social/moderation.ts";
import { RewardEngine } from "#core/rewards/reward-engine.ts";
import { playRapidsRhythm, playRiverRun, playTideTiles } from "#game/bots.ts";
import { playRun } from "#game/engine/replay.ts";
import { rulesOf } from "#game/games.ts";
import { person } from "#tests/core/social/social-support.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";

describe.each(testBackends())("game runs on %s", (backend) => {
  let testDb: TestDb;
  let deps: { db: TestDb["db"]; rewards: RewardEngine };
  beforeAll(async () => {
    testDb = await openTestDb(backend, { poolSize: 10 });
    deps = { db: testDb.db, rewards: new RewardEngine(testDb.db) };
  });
  afterAll(async () => {
    expect((await verifyLedger(testDb.db)).violations).toEqual([]);
    await testDb.close();
  });

  async function issued(userId: Awaited<ReturnType<typeof person>>["id"], game: string) {
    const run = await startRun(testDb.db, userId, game);
    if (!run.ok) throw new Error(run.error.message);
    return run.value;
  }

  it("a run replays to its score, earns each achievement once and pays it from the games budget", async () => {
    const player = await person(testDb.db);
    const run = await issued(player.id, "rapids-rhythm");
    const played = playRapidsRhythm(run.seed);
    const verified = await submitRun(deps, player.id, run.id, {
      inputs: played.events,
      claimedScore: played.result.score,
    });
    if (!verified.ok) throw new Error(verified.error.message);
    expect(verified.value.run).toMatchObject({
      status: "verified",
      score: played.result.score,
      perfect: true,
    });
    const ids = verified.value.achievements.map((a) => a.achievementId);
    expect(ids).toEqual([
      "rapids-rhythm:first-finish",
      "rapids-rhythm:score-40000",
      "rapids-rhythm:score-80000",
      ...(played.result.score >= 120_000 ? ["rapids-rhythm:score-120000"] : []),
      "rapids-rhythm:perfect",
    ]);
    const reward = verified.value.achievements[0]!.reward!;
    expect(reward).toMatchObject({
      actionKind: "game.achievement",
      memo: "Achievement in Rapids Rhythm: First finish",
    });
    const budget = await sql<{ budget_id: string }>`
      select budget_id from rewards where id = ${String(reward.rewardId)}::bigint`.execute(
      testDb.db,
    );
    expect(budget.rows[0]!.budget_id).toBe("games");

    // A weaker second run earns nothing new (what it qualifies for was earned already).
    const again = await issued(player.id, "rapids-rhythm");
    const replay = playRapidsRhythm(again.seed, 4);
    const second = await submitRun(deps, player.id, again.id, {
      inputs: replay.events,
      claimedScore: replay.result.score,
    });
    expect(second.ok && second.value.achievements).toEqual([]);
    const catalogue = await listAchievements(testDb.db, player.id, "rapids-rhythm");
    expect(
      catalogue
        .filter((a) => a.earnedAt)
        .map((a) => a.id)
        .sort(),
    ).toEqual([...ids].sort());
    expect((await recentAchievements(testDb.db, player.id)).length).toBe(ids.length);
  });

  it("a forged score, a log that does not replay, a second submission and an expired run are rejected with reasons", async () => {
    const player = await person(testDb.db);
    const forged = await issued(player.id, "river-run");
    const honest = playRiverRun(forged.seed);
    const lie = await submitRun(deps, player.id, forged.id, {
      inputs: honest.events,
      claimedScore: honest.result.score + 1000,
    });
    expect(!lie.ok && lie.error).toMatchObject({
      code: "rejected",
      run: { status: "rejected", rejection: { code: "score_mismatch" } },
    });
    const retry = await submitRun(deps, player.id, forged.id, {
      inputs: honest.events,
      claimedScore: honest.result.score,
    });
    expect(!retry.ok && retry.error.code).toBe("already_submitted");

    const tampered = await issued(player.id, "tide-tiles");
    const moves = playTideTiles(tampered.seed, 3).events.map(([tick, action]) => [
      tick,
      (action + 2) % 128,
    ]);
    const bad = await submitRun(deps, player.id, tampered.id, { inputs: moves, claimedScore: 0 });
    expect(!bad.ok && bad.error.run?.rejection?.code).toMatch(/impossible_state|score_mismatch/);

    const garbage = await issued(player.id, "river-run");
    for (const inputs of ["nope", [[1, 2, 3]], Array.from({ length: 20_000 }, (_, i) => [i, 0])]) {
      const fresh = await issued(player.id, "river-run");
      const refused = await submitRun(deps, player.id, fresh.id, { inputs, claimedScore: 0 });
      expect(refused.ok).toBe(false);
    }
    const typo = await submitRun(deps, player.id, garbage.id, { inputs: [], claimedScore: "12" });
    expect(!typo.ok && typo.error.code).toBe("invalid");

    const late = await issued(player.id, "river-run");
    const expired = await submitRun(
      deps,
      player.id,
      late.id,
      { inputs: [], claimedScore: 0 },
      new Date(late.expiresAt.getTime() + 1),
    );
    expect(!expired.ok && expired.error.code).toBe("expired");

    const rewards = await sql<{ n: number }>`
      select count(*)::int as n from rewards where user_id = ${player.id}`.execute(testDb.db);
    expect(rewards.rows[0]!.n).toBe(0);
  });

  it("someone else's run is not found, and concurrent submissions of one run count once", async () => {
    const player = await person(testDb.db);
    const other = await person(testDb.db);
    const run = await issued(player.id, "tide-tiles");
    const played = playTideTiles(run.seed);
    const theirs = await submitRun(deps, other.id, run.id, {
      inputs: played.events,
      claimedScore: played.result.score,
    });
    expect(!theirs.ok && theirs.error.code).toBe("not_found");
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        submitRun(deps, player.id, run.id, {
          inputs: played.events,
          claimedScore: played.result.score,
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const firstFinish = await sql<{ n: number }>`
      select count(*)::int as n from rewards
      where user_id = ${player.id} and idempotency_key like 'game.achievement:tide-tiles:first-finish:%'`.execute(
      testDb.db,
    );
    expect(firstFinish.rows[0]!.n).toBe(1);
  });

  it("finishing runs on consecutive days earns the days-in-a-row achievement", async () => {
    const player = await person(testDb.db);
    const today = new Date();
    for (let daysAgo = 2; daysAgo >= 0; daysAgo--) {
      const when = new Date(today.getTime() - daysAgo * 86_400_000);
      const run = await startRun(testDb.db, player.id, "tide-tiles", when);
      if (!run.ok) throw new Error(run.error.message);
      const played = playRun(rulesOf("tide-tiles"), run.value.seed, () => []);
      const result = await submitRun(
        deps,
        player.id,
        run.value.id,
        { inputs: played.events, claimedScore: 0 },
        when,
      );
      if (!result.ok) throw new Error(result.error.message);
      const ids = result.value.achievements.map((a) => a.achievementId);
      expect(ids.includes("tide-tiles:days-3")).toBe(daysAgo === 0);
    }
  });

  it("daily and weekly leaderboards rank each player's best and show the viewer's own place", async () => {
    const game = "river-run";
    const players = [await person(testDb.db), await person(testDb.db), await person(testDb.db)];
    const scores: number[] = [];
    for (const [i, p] of players.entries()) {
      const run = await issued(p.id, game);
      const played = playRiverRun(run.seed, [30, 46, 40][i]);
      scores.push(played.result.score);
      const ok = await submitRun(deps, p.id, run.id, {
        inputs: played.events,
        claimedScore: played.result.score,
      });
      expect(ok.ok).toBe(true);
    }
    const board = await getLeaderboard(testDb.db, game, "day", players[1]!.id, { limit: 100 });
    const mine = board.entries.filter((e) => players.some((p) => p.id === e.userId));
    expect(mine.map((e) => e.score)).toEqual([...scores].sort((a, b) => b - a));
    expect(board.viewer).toMatchObject({ userId: players[1]!.id, score: scores[1] });
    const top1 = await getLeaderboard(testDb.db, game, "week", players[1]!.id, { limit: 1 });
    expect(top1.entries).toHaveLength(1);
    expect(top1.viewer?.userId).toBe(players[1]!.id);
    expect(periodBounds("week", new Date("2026-11-25T12:00:00Z")).startsAt.toISOString()).toBe(
      "2026-11-23T00:00:00.000Z",
    );
  });

  it("people hidden by moderation leave the leaderboards, and those below move up", async () => {
    const game = "tide-tiles";
    const [first, second, moderator] = [
      await person(testDb.db),
      await person(testDb.db),
      await person(testDb.db),
    ];
    const firstRun = await issued(first.id, game);
    const secondRun = await issued(second.id, game);
    const firstPlay = playTideTiles(firstRun.seed, 20);
    // Scores depend on each run's seed (a lucky cascade can beat more moves), so the one who
    // scored higher is the one hidden: only then does the other visibly move up. A tie (about
    // one in 3,000) is broken by playing the second run on.
    let secondPlay = playTideTiles(secondRun.seed, 5);
    for (
      let moves = 6;
      moves <= 40 && secondPlay.result.score === firstPlay.result.score;
      moves++
    ) {
      secondPlay = playTideTiles(secondRun.seed, moves);
    }
    const plays = [
      { person: first, run: firstRun, played: firstPlay },
      { person: second, run: secondRun, played: secondPlay },
    ].sort((a, b) => b.played.result.score - a.played.result.score);
    const [cheat, honest] = [plays[0]!.person, plays[1]!.person];
    for (const { person: p, run, played } of plays) {
      const ok = await submitRun(deps, p.id, run.id, {
        inputs: played.events,
        claimedScore: played.result.score,
      });
      expect(ok.ok).toBe(true);
    }
    const rankOf = async (userId: typeof cheat.id, viewerId = honest.id) => {
      const board = await getLeaderboard(testDb.db, game, "week", viewerId, { limit: 100 });
      return board.entries.find((e) => e.userId === userId)?.rank ?? null;
    };
    const honestRank = (await rankOf(honest.id))!;
    expect(await rankOf(cheat.id)).toBeLessThan(honestRank);

    await testDb.db
      .updateTable("users")
      .set({ is_admin: true })
      .where("id", "=", moderator.id)
      .execute();
    const filed = await report(testDb.db, honest.id, { kind: "user", id: cheat.id }, "Cheating");
    if (!filed.ok) throw new Error(filed.error.message);
    const decided = await decideReport(
      testDb.db,
      { id: moderator.id, isAdmin: true },
      filed.value.id,
      "hide",
    );
    expect(decided.ok).toBe(true);

    expect(await rankOf(cheat.id)).toBeNull();
    expect(await rankOf(honest.id)).toBe(honestRank - 1);
    // Not even their own place: a hidden person is off the board.
    const own = await getLeaderboard(testDb.db, game, "day", cheat.id, { limit: 100 });
    expect(own.viewer).toBeNull();
  });

  it("a game that does not exist cannot be started", async () => {
    const player = await person(testDb.db);
    const run = await startRun(testDb.db, player.id, "no-such-game");
    expect(!run.ok && run.error.code).toBe("not_found");
  });
});
