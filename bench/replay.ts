/**
 * `npm run bench:replay`: server-side verification of a typical run per built-in game
 * (issue #5, target: median under 20 ms). A "typical run" is a full one played by the
 * test bots: River Run survives all two minutes (7,200 ticks, the longest a run can be),
 * Rapids Rhythm hits every note, Tide Tiles makes all twenty moves. Each sample replays a
 * different seed's log through `replayRun`, after a warm-up. The baseline, measured on the
 * same logs in the same run, is `parseInputLog` alone: checking the log's shape and limits,
 * the least any verification has to do. The last line is one JSON object.
 */
import { playRapidsRhythm, playRiverRun, playTideTiles } from "#game/bots.ts";
import { parseInputLog, replayRun } from "#game/engine/replay.ts";
import { rulesOf, type BuiltInGameId } from "#game/games.ts";

const samples = Number(process.env.BENCH_SAMPLES ?? 200);
const players: Record<BuiltInGameId, (seed: string) => ReturnType<typeof playRiverRun>> = {
  "river-run": (seed) => playRiverRun(seed, 30),
  "rapids-rhythm": (seed) => playRapidsRhythm(seed),
  "tide-tiles": (seed) => playTideTiles(seed),
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

type Figures = {
  median_ms: number;
  p99_ms: number;
  baseline_median_ms: number;
  ticks: number;
  inputs: number;
};
const results: Record<string, Figures> = {};

for (const [game, play] of Object.entries(players) as [
  BuiltInGameId,
  (typeof players)[BuiltInGameId],
][]) {
  const rules = rulesOf(game);
  const runs = Array.from({ length: samples }, (_, i) => {
    const seed = `bench-${game}-${i}`;
    return { seed, ...play(seed) };
  });
  // Warm up the JIT on a few runs first, as a long-running server would be.
  for (const run of runs.slice(0, 20)) replayRun(rules, run.seed, run.events);
  const times: number[] = [];
  const baseline: number[] = [];
  for (const run of runs) {
    const log = JSON.parse(JSON.stringify(run.events)) as unknown;
    const t0 = performance.now();
    const outcome = replayRun(rules, run.seed, log);
    const t1 = performance.now();
    parseInputLog(rules, log);
    const t2 = performance.now();
    if (!outcome.ok || outcome.result.score !== run.result.score) {
      throw new Error(`${game} ${run.seed}: replay disagreed with the recorded run`);
    }
    times.push(t1 - t0);
    baseline.push(t2 - t1);
  }
  times.sort((a, b) => a - b);
  baseline.sort((a, b) => a - b);
  const figures: Figures = {
    median_ms: Number(percentile(times, 50).toFixed(3)),
    p99_ms: Number(percentile(times, 99).toFixed(3)),
    baseline_median_ms: Number(percentile(baseline, 50).toFixed(4)),
    ticks: Math.round(runs.reduce((n, r) => n + r.result.ticks, 0) / runs.length),
    inputs: Math.round(runs.reduce((n, r) => n + r.events.length, 0) / runs.length),
  };
  results[game] = figures;
  console.log(
    `${rules.title.padEnd(14)} replay median ${figures.median_ms.toFixed(2)} ms  p99 ${figures.p99_ms.toFixed(2)} ms` +
      `  (baseline: log check alone ${figures.baseline_median_ms.toFixed(3)} ms; ${figures.ticks} ticks, ${figures.inputs} inputs, ${samples} runs)`,
  );
}

const [slowestGame, slowest] = Object.entries(results).sort(
  ([, a], [, b]) => b.median_ms - a.median_ms,
)[0]!;
console.log(`target    median under 20 ms for every game; slowest is ${slowestGame}`);
console.log(
  JSON.stringify({
    bench: "replay",
    game: slowestGame,
    median_ms: slowest.median_ms,
    p99_ms: slowest.p99_ms,
    value: slowest.median_ms,
    unit: "ms",
    baseline: slowest.baseline_median_ms,
    ratio: Number((slowest.median_ms / Math.max(slowest.baseline_median_ms, 0.0001)).toFixed(1)),
    target_ms: 20,
    games: results,
  }),
);
