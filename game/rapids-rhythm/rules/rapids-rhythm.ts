import type { GameRules } from "../../engine/game-rules.ts";
import { createRng, type Rng } from "../../engine/rng.ts";

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

/** Ticks per randomness segment (10 s) of version 2. */
export const RAPIDS_RHYTHM_SEGMENT_TICKS = 600;
/**
 * A segment's seed charts the beats from this far past the segment's start, so a note is
 * known before it shows (notes show about two seconds, 120 ticks, ahead of their beat).
 */
const CHART_LEAD_TICKS = 150;

/** Charts beats [from, to): a note on most beats and some half-beats, lanes drawn from `rng`. */
function chartBeats(rng: Rng, from: number, to: number, notes: Note[]) {
  for (let beat = from; beat < Math.min(to, SONG_BEATS); beat++) {
    const tick = FIRST_NOTE_TICK + beat * BEAT_TICKS;
    if (rng.int(8) !== 0) notes.push({ tick, lane: rng.int(LANES), judgement: "pending" });
    if (beat > 16 && rng.int(4) === 0) {
      notes.push({ tick: tick + BEAT_TICKS / 2, lane: rng.int(LANES), judgement: "pending" });
    }
  }
}

/** The first beat whose tick is at or after `tick`. */
const beatAt = (tick: number) => Math.max(0, Math.ceil((tick - FIRST_NOTE_TICK) / BEAT_TICKS));

/** Version 1's chart: the whole song from one seed. */
function chart(seed: string): Note[] {
  const notes: Note[] = [];
  chartBeats(createRng(`rapids-rhythm:${seed}`), 0, SONG_BEATS, notes);
  return notes;
}

/** Version 2's segment k charts the beats from (k × segment + lead) to the next segment's. */
function chartSegment(seed: string, segment: number, notes: Note[]) {
  const start =
    segment === 0 ? 0 : beatAt(segment * RAPIDS_RHYTHM_SEGMENT_TICKS + CHART_LEAD_TICKS);
  const end = beatAt((segment + 1) * RAPIDS_RHYTHM_SEGMENT_TICKS + CHART_LEAD_TICKS);
  chartBeats(createRng(`rapids-rhythm:${seed}:${segment}`), start, end, notes);
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

/** The pending note `lane`'s tap at this tick would judge, if any. */
function noteFor(state: Readonly<RapidsRhythmState>, lane: number, tick: number): Note | null {
  for (let i = state.cursor; i < state.notes.length; i++) {
    const note = state.notes[i]!;
    if (note.tick - tick > GOOD_WINDOW) break;
    if (
      note.judgement === "pending" &&
      note.lane === lane &&
      Math.abs(note.tick - tick) <= GOOD_WINDOW
    ) {
      return note;
    }
  }
  return null;
}

/**
 * Version 1 charts the whole song from the seed at the start; version 2 charts it a
 * segment at a time, from seeds revealed as the song plays, and always ends at the song's
 * last possible beat (its last note is not known at the start). Version 1 stays so runs
 * issued on it (and recorded runs) still replay.
 */
function rapidsRhythmRules(version: 1 | 2): GameRules<RapidsRhythmState> {
  const isSegmented = version >= 2;
  return {
    id: "rapids-rhythm",
    version,
    title: "Rapids Rhythm",
    ticksPerSecond: TICKS_PER_SECOND,
    maxTicks: FIRST_NOTE_TICK + SONG_BEATS * BEAT_TICKS + TAIL_TICKS + BEAT_TICKS,
    maxEvents: 2000,
    actionCount: LANES,
    ...(isSegmented
      ? {
          segmentTicks: RAPIDS_RHYTHM_SEGMENT_TICKS,
          reseed(state: RapidsRhythmState, seed: string) {
            chartSegment(seed, Math.floor(state.tick / RAPIDS_RHYTHM_SEGMENT_TICKS), state.notes);
          },
        }
      : {}),
    init(seed) {
      const notes = isSegmented ? [] : chart(seed);
      if (isSegmented) chartSegment(seed, 0, notes);
      return {
        tick: 0,
        notes,
        cursor: 0,
        score: 0,
        combo: 0,
        bestCombo: 0,
        strayTaps: 0,
        endTick: isSegmented
          ? FIRST_NOTE_TICK + (SONG_BEATS - 1) * BEAT_TICKS + BEAT_TICKS / 2 + TAIL_TICKS
          : (notes.at(-1)?.tick ?? 0) + TAIL_TICKS,
      };
    },
    ...rapidsRhythmCore,
  };
}

// A tap answers the note it hits: its cue is the note's own beat.
const rapidsRhythmCore: Pick<
  GameRules<RapidsRhythmState>,
  "step" | "isOver" | "result" | "cueOffset"
> = {
  cueOffset(state, lane) {
    const note = noteFor(state, lane, state.tick);
    return note ? state.tick - note.tick : null;
  },

  step(state, actions) {
    const tick = state.tick;
    const tapped = new Set<number>();
    for (const lane of actions) {
      if (tapped.has(lane)) continue; // two taps of one lane in one tick count once
      tapped.add(lane);
      const hit = noteFor(state, lane, tick);
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

export const rapidsRhythmV1 = rapidsRhythmRules(1);
/** The current rules: what new runs are issued on. */
export const rapidsRhythm = rapidsRhythmRules(2);
