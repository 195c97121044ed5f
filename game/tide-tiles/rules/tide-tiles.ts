import type { GameRules } from "../../engine/game-rules.ts";
import { createRng, type Rng } from "../../engine/rng.ts";

/**
 * Tide Tiles, a match-3 puzzle: swap two neighbouring tiles to line up three or more of
 * a kind; matches clear, tiles fall, new ones wash in and cascades score more. Twenty
 * moves. Turn-based: each tick is one turn, and a turn holds at most one move.
 */
export const SIZE = 8;
export const KINDS = 6;
export const MOVES = 20;
const EMPTY = -1;

/** A move's code: the tile's index times two, plus 0 to swap right or 1 to swap down. */
export function moveCode(row: number, col: number, direction: "right" | "down"): number {
  return (row * SIZE + col) * 2 + (direction === "down" ? 1 : 0);
}

export type TideTilesState = {
  rng: Rng;
  tick: number;
  /** Row-major kinds, SIZE × SIZE. */
  board: number[];
  movesLeft: number;
  score: number;
  /** Moves that set off a cascade (a second wave of matches). */
  cascadingMoves: number;
  movesMade: number;
  /** Clear waves of the last move, for the scene's animation. */
  lastWaves: number[][];
};

const at = (row: number, col: number) => row * SIZE + col;

/** Every tile index that is part of a line of three or more. */
export function findMatches(board: readonly number[]): Set<number> {
  const matched = new Set<number>();
  for (let r = 0; r < SIZE; r++) {
    for (let c = 0; c < SIZE; c++) {
      const kind = board[at(r, c)]!;
      if (kind === EMPTY) continue;
      if (c <= SIZE - 3 && board[at(r, c + 1)] === kind && board[at(r, c + 2)] === kind) {
        for (let k = c; k < SIZE && board[at(r, k)] === kind; k++) matched.add(at(r, k));
      }
      if (r <= SIZE - 3 && board[at(r + 1, c)] === kind && board[at(r + 2, c)] === kind) {
        for (let k = r; k < SIZE && board[at(k, c)] === kind; k++) matched.add(at(k, c));
      }
    }
  }
  return matched;
}

function swap(board: number[], a: number, b: number) {
  const t = board[a]!;
  board[a] = board[b]!;
  board[b] = t;
}

function partner(code: number): [number, number] | null {
  const index = code >> 1;
  const row = Math.floor(index / SIZE);
  const col = index % SIZE;
  if (code & 1) return row < SIZE - 1 ? [index, at(row + 1, col)] : null;
  return col < SIZE - 1 ? [index, at(row, col + 1)] : null;
}

export function hasValidMove(board: number[]): boolean {
  for (let code = 0; code < SIZE * SIZE * 2; code++) {
    const pair = partner(code);
    if (!pair) continue;
    swap(board, pair[0], pair[1]);
    const ok = findMatches(board).size > 0;
    swap(board, pair[0], pair[1]);
    if (ok) return true;
  }
  return false;
}

/** A full board with no line already made and at least one move available. */
function freshBoard(rng: Rng): number[] {
  for (;;) {
    const board = new Array<number>(SIZE * SIZE).fill(EMPTY);
    for (let i = 0; i < board.length; i++) {
      do board[i] = rng.int(KINDS);
      while (findMatches(board).has(i));
    }
    if (hasValidMove(board)) return board;
  }
}

function collapseAndRefill(state: TideTilesState) {
  for (let c = 0; c < SIZE; c++) {
    let write = SIZE - 1;
    for (let r = SIZE - 1; r >= 0; r--) {
      const kind = state.board[at(r, c)]!;
      if (kind !== EMPTY) state.board[at(write--, c)] = kind;
    }
    for (; write >= 0; write--) state.board[at(write, c)] = state.rng.int(KINDS);
  }
}

export const tideTiles: GameRules<TideTilesState> = {
  id: "tide-tiles",
  version: 1,
  title: "Tide Tiles",
  ticksPerSecond: 0,
  maxTicks: 200,
  maxEvents: MOVES,
  actionCount: SIZE * SIZE * 2,

  init(seed) {
    const rng = createRng(`tide-tiles:${seed}`);
    return {
      rng,
      tick: 0,
      board: freshBoard(rng),
      movesLeft: MOVES,
      score: 0,
      cascadingMoves: 0,
      movesMade: 0,
      lastWaves: [],
    };
  },

  step(state, actions) {
    state.tick++;
    if (actions.length === 0) return null;
    if (actions.length > 1) return "two moves in one turn";
    const pair = partner(actions[0]!);
    if (!pair) return "a swap off the edge of the board";
    swap(state.board, pair[0], pair[1]);
    let matched = findMatches(state.board);
    if (matched.size === 0) return "a swap that makes no line";
    state.lastWaves = [];
    let wave = 0;
    while (matched.size > 0) {
      wave++;
      state.lastWaves.push([...matched]);
      state.score += matched.size * 10 * wave;
      for (const i of matched) state.board[i] = EMPTY;
      collapseAndRefill(state);
      matched = findMatches(state.board);
    }
    if (wave >= 2) state.cascadingMoves++;
    state.movesMade++;
    state.movesLeft--;
    if (!hasValidMove(state.board)) state.board = freshBoard(state.rng);
    return null;
  },

  isOver(state) {
    return state.movesLeft === 0;
  },

  result(state) {
    return {
      score: state.score,
      perfect: state.movesMade === MOVES && state.cascadingMoves === MOVES,
      ticks: state.tick,
    };
  },
};
