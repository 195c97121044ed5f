import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAchievements, recentAchievements } from "#core/games/achievements.ts";
import { getRun, revealRunSegment, startRun, submitRun } from "#core/games/game-runs.ts";
import { SEGMENT_REVEAL_LEAD_MS } from "#core/games/run-pacing.ts";
import { getLeaderboard, periodBounds } from "#core/games/leaderboards.ts";
import { verifyLedger } from "#core/ledger/verify-ledger.ts";
import { decideReport, report } from "#core/social/moderation.ts";
import { RewardEngine } from "#core/rewards/reward-engine.ts";
import { playRapidsRhythm, playRiverRun, playTideTiles } from "#game/bots.ts";
import { playRun } from "#game/engine/replay.ts";
import { segmentSeed } from "#game/engine/run-seeds.ts";
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

  /** A run issued ten minutes ago: any run played on it has had its time. */
  async function issued(userId: Awaited<ReturnType<typeof person>>["id"], game: string) {
    const run = await startRun(testDb.db, userId, game, new Date(Date.now() - 10 * 60_000));
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

  it("a run submitted before its simulated time has passed is refused as too_fast and pays nothing; after it, accepted", async () => {
    const player = await person(testDb.db);
    const start = new Date("2031-03-02T10:00:00Z");
    const runOf = async (game: string) => {
      const run = await startRun(testDb.db, player.id, game, start);
      if (!run.ok) throw new Error(run.error.message);
      return run.value;
    };
    const at = (ms: number) => new Date(start.getTime() + ms);

    // A two-minute River Run, back 90 ms after it started.
    const instant = await runOf("river-run");
    const perfect = playRiverRun(instant.seed);
    expect(perfect.result.ticks).toBe(7200);
    const refused = await submitRun(
      deps,
      player.id,
      instant.id,
      { inputs: perfect.events, claimedScore: perfect.result.score },
      at(90),
    );
    expect(!refused.ok && refused.error).toMatchObject({
      code: "rejected",
      message: expect.stringContaining("cannot end before its time"),
      run: { status: "rejected", rejection: { code: "too_fast" } },
    });

    // A log computed on a guessed seed, back at once: too fast, whatever its replay says.
    const guessed = await runOf("river-run");
    const guess = playRiverRun("a guess");
    const refusedGuess = await submitRun(
      deps,
      player.id,
      guessed.id,
      { inputs: guess.events, claimedScore: guess.result.score },
      at(90),
    );
    expect(!refusedGuess.ok && refusedGuess.error.run?.rejection?.code).toBe("too_fast");

    // Just inside the tolerance (2 s of 120 s) is still too early by a millisecond; at it, fine.
    const edge = await runOf("river-run");
    const again = playRiverRun(edge.seed);
    const body = { inputs: again.events, claimedScore: again.result.score };
    const early = await submitRun(deps, player.id, edge.id, body, at(118_000 - 1));
    expect(!early.ok && early.error.run?.rejection?.code).toBe("too_fast");
    const onTime = await runOf("river-run");
    const played = playRiverRun(onTime.seed);
    const accepted = await submitRun(
      deps,
      player.id,
      onTime.id,
      { inputs: played.events, claimedScore: played.result.score },
      at(118_000),
    );
    expect(accepted.ok).toBe(true);

    // Turn-based: twenty moves take at least 20 × 400 ms.
    const puzzle = await runOf("tide-tiles");
    const moves = playTideTiles(puzzle.seed, 20);
    const hurried = await submitRun(
      deps,
      player.id,
      puzzle.id,
      { inputs: moves.events, claimedScore: moves.result.score },
      at(3_000),
    );
    expect(!hurried.ok && hurried.error.run?.rejection?.code).toBe("too_fast");
    const paced = await runOf("tide-tiles");
    const pacedMoves = playTideTiles(paced.seed, 20);
    const ok = await submitRun(
      deps,
      player.id,
      paced.id,
      { inputs: pacedMoves.events, claimedScore: pacedMoves.result.score },
      at(8_000),
    );
    expect(ok.ok).toBe(true);

    const paid = await sql<{ run_id: string }>`
      select r.id as run_id from rewards r where r.user_id = ${player.id}`.execute(testDb.db);
    expect(paid.rows.length).toBeGreaterThan(0);
    const tooFast = await sql<{ n: number }>`
      select count(*)::int as n from game_runs
      where user_id = ${player.id} and rejection_code = 'too_fast'`.execute(testDb.db);
    expect(tooFast.rows[0]!.n).toBe(4);
  });

  it("a bot's robotic timing is refused as inhuman_input with its reason, even when paced", async () => {
    const player = await person(testDb.db);
    const run = await issued(player.id, "rapids-rhythm");
    const robot = playRapidsRhythm(run.seed, 0, 0, "robot");
    const refused = await submitRun(deps, player.id, run.id, {
      inputs: robot.events,
      claimedScore: robot.result.score,
    });
    expect(!refused.ok && refused.error).toMatchObject({
      code: "rejected",
      message: expect.stringContaining("a person's timing varies more than that"),
      run: { rejection: { code: "inhuman_input" } },
    });
    const rewards = await sql<{ n: number }>`
      select count(*)::int as n from rewards where user_id = ${player.id}`.execute(testDb.db);
    expect(rewards.rows[0]!.n).toBe(0);
  });

  it("a segment's seed is revealed only as real time reaches it, only to the run's player, only while the run is open", async () => {
    const player = await person(testDb.db);
    const other = await person(testDb.db);
    const start = new Date("2031-03-03T10:00:00Z");
    const started = await startRun(testDb.db, player.id, "river-run", start);
    if (!started.ok) throw new Error(started.error.message);
    const run = started.value;
    const rules = rulesOf("river-run");
    expect(run.segmentTicks).toBe(rules.segmentTicks);
    expect(run.firstSegmentSeed).toBe(segmentSeed(rules, run.seed, 0));
    expect(run.firstSegmentSeed).not.toBe(run.seed);
    const segmentMs = (rules.segmentTicks! / rules.ticksPerSecond) * 1000;
    const at = (ms: number) => new Date(start.getTime() + ms);

    const tooSoon = await revealRunSegment(testDb.db, player.id, run.id, 2, at(segmentMs));
    expect(!tooSoon.ok && tooSoon.error).toMatchObject({
      code: "not_yet",
      retryAfterMs: segmentMs - SEGMENT_REVEAL_LEAD_MS,
    });
    const due = await revealRunSegment(
      testDb.db,
      player.id,
      run.id,
      2,
      at(2 * segmentMs - SEGMENT_REVEAL_LEAD_MS),
    );
    expect(due.ok && due.value).toEqual({
      runId: run.id,
      segment: 2,
      seed: segmentSeed(rules, run.seed, 2),
      startTick: 2 * rules.segmentTicks!,
    });
    const theirs = await revealRunSegment(testDb.db, other.id, run.id, 1, at(60_000));
    expect(!theirs.ok && theirs.error.code).toBe("not_found");
    for (const segment of [-1, run.segmentCount, 1.5]) {
      const outside = await revealRunSegment(testDb.db, player.id, run.id, segment, at(600_000));
      expect(!outside.ok && outside.error.code).toBe("not_found");
    }
    const closed = await submitRun(
      deps,
      player.id,
      run.id,
      { inputs: [], claimedScore: -1 },
      at(1000),
    );
    expect(closed.ok).toBe(false);
    const after = await revealRunSegment(testDb.db, player.id, run.id, 1, at(60_000));
    expect(!after.ok && after.error.code).toBe("already_submitted");
  });

  it("a malformed run id (36 characters, not a UUID) is simply not found, never a database error", async () => {
    const player = await person(testDb.db);
    const malformed = "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz";
    const dashes = "------------------------------------";
    for (const id of [malformed, dashes, "0123456789abcdef0123456789abcdef0123"]) {
      expect(id).toHaveLength(36);
      const submitted = await submitRun(deps, player.id, id, { inputs: [], claimedScore: 0 });
      expect(!submitted.ok && submitted.error.code).toBe("not_found");
      expect(await getRun(testDb.db, player.id, id)).toBeNull();
      const segment = await revealRunSegment(testDb.db, player.id, id, 1);
      expect(!segment.ok && segment.error.code).toBe("not_found");
    }
  });

  it("the bots with a human hand (as the demo seed plays them) pass every check once their runs have had their time", async () => {
    const player = await person(testDb.db);
    const plays: [string, (seed: string) => ReturnType<typeof playTideTiles>][] = [
      ["tide-tiles", (seed) => playTideTiles(seed, 20)],
      ["river-run", (seed) => playRiverRun(seed, 40)],
      ["river-run", (seed) => playRiverRun(seed, 34)],
      ["rapids-rhythm", (seed) => playRapidsRhythm(seed, 0)],
      ["rapids-rhythm", (seed) => playRapidsRhythm(seed, 3, 4)],
      ["rapids-rhythm", (seed) => playRapidsRhythm(seed, 5, 2)],
    ];
    for (const [game, play] of plays) {
      const run = await issued(player.id, game);
      const played = play(run.seed);
      const verified = await submitRun(deps, player.id, run.id, {
        inputs: played.events,
        claimedScore: played.result.score,
      });
      expect(verified.ok ? "verified" : verified.error.message, game).toBe("verified");
    }
  });

  it("a game that does not exist cannot be started", async () => {
    const player = await person(testDb.db);
    const run = await startRun(testDb.db, player.id, "no-such-game");
    expect(!run.ok && run.error.code).toBe("not_found");
  });
});
