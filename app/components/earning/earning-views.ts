import type { DisplayAmount } from "#shared/money.ts";

/** One paid share (an achievement, a streak milestone, a quest) as the browser gets it. */
export type PaidShareView = {
  id: string;
  label: string;
  /** The share of the rule's amount, in percent ("20%"). */
  share: string;
  amount: DisplayAmount;
};

/** One rewarded action as "How earning works" shows it. */
export type EarningActionView = {
  actionKind: string;
  label: string;
  paidTo: string;
  amount: DisplayAmount;
  smallestAmount: DisplayAmount;
  isShared: boolean;
  dailyCap: number | null;
  perTargetCapWords: string | null;
  holdWords: string;
  budgetName: string;
  isBudgetExhausted: boolean;
  isEnabled: boolean;
  notes: string[];
};

export type EarningStreamView = {
  stream: string;
  label: string;
  description: string;
  actions: EarningActionView[];
};

export type EarningGuideView = {
  streams: EarningStreamView[];
  games: {
    gameId: string;
    title: string;
    achievements: (PaidShareView & { description: string })[];
  }[];
  streakMilestones: PaidShareView[];
  quests: {
    /** "7 Dec 2026": the Monday the week starts (UTC). */
    weekStart: string;
    /** "13 Dec 2026": its Sunday. */
    weekEnd: string;
    quests: (PaidShareView & {
      description: string;
      isBonus: boolean;
      unlocksAtLevel: number | null;
    })[];
  };
  budgets: {
    id: string;
    name: string;
    isDaily: boolean;
    dailyAmount: DisplayAmount | null;
    remainingToday: DisplayAmount;
    isExhausted: boolean;
  }[];
  activation: {
    allowance: DisplayAmount;
    paidBeforeActivation: string[];
    steps: string[];
    establishedAfterDays: number;
  };
  comingSoon: readonly string[];
};
