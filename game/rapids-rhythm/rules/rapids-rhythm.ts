import type { GameRules } from "../../engine/game-rules.ts";
import { createRng } from "../../engine/rng.ts";

/**
 * Rapids Rhythm, a reaction game: notes fall in four lanes to a steady beat; tap a lane
 * as its note crosses the line. ±2 ticks (33 ms) is perfect, ±6 (100 ms) is good.
 */
export const LANES = 4;
const TICKS_PER_SECOND = 60;
const BEAT_TICKS = 30; // 120 bpm
const FIRST_NOTE_TICK = 120;
const SONG_BEATS = 80;
export const PERFECT_WINDOW = 2;
export const GOOD_WINDOW = 6;
const TAIL_TICKS = 60;

export type Judgement = "pending" | "perfect" | "good" | "miss";
export type Note = { tick: number; lane: number; judgement: Judgement };

export type RapidsRhythmState = {
  tick: number;
  notes: Note[];
  /** Index of the first note not yet judged (notes are in time order). */
  cursor: number;
  score: number;
  combo: number;
  bestCombo: number;
  strayTaps: number;
  endTick: number;
};

/** The chart: a note on most beats and some half-beats, lanes drawn from the seed. */
function chart(seed: string): Note[] {
  const rng = createRng(`rapids-rhythm:${seed}`);
  const notes: Note[] = [];
  for (let beat = 0; beat < SONG_BEATS; beat++) {
    const tick = FIRST_NOTE_TICK + beat * BEAT_TICKS;
    if (rng.int(8) !== 0) notes.push({ tick, lane: rng.int(LANES), judgement: "pending" });
    if (beat > 16 && rng.int(4) === 0) {
      notes.push({ tick: tick + BEAT_TICKS / 2, lane: rng.int(LANES), judgement: "pending" });
    }
  }
  return notes;
}

function judge(state: RapidsRhythmState, note: Note, judgement: Judgement) {
  note.judgement = judgement;
  if (judgement === "miss") {
    state.combo = 0;
    return;
  }
  state.combo++;
  state.bestCombo = Math.max(state.bestCombo, state.combo);
  const base = judgement === "perfect" ? 300 : 100;
  state.score += base * (1 + Math.floor(state.combo / 10));
}

export const rapidsRhythm: GameRules<RapidsRhythmState> = {
  id: "rapids-rhythm",
  version: 1,
  title: "Rapids Rhythm",
  ticksPerSecond: TICKS_PER_SECOND,
  maxTicks: FIRST_NOTE_TICK + SONG_BEATS * BEAT_TICKS + TAIL_TICKS + BEAT_TICKS,
  maxEvents: 2000,
  actionCount: LANES,

  init(seed) {
    const notes = chart(seed);
    return {
      tick: 0,
      notes,
      cursor: 0,
      score: 0,
      combo: 0,
      bestCombo: 0,
      strayTaps: 0,
      endTick: (notes.at(-1)?.tick ?? 0) + TAIL_TICKS,
    };
  },

  step(state, actions) {
    const tick = state.tick;
    const tapped = new Set<number>();
    for (const lane of actions) {
      if (tapped.has(lane)) continue; // two taps of one lane in one tick count once
      tapped.add(lane);
      let hit: Note | null = null;
      for (let i = state.cursor; i < state.notes.length; i++) {
        const note = state.notes[i]!;
        if (note.tick - tick > GOOD_WINDOW) break;
        if (
          note.judgement === "pending" &&
          note.lane === lane &&
          Math.abs(note.tick - tick) <= GOOD_WINDOW
        ) {
          hit = note;
          break;
        }
      }
      if (hit) {
        judge(state, hit, Math.abs(hit.tick - tick) <= PERFECT_WINDOW ? "perfect" : "good");
      } else {
        state.strayTaps++;
        state.combo = 0;
      }
    }
    // Notes that slid past the window are missed.
    while (state.cursor < state.notes.length) {
      const note = state.notes[state.cursor]!;
      if (note.judgement === "pending" && tick - note.tick > GOOD_WINDOW)
        judge(state, note, "miss");
      if (note.judgement === "pending") break;
      state.cursor++;
    }
    state.tick++;
    return null;
  },

  isOver(state) {
    return state.tick > state.endTick;
  },

  result(state) {
    return {
      score: state.score,
      perfect: state.strayTaps === 0 && state.notes.every((n) => n.judgement === "perfect"),
      ticks: state.tick,
    };
  },
};
