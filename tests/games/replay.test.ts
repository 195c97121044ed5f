import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { playRapidsRhythm, playRiverRun, playTideTiles } from "#game/bots.ts";
import { playRun, replayRun } from "#game/engine/replay.ts";
import { allSegmentSeeds } from "#game/engine/run-seeds.ts";
import { createRng } from "#game/engine/rng.ts";
import { judgeInputTiming } from "#game/engine/input-timing.ts";
import type { CueSample } from "#game/engine/replay.ts";
import { builtInGames, isBuiltInGame, rulesAt, rulesOf } from "#game/games.ts";
import { moveCode, tideTiles } from "#game/tide-tiles/rules/tide-tiles.ts";

const recordedDir = new URL("./recorded/", import.meta.url);

describe("game rules and replay", () => {
  it("the seeded generator repeats itself exactly and differs between seeds", () => {
    const draw = (seed: string) => {
      const rng = createRng(seed);
      return Array.from({ length: 5 }, () => rng.next());
    };
    expect(draw("seed")).toEqual(draw("seed"));
    expect(draw("seed")).not.toEqual(draw("seeds"));
    const rng = createRng("range");
    for (let i = 0; i < 1000; i++) expect(rng.int(6)).toBeLessThan(6);
  });

  it.each(readdirSync(recordedDir).filter((f) => f.endsWith(".json")))(
    "recorded run %s replays to exactly its recorded result on the rules version it was played on",
    (file) => {
      const run = JSON.parse(readFileSync(new URL(file, recordedDir), "utf8"));
      expect(isBuiltInGame(run.game)).toBe(true);
      const rules = rulesAt(run.game, run.rulesVersion)!;
      expect(rules.version).toBe(run.rulesVersion);
      expect(replayRun(rules, run.seed, run.events, { endedAtTick: run.endedAtTick })).toEqual({
        ok: true,
        result: run.result,
      });
    },
  );

  const timingOf = (file: string) => {
    const run = JSON.parse(readFileSync(new URL(file, recordedDir), "utf8"));
    const rules = rulesAt(run.game, run.rulesVersion)!;
    const cues: CueSample[] = [];
    replayRun(rules, run.seed, run.events, { cues });
    return judgeInputTiming(rules, cues);
  };

  it.each(readdirSync(recordedDir).filter((f) => f.startsWith("browser-")))(
    "the run played in a real browser, %s, passes the input-timing check",
    (file) => expect(timingOf(file)).toEqual({ isHuman: true }),
  );

  it("the *-recorded-* fixtures that are the test bots' own output (every tap on one tick) fail the input-timing check", () => {
    // river-run-recorded-1 is byte for byte playRiverRun("recorded-1") on version 1; the
    // rhythm ones hit every note 0 and 4 ticks late. Scripts, not people: they still replay.
    for (const file of [
      "river-run-recorded-1.json",
      "rapids-rhythm-recorded-1.json",
      "rapids-rhythm-recorded-2.json",
    ]) {
      expect(timingOf(file), file).toMatchObject({ isHuman: false });
    }
    expect(timingOf("river-run-recorded-2.json")).toEqual({ isHuman: true }); // too few to judge
  });

  it("bot timing: a robot hand is refused, a human hand (a tick or a few of wobble) passes", () => {
    const judge = (gameId: "river-run" | "rapids-rhythm", seed: string, events: unknown) => {
      const cues: CueSample[] = [];
      replayRun(rulesOf(gameId), seed, events, { cues });
      return judgeInputTiming(rulesOf(gameId), cues);
    };
    expect(judge("river-run", "b", playRiverRun("b", 34, "robot").events)).toMatchObject({
      isHuman: false,
    });
    expect(judge("rapids-rhythm", "b", playRapidsRhythm("b", 0, 0, "robot").events)).toMatchObject({
      isHuman: false,
    });
    expect(judge("river-run", "b", playRiverRun("b").events)).toEqual({ isHuman: true });
    expect(judge("rapids-rhythm", "b", playRapidsRhythm("b").events)).toEqual({ isHuman: true });
    // A timer pressing every 30 ticks, and a hand faster than any: refused.
    const timer = Array.from({ length: 40 }, (_, i) => [120 + i * 30, 0]);
    expect(judge("rapids-rhythm", "b", timer)).toMatchObject({ isHuman: false });
    const mash = Array.from({ length: 25 }, (_, i) => [200 + i * 2, 0]);
    expect(judge("rapids-rhythm", "b", mash)).toMatchObject({
      isHuman: false,
      message: expect.stringContaining("within a second"),
    });
  });

  it("segmented rules: each segment's randomness comes from its own seed, and a run replays from the run's seed", () => {
    const rules = builtInGames["rapids-rhythm"];
    const full = playRapidsRhythm("seg");
    const seeds = allSegmentSeeds(rules, "seg");
    expect(seeds.length).toBe(Math.ceil(rules.maxTicks / rules.segmentTicks!));
    expect(new Set(seeds).size).toBe(seeds.length);
    expect(replayRun(rules, seeds, full.events)).toEqual({ ok: true, result: full.result });
    // Another segment 2 changes only what comes after segment 2 begins.
    const swapped = [...seeds];
    swapped[2] = "someone else's";
    const other = playRun(rules, swapped, () => []);
    const before = (s: readonly string[]) =>
      playRun(rules, s, () => [], { endAtTick: 2 * rules.segmentTicks! }).result;
    expect(before(swapped)).toEqual(before(seeds));
    const notesOf = (s: readonly string[]) => {
      const state = rules.init(s[0]!) as { notes: unknown[] };
      return state.notes.length;
    };
    expect(notesOf(swapped)).toBe(notesOf(seeds));
    expect(other.result.ticks).toBe(full.result.ticks);
  });

  it("each game's runs are its seed's: the same inputs on another seed score differently", () => {
    const runner = playRiverRun("one");
    const elsewhere = replayRun(builtInGames["river-run"], "two", runner.events);
    expect(elsewhere.ok && elsewhere.result).not.toEqual(runner.result);
    const rhythm = playRapidsRhythm("one");
    const offbeat = replayRun(builtInGames["rapids-rhythm"], "two", rhythm.events);
    expect(offbeat.ok && offbeat.result.score).toBeLessThan(rhythm.result.score);
  });

  it("a perfect rhythm run is perfect, a late one is good but not perfect, a skipped note breaks it", () => {
    expect(playRapidsRhythm("p").result.perfect).toBe(true);
    const late = playRapidsRhythm("p", 4);
    expect(late.result.perfect).toBe(false);
    expect(late.result.score).toBeLessThan(playRapidsRhythm("p").result.score);
    expect(playRapidsRhythm("p", 0, 5).result.perfect).toBe(false);
  });

  it("refuses logs that are not lists of integer pairs, too long, out of order or with unknown actions", () => {
    const rules = builtInGames["river-run"];
    const cases: [unknown, string][] = [
      ["not a list", "malformed_log"],
      [[[1]], "malformed_log"],
      [[["1", 0]], "malformed_log"],
      [[[1.5, 0]], "malformed_log"],
      [
        [
          [5, 0],
          [4, 0],
        ],
        "out_of_order",
      ],
      [[[5, 1]], "unknown_action"],
      [[[-1, 0]], "out_of_order"],
      [[[rules.maxTicks, 0]], "input_after_end"],
      [Array.from({ length: rules.maxEvents + 1 }, (_, i) => [i, 0]), "log_too_large"],
    ];
    for (const [log, code] of cases) {
      const outcome = replayRun(rules, "s", log);
      expect(outcome.ok ? "ok" : outcome.error.code, JSON.stringify(log).slice(0, 40)).toBe(code);
    }
  });

  it("refuses inputs after the run ended (a crashed runner that kept jumping)", () => {
    const crashed = playRiverRun("late", 46);
    expect(crashed.result.perfect).toBe(false);
    const forged = [...crashed.events, [crashed.result.ticks + 10, 0]];
    const outcome = replayRun(builtInGames["river-run"], "late", forged);
    expect(!outcome.ok && outcome.error.code).toBe("input_after_end");
  });

  it("refuses moves that are impossible on the board", () => {
    const state = tideTiles.init("board");
    // Find a swap that makes no line: the rules must refuse it when replayed.
    let dud = -1;
    for (let code = 0; code < 128 && dud < 0; code++) {
      const probe = tideTiles.init("board");
      if (tideTiles.step(probe, [code]) === "a swap that makes no line") dud = code;
    }
    expect(dud).toBeGreaterThanOrEqual(0);
    expect(state.movesLeft).toBe(20);
    const cases: [number[][], RegExp][] = [
      [[[0, dud]], /makes no line/],
      [[[0, moveCode(0, 7, "right")]], /off the edge/],
      [[[0, moveCode(7, 0, "down")]], /off the edge/],
    ];
    for (const [log, message] of cases) {
      const outcome = replayRun(tideTiles, "board", log);
      expect(!outcome.ok && outcome.error.code).toBe("impossible_state");
      expect(!outcome.ok && outcome.error.message).toMatch(message);
    }
    const valid = playTideTiles("board", 1).events;
    const twoAtOnce = replayRun(tideTiles, "board", [valid[0], valid[0]]);
    expect(!twoAtOnce.ok && twoAtOnce.error.message).toMatch(/two moves in one turn/);
  });

  it("stops a replay that runs over its time budget", () => {
    let clock = 0;
    const longRun = playRiverRun("slow").events;
    const outcome = replayRun(builtInGames["river-run"], "slow", longRun, {
      budgetMs: 10,
      now: () => (clock += 5),
    });
    expect(!outcome.ok && outcome.error.code).toBe("too_slow");
  });
});
