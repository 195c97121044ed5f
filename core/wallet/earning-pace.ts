import type { UserId } from "#core/auth/ids.ts";
import {
  isOneOffStream,
  rewardStreams,
  streamOf,
  type RewardStream,
} from "#core/rewards/reward-streams.ts";
import type { Db } from "#db/create-db.ts";
import { sumEarningsByKindAndDay } from "./earning-pace.repository.ts";

export type StreamEarnings = { stream: RewardStream; today: bigint; thisWeek: bigint };

export type EarningPace = {
  /** Earned since the start of today (UTC), held + available; reversed and refused excluded. */
  today: bigint;
  /** The last 7 days including today. */
  thisWeek: bigint;
  /** Recurring streams' last-7-day earnings × 365 / 7, rounded down (bonuses excluded). */
  yearAtPace: bigint;
  /** Every stream in rewardStreams order, zeros included. */
  byStream: StreamEarnings[];
  /** The last 7 days, oldest first. */
  daily: { day: string /* YYYY-MM-DD */; amount: bigint }[];
  asOf: Date;
};

const DAY_MS = 24 * 60 * 60 * 1000;
/** The window "this week" and the pace are measured over, today included. */
export const PACE_WINDOW_DAYS = 7;

const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/**
 * What the user earned today and over the last seven UTC days, by stream and by day, and
 * what the recurring streams would add up to in a year at this week's pace. One query.
 */
export async function getEarningPace(
  db: Db,
  userId: UserId,
  now: Date = new Date(),
): Promise<EarningPace> {
  const startOfToday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const from = new Date(startOfToday - (PACE_WINDOW_DAYS - 1) * DAY_MS);
  const to = new Date(startOfToday + DAY_MS);
  const rows = await sumEarningsByKindAndDay(db, userId, from, to);

  const days = Array.from({ length: PACE_WINDOW_DAYS }, (_, i) =>
    utcDay(new Date(from.getTime() + i * DAY_MS)),
  );
  const today = days[days.length - 1]!;
  const byDay = new Map(days.map((day) => [day, 0n]));
  const byStream = new Map<RewardStream, StreamEarnings>(
    rewardStreams.map((stream) => [stream, { stream, today: 0n, thisWeek: 0n }]),
  );
  for (const row of rows) {
    // The query's window is the days listed; a row outside it would be a clock mismatch.
    if (!byDay.has(row.day)) continue;
    byDay.set(row.day, byDay.get(row.day)! + row.amount);
    const stream = byStream.get(streamOf(row.actionKind))!;
    stream.thisWeek += row.amount;
    if (row.day === today) stream.today += row.amount;
  }

  const streams = [...byStream.values()];
  const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);
  const recurringWeek = sum(
    streams.filter((s) => !isOneOffStream(s.stream)).map((s) => s.thisWeek),
  );
  return {
    today: sum(streams.map((s) => s.today)),
    thisWeek: sum(streams.map((s) => s.thisWeek)),
    yearAtPace: (recurringWeek * 365n) / BigInt(PACE_WINDOW_DAYS),
    byStream: streams,
    daily: days.map((day) => ({ day, amount: byDay.get(day)! })),
    asOf: now,
  };
}
