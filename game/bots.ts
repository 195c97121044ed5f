// Bots that play the built-in games through their pure rules, as a player would: tests
// and benchmarks play with them, and the demo seed plays real runs with them.

import { playRun } from "#game/engine/replay.ts";
import { rapidsRhythm } from "#game/rapids-rhythm/rules/rapids-rhythm.ts";
import { FP, PLAYER_X, riverRun, JUMP } from "#game/river-run/rules/river-run.ts";
import { findMatches, SIZE, tideTiles } from "#game/tide-tiles/rules/tide-tiles.ts";

/** Jumps when the next rock is close; `reaction` ticks of lateness make it crash sooner or later. */
export function playRiverRun(seed: string, lookahead = 34) {
  return playRun(riverRun, seed, (state) => {
    if (state.y !== 0) return [];
    const playerX = state.distance + PLAYER_X * FP;
    const next = state.rocks.find((r) => r.x + r.w > playerX);
    if (!next) return [];
    const ticksAway = (next.x - playerX) / state.speed;
    return ticksAway < lookahead - 20 && ticksAway > 0 ? [JUMP] : [];
  });
}

/** Taps each note `offset` ticks late (0 = every note perfect). */
export function playRapidsRhythm(seed: string, offset = 0, skipEvery = 0) {
  return playRun(rapidsRhythm, seed, (state, tick) =>
    state.notes
      .filter((n, i) => n.tick + offset === tick && !(skipEvery && i % skipEvery === 0))
      .map((n) => n.lane),
  );
}

/** Makes the first move that lines something up, `moves` times. */
export function playTideTiles(seed: string, moves = 20) {
  let made = 0;
  return playRun(tideTiles, seed, (state) => {
    if (made >= moves) return [];
    for (let code = 0; code < SIZE * SIZE * 2; code++) {
      const index = code >> 1;
      const other = code & 1 ? index + SIZE : index + 1;
      if (code & 1 ? index >= SIZE * (SIZE - 1) : index % SIZE === SIZE - 1) continue;
      const board = [...state.board];
      [board[index], board[other]] = [board[other]!, board[index]!];
      if (findMatches(board).size > 0) {
        made++;
        return [code];
      }
    }
    return [];
  });
}
