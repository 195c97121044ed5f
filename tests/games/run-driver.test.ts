import { describe, expect, it } from "vitest";
import { replayRun } from "#game/engine/replay.ts";
import { RunDriver } from "#game/engine/run-driver.ts";
import { allSegmentSeeds, segmentSeed } from "#game/engine/run-seeds.ts";
import { rapidsRhythm } from "#game/rapids-rhythm/rules/rapids-rhythm.ts";
import { FP, JUMP, PLAYER_X, riverRun } from "#game/river-run/rules/river-run.ts";
import { findMatches, SIZE, tideTiles } from "#game/tide-tiles/rules/tide-tiles.ts";

/** Uneven frame times, as a real browser delivers them (16–34 ms, with a long hitch). */
function* frames(): Generator<number> {
  const pattern = [16.7, 16.6, 17.1, 33.4, 16.2, 16.9, 120, 16.7, 25];
  for (let i = 0; ; i++) yield pattern[i % pattern.length]!;
}

describe("the run driver (the browser's clock for every game)", () => {
  it("turns wall-clock time into fixed ticks and records inputs at the tick they land on, as replay reads them", () => {
    const driver = new RunDriver(riverRun, allSegmentSeeds(riverRun, "driver-1"));
    const time = frames();
    while (!driver.isOver) {
      const state = driver.state;
      const next = state.rocks.find((r) => r.x + r.w > state.distance + PLAYER_X * FP);
      if (state.y === 0 && next && (next.x - state.distance - PLAYER_X * FP) / state.speed < 14) {
        driver.input(JUMP);
        driver.input(JUMP); // a second press before the tick counts once
      }
      driver.advance(time.next().value);
    }
    const { inputs, claimedScore } = driver.submission();
    expect(inputs.length).toBeGreaterThan(3);
    expect(new Set(inputs.map(([tick]) => tick)).size).toBe(inputs.length);
    expect(replayRun(riverRun, "driver-1", inputs)).toEqual({ ok: true, result: driver.result() });
    expect(claimedScore).toBe(driver.result().score);
  });

  it("a paused driver stops its clock and takes no input; a long hitch is capped, not skipped ahead", () => {
    const driver = new RunDriver(rapidsRhythm, "driver-2");
    expect(driver.advance(1000 / 60)).toBe(1);
    driver.pause();
    expect(driver.advance(5000)).toBe(0);
    expect(driver.input(2)).toBe(false);
    driver.resume();
    expect(driver.advance(10_000)).toBe(15); // 250 ms at most per call
    expect(driver.tick).toBe(16);
  });

  it("ending a segmented run early stops it where it is, and the replay ends it at the same tick", () => {
    const driver = new RunDriver(rapidsRhythm, segmentSeed(rapidsRhythm, "driver-3", 0));
    const time = frames();
    for (let i = 0; i < 400; i++) {
      const due = driver.state.notes.filter((n) => n.tick === driver.tick);
      for (const note of due) driver.input(note.lane);
      driver.advance(time.next().value);
    }
    const early = driver.finish();
    expect(driver.isOver).toBe(true);
    const submission = driver.submission();
    expect(submission.endedAtTick).toBe(driver.tick);
    expect(early.ticks).toBe(driver.tick);
    expect(
      replayRun(rapidsRhythm, "driver-3", submission.inputs, {
        endedAtTick: submission.endedAtTick,
      }),
    ).toEqual({ ok: true, result: early });
  });

  it("the clock waits at a segment boundary until that segment's seed arrives, then plays on as the replay does", () => {
    const seeds = allSegmentSeeds(rapidsRhythm, "driver-5");
    const driver = new RunDriver(rapidsRhythm, seeds[0]!);
    const length = rapidsRhythm.segmentTicks!;
    expect(driver.nextMissingSegment).toBe(1);
    while (driver.tick < length && !driver.isOver) driver.advance(16.7);
    expect(driver.isWaitingForSegment).toBe(true);
    expect(driver.advance(1000)).toBe(0);
    expect(driver.tick).toBe(length);
    driver.addSegmentSeed(1, seeds[1]!);
    expect(driver.isWaitingForSegment).toBe(false);
    expect(driver.nextMissingSegment).toBe(2);
    // No time was banked while waiting: one frame is about one tick.
    expect(driver.advance(17)).toBe(1);
    for (let k = 2; k < seeds.length; k++) driver.addSegmentSeed(k, seeds[k]!);
    const result = driver.finish();
    expect(
      replayRun(rapidsRhythm, "driver-5", driver.submission().inputs, { endedAtTick: driver.tick }),
    ).toEqual({
      ok: true,
      result,
    });
  });

  it("turn-based games step once per move, refuse a swap that makes no line without changing anything, and replay", () => {
    const isLegalMove = (state: { board: number[] }, action: number) => {
      const index = action >> 1;
      const other = action & 1 ? index + SIZE : index + 1;
      if (action & 1 ? index >= SIZE * (SIZE - 1) : index % SIZE === SIZE - 1) return false;
      const board = [...state.board];
      [board[index], board[other]] = [board[other]!, board[index]!];
      return findMatches(board).size > 0;
    };
    const driver = new RunDriver(tideTiles, "driver-4", { isLegalMove });
    expect(() => driver.input(0)).toThrow();
    for (let made = 0; made < 5; made++) {
      const before = [...driver.state.board];
      const bad = Array.from({ length: SIZE * SIZE * 2 }, (_, code) => code).find(
        (code) => !isLegalMove(driver.state, code),
      )!;
      expect(driver.move(bad)).toMatchObject({ ok: false });
      expect(driver.state.board).toEqual(before);
      const good = Array.from({ length: SIZE * SIZE * 2 }, (_, code) => code).find((code) =>
        isLegalMove(driver.state, code),
      )!;
      expect(driver.move(good)).toEqual({ ok: true });
    }
    expect(driver.tick).toBe(5);
    const result = driver.finish();
    expect(result.ticks).toBe(tideTiles.maxTicks);
    expect(replayRun(tideTiles, "driver-4", driver.submission().inputs)).toEqual({
      ok: true,
      result,
    });
  });
});
