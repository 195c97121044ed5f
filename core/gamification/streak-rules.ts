import { addDays, DAY_MS, dayStart, weekStartOf } from "./calendar.ts";

/**
 * Daily streaks, computed from the days someone did anything rewarded (pure: the same
 * days always give the same streak).
 *
 * - A day counts when it has at least one rewarded action (UTC). Today never breaks a
 *   streak: there is until midnight UTC to keep it.
 * - One missed day per ISO week is bridged by a freeze, applied automatically to the first
 *   day missed in that week while a streak is alive (and spent even if a second missed
 *   day then breaks the streak).
 * - A repaired day (bought back within 48 hours of its end, once a month) bridges like a
 *   freeze. Frozen and repaired days keep a streak alive but do not lengthen it.
 * - Bonuses are paid at milestones of active days in the run.
 */
export const FREEZES_PER_WEEK = 1;
export const REPAIR_WINDOW_HOURS = 48;
/** Furthest back a streak is walked (a longer one shows as this long). */
export const STREAK_HORIZON_DAYS = 800;

/** Milestones (days) and the part of the streak bonus rule's amount each pays, in thousandths. */
export const streakMilestones: readonly { days: number; shareThousandths: number }[] = [
  { days: 3, shareThousandths: 100 },
  { days: 7, shareThousandths: 200 },
  { days: 14, shareThousandths: 300 },
  { days: 30, shareThousandths: 500 },
  { days: 60, shareThousandths: 600 },
  { days: 100, shareThousandths: 800 },
  { days: 180, shareThousandths: 900 },
  { days: 365, shareThousandths: 1000 },
];

export type StreakInput = {
  activeDays: ReadonlySet<string>;
  repairedDays: ReadonlySet<string>;
  today: string;
  freezesPerWeek?: number;
};

export type StreakRun = {
  /** Active days in the current run. */
  length: number;
  /** The run's first active day; null when there is no run. */
  startedOn: string | null;
  lastActiveOn: string | null;
  isTodayDone: boolean;
  /** Missed days inside the run bridged by a freeze, newest first. */
  frozenDays: string[];
  /** Repaired days inside the run, newest first. */
  repairedDays: string[];
  freezesLeftThisWeek: number;
  /** The missed day that ended the last run before this one (no freeze or repair covered it). */
  brokenOn: string | null;
};

export function computeStreak(input: StreakInput): StreakRun {
  const allowance = input.freezesPerWeek ?? FREEZES_PER_WEEK;
  const isTodayDone = input.activeDays.has(input.today);
  // Walked forwards, day by day as they happened: a freeze goes to the first day missed
  // in its week while a run is alive, and stays there.
  const usedByWeek = new Map<string, number>();
  let run = { length: 0, startedOn: null as string | null, lastActiveOn: null as string | null };
  let frozen: string[] = [];
  let repaired: string[] = [];
  let brokenOn: string | null = null;
  for (let back = STREAK_HORIZON_DAYS; back >= 0; back--) {
    const day = addDays(input.today, -back);
    if (input.activeDays.has(day)) {
      run = { length: run.length + 1, startedOn: run.startedOn ?? day, lastActiveOn: day };
      continue;
    }
    if (day === input.today || run.length === 0) continue;
    if (input.repairedDays.has(day)) {
      repaired.push(day);
      continue;
    }
    const week = weekStartOf(day);
    const used = usedByWeek.get(week) ?? 0;
    if (used < allowance) {
      usedByWeek.set(week, used + 1);
      frozen.push(day);
      continue;
    }
    brokenOn = day;
    run = { length: 0, startedOn: null, lastActiveOn: null };
    frozen = [];
    repaired = [];
  }
  return {
    ...run,
    isTodayDone,
    frozenDays: frozen.reverse(),
    repairedDays: repaired.reverse(),
    freezesLeftThisWeek: Math.max(0, allowance - (usedByWeek.get(weekStartOf(input.today)) ?? 0)),
    brokenOn,
  };
}

export type RepairOffer =
  | {
      isAvailable: true;
      day: string;
      deadline: Date;
      /** The streak's length once repaired. */
      restoredLength: number;
    }
  | {
      isAvailable: false;
      reason: "not_broken" | "too_late" | "gap_too_long" | "used_this_month";
      message: string;
    };

/**
 * Whether repairing the day that broke the run would bring the previous run back: only
 * within 48 hours after that day ended, and only when that one day is the whole gap.
 */
export function repairOffer(
  input: StreakInput,
  run: StreakRun,
  now: Date,
  isUsedThisMonth: boolean,
): RepairOffer {
  const broken = run.brokenOn;
  if (broken === null) {
    return { isAvailable: false, reason: "not_broken", message: "Your streak is not broken." };
  }
  const deadline = new Date(dayStart(broken).getTime() + DAY_MS + REPAIR_WINDOW_HOURS * 3_600_000);
  // A break more than a week past its deadline is history, not something to offer.
  if (now.getTime() >= deadline.getTime() + 7 * DAY_MS) {
    return {
      isAvailable: false,
      reason: "not_broken",
      message: "There is no recently broken streak to repair.",
    };
  }
  const repairedRun = computeStreak({
    ...input,
    repairedDays: new Set([...input.repairedDays, broken]),
  });
  if (repairedRun.length <= run.length) {
    // Nothing before the missed day to bring back, or a gap of more than one day.
    const hadRunBefore = computeStreak({ ...input, today: addDays(broken, -1) }).length > 0;
    return hadRunBefore
      ? {
          isAvailable: false,
          reason: "gap_too_long",
          message: "More than one day is missing: a repair covers a single day.",
        }
      : { isAvailable: false, reason: "not_broken", message: "There is no streak to repair." };
  }
  if (now.getTime() >= deadline.getTime()) {
    return {
      isAvailable: false,
      reason: "too_late",
      message: `A missed day can be repaired for ${REPAIR_WINDOW_HOURS} hours after it ends; ${broken} is past that.`,
    };
  }
  if (isUsedThisMonth) {
    return {
      isAvailable: false,
      reason: "used_this_month",
      message: "You already repaired a streak this month; one repair a month.",
    };
  }
  return { isAvailable: true, day: broken, deadline, restoredLength: repairedRun.length };
}
