import { formatDay } from "#shared/dates.ts";
import type { EarningGuideView, PaidShareView } from "#app/components/earning/earning-views.ts";
import type { EarningGuide, PaidShare } from "#core/rewards/earning-guide.ts";
import { displayAmount } from "#shared/money.ts";

const percentOf = (thousandths: number) => `${thousandths / 10}%`;

export function paidShareView(share: PaidShare): PaidShareView {
  return {
    id: share.id,
    label: share.label,
    share: percentOf(share.shareThousandths),
    amount: displayAmount(share.amount),
  };
}

/** The earning guide ready for the browser: amounts as DisplayAmount, dates as days. */
export function earningGuideView(guide: EarningGuide): EarningGuideView {
  return {
    streams: guide.streams.map((stream) => ({
      stream: stream.stream,
      label: stream.label,
      description: stream.description,
      actions: stream.actions.map((action) => ({
        actionKind: action.actionKind,
        label: action.label,
        paidTo: action.paidTo,
        amount: displayAmount(action.amount),
        smallestAmount: displayAmount(action.smallestAmount),
        isShared: action.shares.length > 0,
        dailyCap: action.dailyCap,
        perTargetCapWords: action.perTargetCapWords,
        holdWords: action.holdWords,
        budgetName: action.budgetName,
        isBudgetExhausted: action.isBudgetExhausted,
        isEnabled: action.isEnabled,
        notes: action.notes,
      })),
    })),
    games: guide.games.map((game) => ({
      gameId: game.gameId,
      title: game.title,
      achievements: game.achievements.map((a) => ({
        ...paidShareView(a),
        description: a.description,
      })),
    })),
    streakMilestones: guide.streakMilestones.map(paidShareView),
    quests: {
      weekStart: formatDay(`${guide.quests.weekStart}T00:00:00Z`),
      weekEnd: formatDay(new Date(guide.quests.endsAt.getTime() - 1)),
      quests: guide.quests.quests.map((q) => ({
        ...paidShareView(q),
        description: q.description,
        isBonus: q.isBonus,
        unlocksAtLevel: q.unlocksAtLevel,
      })),
    },
    budgets: guide.budgets.map((budget) => ({
      id: budget.id,
      name: budget.name,
      isDaily: budget.kind === "daily_emission",
      dailyAmount: budget.dailyAmount === null ? null : displayAmount(budget.dailyAmount),
      remainingToday: displayAmount(budget.remainingToday),
      isExhausted: budget.isExhausted,
    })),
    activation: {
      allowance: displayAmount(guide.activation.allowance),
      paidBeforeActivation: guide.activation.paidBeforeActivation,
      steps: guide.activation.steps.map((s) => s.words),
      establishedAfterDays: guide.activation.establishedAfterDays,
    },
    comingSoon: guide.comingSoon,
  };
}
