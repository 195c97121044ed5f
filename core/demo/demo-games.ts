import { startRun, submitRun } from "#core/games/game-runs.ts";
import { playRapidsRhythm, playRiverRun, playTideTiles } from "#game/bots.ts";
import type { InputEvent, RunResult } from "#game/engine/game-rules.ts";
import type { BuiltInGameId } from "#game/games.ts";
import type { SeedContext } from "./seed-demo-data.ts";
import { claimSeedStep } from "./seed-claim.ts";
import { listDemoUsers } from "./demo.repository.ts";

type Play = (seed: string) => { events: InputEvent[]; result: RunResult };

/**
 * Runs by demo players, played by the bots on the seeds the server issues: better and
 * worse players (a bot's lateness or number of moves), so each board has an order. The
 * players are the first demo users: they exist before any later step runs, even when
 * several instances seed at once (the social step's people may still be on their way).
 */
const demoRuns: { by: string; gameId: BuiltInGameId; play: Play }[] = [
  { by: "mei", gameId: "tide-tiles", play: (seed) => playTideTiles(seed, 20) },
  { by: "grace", gameId: "tide-tiles", play: (seed) => playTideTiles(seed, 12) },
  { by: "kofi", gameId: "tide-tiles", play: (seed) => playTideTiles(seed, 6) },
  { by: "kofi", gameId: "river-run", play: (seed) => playRiverRun(seed, 40) },
  { by: "ada", gameId: "river-run", play: (seed) => playRiverRun(seed, 34) },
  { by: "mei", gameId: "river-run", play: (seed) => playRiverRun(seed, 46) },
  { by: "grace", gameId: "rapids-rhythm", play: (seed) => playRapidsRhythm(seed, 0) },
  { by: "ada", gameId: "rapids-rhythm", play: (seed) => playRapidsRhythm(seed, 3, 4) },
  { by: "kofi", gameId: "rapids-rhythm", play: (seed) => playRapidsRhythm(seed, 5, 2) },
];

/**
 * A few verified game runs, so the leaderboards and the hub have players on first start.
 * Each goes the way a player's does: the server issues the run and its seed, a bot plays
 * it through the game's rules, and the input log is submitted, replayed and rewarded
 * (achievements through the engine). Runs are not idempotent, so only the instance that
 * claims the step plays them.
 */
export async function seedDemoGames({ db, rewards }: SeedContext): Promise<void> {
  if (!(await claimSeedStep(db, "games:demo-runs:claimed"))) return;

  const players = await listDemoUsers(db);
  for (const { by, gameId, play } of demoRuns) {
    const player = players.find((p) => p.handle === by);
    if (!player) throw new Error(`demo games: no demo user @${by}`);
    const userId = player.id;
    // Issued as if played ten minutes ago: a run cannot be submitted before its time has passed.
    const run = await startRun(db, userId, gameId, new Date(Date.now() - 10 * 60_000));
    if (!run.ok) throw new Error(`demo games: ${run.error.message}`);
    const played = play(run.value.seed);
    const verified = await submitRun({ db, rewards }, userId, run.value.id, {
      inputs: played.events,
      claimedScore: played.result.score,
    });
    if (!verified.ok) throw new Error(`demo games: ${verified.error.message}`);
  }
}
