import type { EarningPaceView } from "#app/components/earnings/earning-pace-card.tsx";
import type { DisplayAmount } from "#shared/money.ts";

/** A moment as loaders send it: ISO for machines, "5m" and "7 Dec 2026, 14:05 UTC" for people. */
export type TimeStampView = { iso: string; ago: string; full: string };

/** One stream's row in the earnings chart; widths are whole percent of the widest week. */
export type StreamBar = {
  stream: string;
  label: string;
  description: string;
  today: DisplayAmount;
  thisWeek: DisplayAmount;
  todayWidth: number;
  weekWidth: number;
};

export type StreakView = {
  length: number;
  isTodayDone: boolean;
  freezesLeftThisWeek: number;
  nextMilestone: number | null;
  /** What reaching the next milestone pays; null when nothing. */
  nextMilestonePays: DisplayAmount | null;
};

export type QuestView = {
  id: string;
  title: string;
  description: string;
  progress: number;
  target: number;
  isCompleted: boolean;
  isBonus: boolean;
  pays: DisplayAmount | null;
  /** Where the quest is worked on. */
  href: string;
};

export type RecentRewardView = {
  id: string;
  memo: string;
  amount: DisplayAmount;
  status: "held" | "available" | "refused" | "reversed";
  statusWords: string;
  /** The stream's label, e.g. "Games". */
  stream: string;
  at: TimeStampView;
};

export type NextStepView = {
  kind: string;
  title: string;
  detail: string;
  href: string;
  pays: DisplayAmount | null;
};

/** Everything the signed-in home shows (app/utils/home.server.ts' loadHome). */
export type HomeView = {
  pace: EarningPaceView;
  streams: StreamBar[];
  hasEarnedThisWeek: boolean;
  streak: StreakView;
  level: { level: number; xp: number };
  quests: QuestView[];
  /** When this week's quests end, in words. */
  questsEnd: string;
  recentRewards: RecentRewardView[];
  nextSteps: NextStepView[];
};
