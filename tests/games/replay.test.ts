import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { playRapidsRhythm, playRiverRun, playTideTiles } from "#game/bots.ts";
import { replayRun } from "#game/engine/replay.ts";
import { createRng } from "#game/engine/rng.ts";
import { builtInGames, isBuiltInGame, rulesOf } from "#game/games.ts";
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
    "recorded run %s replays to exactly its recorded result",
    (file) => {
      const run = JSON.parse(readFileSync(new URL(file, recordedDir), "utf8"));
      expect(isBuiltInGame(run.game)).toBe(true);
      const rules = rulesOf(run.game);
      expect(rules.version).toBe(run.rulesVersion);
      expect(replayRun(rules, run.seed, run.events)).toEqual({ ok: true, result: run.result });
    },
  );

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
