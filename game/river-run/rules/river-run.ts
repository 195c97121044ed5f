import type { GameRules } from "../../engine/game-rules.ts";
import { createRng, type Rng } from "../../engine/rng.ts";

/**
 * River Run, an endless runner: jump the rocks, grab the coins, go as far as you can in
 * two minutes. Positions are integers in 1/256 px so every engine computes the same run.
 */
export const FP = 256;
export const VIEW_WIDTH = 800;
export const PLAYER_X = 80;
export const PLAYER_W = 24;
export const PLAYER_H = 32;
const GRAVITY = 230; // 0.9 px/tick²
const JUMP_VELOCITY = 3584; // 14 px/tick
const START_SPEED = 5 * FP;
const MAX_SPEED = 11 * FP;
export const COIN_SIZE = 16;
const TICKS_PER_SECOND = 60;
const RUN_TICKS = 120 * TICKS_PER_SECOND;

export const JUMP = 0;

export type Rock = { x: number; w: number; h: number };
/** A coin's bottom-left corner, 1/256 px. */
export type Coin = { x: number; y: number; taken: boolean };

export type RiverRunState = {
  rng: Rng;
  tick: number;
  /** World x of the screen's left edge, 1/256 px. */
  distance: number;
  speed: number;
  /** Height of the player's feet above the ground, 1/256 px. */
  y: number;
  vy: number;
  rocks: Rock[];
  coins: Coin[];
  nextSpawnX: number;
  coinsTaken: number;
  crashed: boolean;
};

function airTimeTicks(): number {
  return Math.ceil((2 * JUMP_VELOCITY) / GRAVITY);
}

function spawn(state: RiverRunState) {
  const { rng } = state;
  const w = (20 + rng.int(21)) * FP;
  const h = (20 + rng.int(31)) * FP;
  const x = state.nextSpawnX;
  state.rocks.push({ x, w, h });
  if (rng.int(2) === 0) {
    // An arc of three coins over the rock, on the path of a jump taken in time.
    for (let i = 0; i < 3; i++) {
      const lift = i === 1 ? 64 : 40;
      state.coins.push({ x: x + (i - 1) * 28 * FP + (w >> 1), y: h + lift * FP, taken: false });
    }
  }
  // Far enough apart that a jump always clears one rock before the next.
  const minGap = airTimeTicks() * state.speed + (60 + rng.int(240)) * FP;
  state.nextSpawnX = x + w + minGap;
}

/** Ticks per randomness segment (10 s): rocks past each boundary come from the next seed. */
export const RIVER_RUN_SEGMENT_TICKS = 600;

/** Ticks until the next rock ahead reaches the runner (fractional), or null when none is near. */
function ticksToNextRock(state: Readonly<RiverRunState>): number | null {
  const front = state.distance + (PLAYER_X + PLAYER_W) * FP;
  const next = state.rocks.find((r) => r.x + r.w > state.distance + PLAYER_X * FP);
  if (!next) return null;
  return Math.max(0, next.x - front) / state.speed;
}

/**
 * Version 1 drew every rock from one seed given at the start; version 2 reseeds every
 * `RIVER_RUN_SEGMENT_TICKS`, so the rocks of a later segment are unknown until then.
 * Version 1 stays so runs issued on it (and recorded runs) still replay.
 */
function riverRunRules(version: 1 | 2): GameRules<RiverRunState> {
  return {
    id: "river-run",
    version,
    title: "River Run",
    ticksPerSecond: TICKS_PER_SECOND,
    maxTicks: RUN_TICKS,
    maxEvents: 4000,
    actionCount: 1,
    ...(version >= 2
      ? {
          segmentTicks: RIVER_RUN_SEGMENT_TICKS,
          reseed(state: RiverRunState, seed: string) {
            state.rng = createRng(`river-run:${seed}`);
          },
        }
      : {}),
    ...riverRunCore,
  };
}

// A jump answers the rock in front: its cue is the moment the rock is in reach.
const riverRunCore: Pick<
  GameRules<RiverRunState>,
  "init" | "step" | "isOver" | "result" | "cueOffset"
> = {
  cueOffset(state) {
    if (state.y !== 0) return null;
    const away = ticksToNextRock(state);
    return away === null ? null : -away;
  },

  init(seed) {
    return {
      rng: createRng(`river-run:${seed}`),
      tick: 0,
      distance: 0,
      speed: START_SPEED,
      y: 0,
      vy: 0,
      rocks: [],
      coins: [],
      nextSpawnX: VIEW_WIDTH * FP,
      coinsTaken: 0,
      crashed: false,
    };
  },

  step(state, actions) {
    // Jumping is possible only from the ground; a press in the air does nothing.
    if (actions.length > 0 && state.y === 0) state.vy = JUMP_VELOCITY;
    state.y += state.vy;
    if (state.y <= 0) {
      state.y = 0;
      state.vy = 0;
    } else {
      state.vy -= GRAVITY;
    }
    state.distance += state.speed;
    if (state.tick % 120 === 119 && state.speed < MAX_SPEED) state.speed += FP / 8;
    while (state.nextSpawnX < state.distance + VIEW_WIDTH * FP * 2) spawn(state);

    const left = state.distance + PLAYER_X * FP;
    const right = left + PLAYER_W * FP;
    const bottom = state.y;
    const top = bottom + PLAYER_H * FP;
    for (const rock of state.rocks) {
      if (rock.x < right && rock.x + rock.w > left && bottom < rock.h) state.crashed = true;
    }
    for (const coin of state.coins) {
      if (
        !coin.taken &&
        coin.x < right &&
        coin.x + COIN_SIZE * FP > left &&
        coin.y < top &&
        coin.y + COIN_SIZE * FP > bottom
      ) {
        coin.taken = true;
        state.coinsTaken++;
      }
    }
    // Forget what scrolled off the left edge.
    const edge = state.distance - 100 * FP;
    if (state.rocks.length > 0 && state.rocks[0]!.x + state.rocks[0]!.w < edge) {
      state.rocks = state.rocks.filter((r) => r.x + r.w >= edge);
      state.coins = state.coins.filter((c) => c.x + COIN_SIZE * FP >= edge);
    }
    state.tick++;
    return null;
  },

  isOver(state) {
    return state.crashed || state.tick >= RUN_TICKS;
  },

  result(state) {
    const metres = Math.floor(state.distance / FP / 10);
    return {
      score: metres + state.coinsTaken * 25,
      perfect: !state.crashed && state.tick >= RUN_TICKS,
      ticks: state.tick,
    };
  },
};

export const riverRunV1 = riverRunRules(1);
/** The current rules: what new runs are issued on. */
export const riverRun = riverRunRules(2);
