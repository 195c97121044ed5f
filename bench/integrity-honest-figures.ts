/**
 * The honest newcomers' figures: which of their rewards were held for review (and whether a
 * named signal said why), and how many hours each took to become available while the bench
 * advances the clock.
 */
import type { Db } from "#db/create-db.ts";
import { readRewards, type RewardRow } from "./integrity-tally.ts";

/**
 * Holds that are not a review: the rule's own short hold, kept so an action can be undone.
 * A reward held for any other reason is "held"; it has a stated signal unless its reason is
 * the blanket new-account timer or missing.
 */
const UNDO_HOLD = "hold_period";
const NOT_A_SIGNAL = new Set(["new_account_review", "", null]);

export type HonestFigures = {
  rewards: number;
  amount: bigint;
  heldCount: number;
  heldShare: number;
  heldWithoutSignal: number;
  holdReasons: Map<string, number>;
  refused: number;
  refusedReasons: Map<string, number>;
  reversed: number;
  neverAvailable: number;
  medianHours: number | null;
  medianByKind: Map<string, number | null>;
};

type Track = {
  row: RewardRow;
  heldReason: string | null;
  hasSignal: boolean;
  hoursToAvailable: number | null;
};

const HOUR = 3_600_000;

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return Number.isFinite(middle) ? Math.round(middle * 10) / 10 : null;
}

/** Runs `step` at each simulated hour from `start` to `start + horizonHours`, watching the rewards. */
export async function measureHonest(
  db: Db,
  userIds: readonly string[],
  start: Date,
  horizonHours: number,
  step: (now: Date) => Promise<void>,
): Promise<HonestFigures> {
  const tracks = new Map<string, Track>();
  const observe = (rows: RewardRow[], at: Date | null) => {
    for (const row of rows) {
      let track = tracks.get(row.id);
      if (!track) {
        track = { row, heldReason: null, hasSignal: false, hoursToAvailable: null };
        tracks.set(row.id, track);
      }
      track.row = row;
      if (row.status === "held" && row.reason_code !== UNDO_HOLD && track.heldReason === null) {
        track.heldReason = `${row.reason_code ?? "no code"}: ${(row.reason ?? "no words").slice(0, 200)}`;
        track.hasSignal = !NOT_A_SIGNAL.has(row.reason_code) && Boolean(row.reason?.trim());
      }
      if (row.status === "available" && track.hoursToAvailable === null) {
        track.hoursToAvailable =
          at === null ? 0 : Math.max(0, (at.getTime() - row.created_at.getTime()) / HOUR);
      }
    }
  };
  observe(await readRewards(db, userIds), null);
  for (let hour = 0; hour <= horizonHours; hour++) {
    const at = new Date(start.getTime() + hour * HOUR);
    await step(at);
    observe(await readRewards(db, userIds), at);
  }

  const all = [...tracks.values()];
  const paid = all.filter((t) => t.row.status !== "refused");
  const amount = paid.reduce((sum, t) => sum + t.row.amount, 0n);
  const held = paid.filter((t) => t.heldReason !== null);
  const heldAmount = held.reduce((sum, t) => sum + t.row.amount, 0n);
  const holdReasons = countBy(held, (t) => t.heldReason!);
  const hours = (ts: Track[]) =>
    ts.filter((t) => t.row.status !== "reversed").map((t) => t.hoursToAvailable ?? Infinity);
  const kinds = [...new Set(paid.map((t) => t.row.action_kind))].sort();
  return {
    rewards: paid.length,
    amount,
    heldCount: held.length,
    heldShare: amount === 0n ? 0 : Number((heldAmount * 1_000_000n) / amount) / 1_000_000,
    heldWithoutSignal: held.filter((t) => !t.hasSignal).length,
    holdReasons,
    refused: all.length - paid.length,
    refusedReasons: countBy(
      all.filter((t) => t.row.status === "refused"),
      (t) => `${t.row.action_kind} ${t.row.reason_code ?? ""}: ${t.row.reason ?? ""}`,
    ),
    reversed: paid.filter((t) => t.row.status === "reversed").length,
    neverAvailable: paid.filter((t) => t.row.status !== "reversed" && t.hoursToAvailable === null)
      .length,
    medianHours: median(hours(paid)),
    medianByKind: new Map(
      kinds.map((k) => [k, median(hours(paid.filter((t) => t.row.action_kind === k)))]),
    ),
  };
}
