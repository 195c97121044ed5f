// Bots that play the built-in games through their pure rules, as a player would: tests
// and benchmarks play with them, and the demo seed plays real runs with them.
//
// A bot plays with a "human" hand by default: its timing wanders by a tick or a few from
// one input to the next, as a person's does (drawn from its own seeded generator, so a run
// repeats exactly). A "robot" hand hits the same tick every time: what a script does, and
// what the server's pacing check refuses.

import { playRun, type RunSeeds } from "#game/engine/replay.ts";
import { createRng } from "#game/engine/rng.ts";
import { rapidsRhythm } from "#game/rapids-rhythm/rules/rapids-rhythm.ts";
import { FP, PLAYER_X, riverRun, JUMP } from "#game/river-run/rules/river-run.ts";
import { findMatches, SIZE, tideTiles } from "#game/tide-tiles/rules/tide-tiles.ts";

export type Hand = "human" | "robot";

const handSeed = (seeds: RunSeeds) => `hand:${typeof seeds === "string" ? seeds : seeds[0]}`;

/**
 * Jumps when the next rock is `lookahead − 20` ticks away (a human hand: give or take
 * three); the later it jumps, the sooner it crashes.
 */
export function playRiverRun(seeds: RunSeeds, lookahead = 34, hand: Hand = "human") {
  const wobble = createRng(handSeed(seeds));
  const nextThreshold = () => lookahead - 20 + (hand === "human" ? wobble.int(7) - 3 : 0);
  let threshold = nextThreshold();
  return playRun(riverRun, seeds, (state) => {
    if (state.y !== 0) return [];
    const playerX = state.distance + PLAYER_X * FP;
    const next = state.rocks.find((r) => r.x + r.w > playerX);
    if (!next) return [];
    const ticksAway = (next.x - playerX) / state.speed;
    if (ticksAway < threshold && ticksAway > 0) {
      threshold = nextThreshold();
      return [JUMP];
    }
    return [];
  });
}

/**
 * Taps each note `offset` ticks late (0 = on the beat; a human hand: one tick either way,
 * still perfect), skipping every `skipEvery`th note.
 */
export function playRapidsRhythm(seeds: RunSeeds, offset = 0, skipEvery = 0, hand: Hand = "human") {
  const wobble = createRng(handSeed(seeds));
  const jitter = new Map<number, number>();
  const lateness = (noteTick: number) => {
    if (hand === "robot") return offset;
    if (!jitter.has(noteTick)) jitter.set(noteTick, offset + wobble.int(3) - 1);
    return jitter.get(noteTick)!;
  };
  return playRun(rapidsRhythm, seeds, (state, tick) =>
    state.notes
      .filter(
        (n, i) =>
          n.judgement === "pending" &&
          n.tick + lateness(n.tick) === tick &&
          !(skipEvery && i % skipEvery === 0),
      )
      .map((n) => n.lane),
  );
}

/** Makes the first move that lines something up, `moves` times. */
export function playTideTiles(seeds: RunSeeds, moves = 20) {
  let made = 0;
  return playRun(tideTiles, seeds, (state) => {
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
