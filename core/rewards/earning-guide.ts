import { listAchievements } from "#core/games/achievements.ts";
import { listGames } from "#core/games/game-directory.ts";
import { weekStartOf } from "#core/gamification/calendar.ts";
import { ensureGamificationRules } from "#core/gamification/gamification-rules.ts";
import { levelPostCapBonus, perks } from "#core/gamification/levels.ts";
import { questCatalogue, questsForWeek, weekEndsAt } from "#core/gamification/quests.ts";
import { streakMilestones } from "#core/gamification/streak-rules.ts";
import { gamificationKinds } from "#core/gamification/xp-table.ts";
import {
  activationStepWords,
  ESTABLISHED_AFTER_DAYS,
  type ActivationStep,
} from "#core/integrity/activation.ts";
import { PAID_BEFORE_ACTIVATION, UNACTIVATED_ALLOWANCE } from "#core/integrity/risk-signals.ts";
import { accountCodes, findAccountsByCode, spendable } from "#core/ledger/accounts.repository.ts";
import { curationShare } from "#core/social/social-rewards.ts";
import { trustPostCapBonus, trustRules } from "#core/trust/trust-levels.ts";
import type { Db } from "#db/create-db.ts";
import { utcDay } from "./decide-rewards.ts";
import { hasTransfer } from "./reward-batch.repository.ts";
import { findBudgets, listRules, type RewardRule } from "./reward-rules.repository.ts";
import { shareOfRuleAmount } from "./reward-share.ts";
import { rewardStreams, rewardStreamWords, streamOf, type RewardStream } from "./reward-streams.ts";

/**
 * "How earning works", computed from the live reward rules (what admins set at
 * /admin/rewards, not the defaults): every action, whom it pays, how much, its caps, hold
 * and budget; what each achievement, streak milestone and quest pays, by the same
 * function the payout uses (shareOfRuleAmount); and what activation holds back. Pure
 * data with plain words (no markup): the web page, the admin page and GraphQL shape it.
 */
export type EarningGuide = {
  asOf: Date;
  streams: EarningStream[];
  budgets: EarningBudget[];
  /** Each game's achievements with what each pays, once per person. */
  games: EarningGame[];
  streakMilestones: PaidShare[];
  /** This week's quests (Monday to Sunday, UTC); the bonus one needs a level perk. */
  quests: EarningQuests;
  activation: EarningActivation;
  /** Streams that do not pay yet, in the words of a list ("surveys", "gigs"…). */
  comingSoon: readonly string[];
};

export type EarningStream = {
  stream: RewardStream;
  label: string;
  description: string;
  actions: EarningAction[];
};

export type EarningAction = {
  actionKind: string;
  label: string;
  /** Whom it pays, e.g. "the author of the liked post or comment". */
  paidTo: string;
  /** The rule's amount: what one reward pays, or the most one pays when `shares` is not empty. */
  amount: bigint;
  /** The least one reward pays (equal to `amount` unless it pays shares). */
  smallestAmount: bigint;
  /** What each achievement, milestone or quest paid under this rule earns; empty for a flat rate. */
  shares: PaidShare[];
  /** Most rewards of this kind per person per UTC day; null for no cap. */
  dailyCap: number | null;
  perTargetDailyCap: number | null;
  /** The per-source cap in words, e.g. "1 a day from each liker"; null when there is none. */
  perTargetCapWords: string | null;
  holdSeconds: number;
  /** The hold in words, e.g. "pending for 1 day, then yours". */
  holdWords: string;
  budgetId: string;
  budgetName: string;
  /** True when its budget cannot pay even this action's smallest reward today. */
  isBudgetExhausted: boolean;
  isEnabled: boolean;
  /** Anything else that changes what it pays, in plain sentences. */
  notes: string[];
};

export type PaidShare = {
  id: string;
  label: string;
  /** Thousandths of the rule's amount. */
  shareThousandths: number;
  amount: bigint;
};

export type EarningBudget = {
  id: string;
  name: string;
  kind: "daily_emission" | "escrow";
  /** What a daily emission budget starts each UTC day with; null for an escrow. */
  dailyAmount: bigint | null;
  /** What it can still pay today. */
  remainingToday: bigint;
  /** True when none of the actions it pays for can be paid from it today. */
  isExhausted: boolean;
};

export type EarningGame = {
  gameId: string;
  title: string;
  rewardKind: string;
  achievements: (PaidShare & { description: string })[];
};

export type EarningQuest = PaidShare & {
  description: string;
  target: number;
  isBonus: boolean;
  /** The level whose perk unlocks it, for the bonus quest; null for everyone's. */
  unlocksAtLevel: number | null;
};

export type EarningQuests = { weekStart: string; endsAt: Date; quests: EarningQuest[] };

export type EarningActivation = {
  /** What an account earns before activation, at most (check-ins only). */
  allowance: bigint;
  /** Labels of the actions paid before activation, within the allowance. */
  paidBeforeActivation: string[];
  /** What activates an account, in order. */
  steps: { step: ActivationStep; words: string }[];
  establishedAfterDays: number;
};

/** Streams still to come; the page says so in one line. */
export const STREAMS_COMING_SOON = ["surveys", "gigs", "referrals", "paid replies"] as const;

const paidToWords: Record<string, string> = {
  "account.welcome": "you, once, when your account is activated",
  "checkin.daily": "you, for checking in",
  "post.created": "the author of the post",
  "like.received": "the author of the liked post or comment",
  "like.given": "the person who likes (a curation reward)",
  "comment.created": "the person who comments",
  "follow.received": "the person followed",
  "game.achievement": "the player who earns the achievement",
  [gamificationKinds.streakBonus]: "you, at each streak milestone",
  [gamificationKinds.questReward]: "you, for each weekly quest completed",
};

/** Whom a per-source cap counts, by action kind. */
const perTargetWords: Record<string, string> = {
  "like.received": "from each liker",
  "like.given": "for likes of the same person's posts",
  "comment.created": "on the same post",
  "follow.received": "from each follower",
};

const plural = (count: number, one: string) => `${count} ${one}${count === 1 ? "" : "s"}`;

/** "1 day", "3 days 1 hour", "90 seconds"… */
export function durationWords(seconds: number): string {
  const units: [number, string][] = [
    [86_400, "day"],
    [3_600, "hour"],
    [60, "minute"],
    [1, "second"],
  ];
  const parts: string[] = [];
  let left = seconds;
  for (const [size, name] of units) {
    const count = Math.floor(left / size);
    if (count > 0) parts.push(plural(count, name));
    left -= count * size;
  }
  return parts.join(" ");
}

/** A rule's hold as the user lives it: "yours at once" or "pending for 1 day, then yours". */
export function holdWords(seconds: number): string {
  return seconds === 0 ? "yours at once" : `pending for ${durationWords(seconds)}, then yours`;
}

function perTargetCapWords(actionKind: string, cap: number | null): string | null {
  if (cap === null) return null;
  return `${cap} a day ${perTargetWords[actionKind] ?? "from the same source"}`;
}

/** The thresholds where likes given in quick succession start paying less. */
function curationSteps(): { fromLike: number; shareThousandths: number }[] {
  const steps: { fromLike: number; shareThousandths: number }[] = [];
  let previous = 1000;
  for (let likes = 1; likes <= 1000; likes++) {
    const share = curationShare(likes);
    if (share !== previous) steps.push({ fromLike: likes, shareThousandths: share });
    previous = share;
  }
  return steps;
}

const percent = (thousandths: number) => `${thousandths / 10}%`;

function notesFor(rule: RewardRule): string[] {
  switch (rule.actionKind) {
    case "post.created": {
      const most =
        levelPostCapBonus(Number.MAX_SAFE_INTEGER) +
        trustPostCapBonus(Math.max(...trustRules.map((r) => r.level)));
      return [`Up to ${most} more rewarded posts a day as your level and trust level grow.`];
    }
    case "like.given": {
      const steps = curationSteps()
        .map((s) => `from the ${ordinal(s.fromLike)} like ${percent(s.shareThousandths)}`)
        .join(", ");
      return steps ? [`Many likes within a few minutes pay less: ${steps} of the amount.`] : [];
    }
    default:
      return [];
  }
}

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${{ 1: "st", 2: "nd", 3: "rd" }[n % 10] ?? "th"}`;
}

/** What a daily emission budget or an escrow can still pay today. */
async function remainingToday(
  db: Db,
  budgets: Awaited<ReturnType<typeof findBudgets>>,
  today: string,
): Promise<Map<string, bigint>> {
  const accounts = await findAccountsByCode(
    db,
    budgets.map((b) => accountCodes.budget(b.id)),
  );
  const byCode = new Map(accounts.map((a) => [a.code, spendable(a)]));
  const remaining = new Map<string, bigint>();
  for (const budget of budgets) {
    const left = byCode.get(accountCodes.budget(budget.id)) ?? 0n;
    // A daily emission budget is topped up to its daily amount by the day's first reward.
    const isToppedUp =
      budget.kind !== "daily_emission" ||
      budget.dailyAmount === null ||
      (await hasTransfer(db, `emission:${budget.id}:${today}`));
    remaining.set(
      budget.id,
      isToppedUp || left >= budget.dailyAmount! ? left : budget.dailyAmount!,
    );
  }
  return remaining;
}

/** How earning works, from the live rules as they are at `now`. */
export async function getEarningGuide(db: Db, now = new Date()): Promise<EarningGuide> {
  // The streak and quest rules appear with the gamification layer's first use.
  await ensureGamificationRules(db);
  const today = utcDay(now);
  const [rules, games, achievements] = await Promise.all([
    listRules(db),
    listGames(db),
    listAchievements(db, null),
  ]);
  const ruleOf = new Map(rules.map((r) => [r.actionKind, r]));
  const budgets = await findBudgets(db, [...new Set(rules.map((r) => r.budgetId))]);
  const remaining = await remainingToday(db, budgets, today);

  const share = (rule: RewardRule | undefined, id: string, label: string, thousandths: number) => ({
    id,
    label,
    shareThousandths: thousandths,
    amount: rule ? shareOfRuleAmount(rule.amount, thousandths) : 0n,
  });

  const earningGames: EarningGame[] = games.map((game) => ({
    gameId: game.id,
    title: game.title,
    rewardKind: game.rewardKind,
    achievements: achievements
      .filter((a) => a.gameId === game.id)
      .map((a) => ({
        ...share(ruleOf.get(game.rewardKind), a.id, a.title, a.shareThousandths),
        description: a.description,
      })),
  }));

  const streakRule = ruleOf.get(gamificationKinds.streakBonus);
  const milestones = streakMilestones.map((m) =>
    share(streakRule, `streak-${m.days}`, `${m.days}-day streak`, m.shareThousandths),
  );

  const questRule = ruleOf.get(gamificationKinds.questReward);
  const bonusLevel = perks.find((p) => p.id === "bonus-quest")?.unlocksAtLevel ?? null;
  const weekStart = weekStartOf(today);
  const questOf = (quest: (typeof questCatalogue)[string]) =>
    share(questRule, quest.id, quest.title, quest.rewardShareThousandths);
  const weekQuests: EarningQuest[] = questsForWeek(weekStart, Number.MAX_SAFE_INTEGER).map(
    (quest) => ({
      ...questOf(quest),
      description: quest.description,
      target: quest.goal.target,
      isBonus: quest.isBonus === true,
      unlocksAtLevel: quest.isBonus ? bonusLevel : null,
    }),
  );

  const sharesOf = (rule: RewardRule): PaidShare[] => {
    if (rule.actionKind === gamificationKinds.streakBonus) return milestones;
    if (rule.actionKind === gamificationKinds.questReward) {
      return Object.values(questCatalogue).map(questOf);
    }
    return earningGames
      .filter((g) => g.rewardKind === rule.actionKind)
      .flatMap((g) =>
        g.achievements.map(({ description: _, ...a }) => ({
          ...a,
          label: `${g.title}: ${a.label}`,
        })),
      );
  };

  const budgetOf = new Map(budgets.map((b) => [b.id, b]));
  const actions: EarningAction[] = rules.map((rule) => {
    const shares = sharesOf(rule);
    const smallestAmount = shares.reduce(
      (least, s) => (s.amount < least ? s.amount : least),
      rule.amount,
    );
    return {
      actionKind: rule.actionKind,
      label: rule.label,
      paidTo: paidToWords[rule.actionKind] ?? "the person who does it",
      amount: rule.amount,
      smallestAmount,
      shares,
      dailyCap: rule.dailyCap,
      perTargetDailyCap: rule.perTargetDailyCap,
      perTargetCapWords: perTargetCapWords(rule.actionKind, rule.perTargetDailyCap),
      holdSeconds: rule.holdSeconds,
      holdWords: holdWords(rule.holdSeconds),
      budgetId: rule.budgetId,
      budgetName: budgetOf.get(rule.budgetId)?.name ?? rule.budgetId,
      isBudgetExhausted: (remaining.get(rule.budgetId) ?? 0n) < smallestAmount,
      isEnabled: rule.isEnabled,
      notes: notesFor(rule),
    };
  });

  const streams = rewardStreams.map((stream): EarningStream => ({
    stream,
    ...rewardStreamWords[stream],
    actions: actions.filter((a) => streamOf(a.actionKind) === stream),
  }));

  return {
    asOf: now,
    streams,
    budgets: budgets.map((budget) => {
      const left = remaining.get(budget.id) ?? 0n;
      const paying = actions.filter((a) => a.budgetId === budget.id && a.isEnabled);
      return {
        id: budget.id,
        name: budget.name,
        kind: budget.kind,
        dailyAmount: budget.dailyAmount,
        remainingToday: left,
        isExhausted: paying.length > 0 && paying.every((a) => left < a.smallestAmount),
      };
    }),
    games: earningGames,
    streakMilestones: milestones,
    quests: { weekStart, endsAt: weekEndsAt(weekStart), quests: weekQuests },
    activation: {
      allowance: UNACTIVATED_ALLOWANCE,
      paidBeforeActivation: [...PAID_BEFORE_ACTIVATION].map((k) => ruleOf.get(k)?.label ?? k),
      steps: (Object.keys(activationStepWords) as ActivationStep[]).map((step) => ({
        step,
        words: activationStepWords[step],
      })),
      establishedAfterDays: ESTABLISHED_AFTER_DAYS,
    },
    comingSoon: STREAMS_COMING_SOON,
  };
}

/** What one achievement pays, by the guide: null when the guide does not list it. */
export function achievementAmount(guide: EarningGuide, achievementId: string): bigint | null {
  for (const game of guide.games) {
    const found = game.achievements.find((a) => a.id === achievementId);
    if (found) return found.amount;
  }
  return null;
}

/** What the streak bonus at `days` pays, by the guide: null when no milestone is that long. */
export function streakBonusAmount(guide: EarningGuide, days: number): bigint | null {
  const index = streakMilestones.findIndex((m) => m.days === days);
  return index === -1 ? null : (guide.streakMilestones[index]?.amount ?? null);
}

/** What a quest pays under the live rule (any quest of the catalogue, not only this week's). */
export function questAmount(guide: EarningGuide, questId: string): bigint | null {
  const quests = guide.streams
    .flatMap((s) => s.actions)
    .find((a) => a.actionKind === gamificationKinds.questReward);
  return quests?.shares.find((s) => s.id === questId)?.amount ?? null;
}
