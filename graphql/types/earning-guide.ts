import {
  getEarningGuide,
  type EarningAction,
  type EarningActivation,
  type EarningBudget,
  type EarningGame,
  type EarningGuide,
  type EarningQuest,
  type EarningQuests,
  type EarningStream,
  type PaidShare,
} from "#core/rewards/earning-guide.ts";
import { builder } from "../builder.ts";

// How earning works, from the live rules: the same data the /earning page shows.

const PaidShareRef = builder.objectRef<PaidShare>("EarningPaidShare").implement({
  description:
    "What one achievement, streak milestone or quest pays: its share of its rule's amount, computed as the payout computes it.",
  fields: (t) => ({
    id: t.exposeID("id"),
    label: t.exposeString("label"),
    shareThousandths: t.exposeInt("shareThousandths"),
    amount: t.expose("amount", { type: "TokenAmount" }),
  }),
});

const EarningActionRef = builder.objectRef<EarningAction>("EarningAction").implement({
  description: "One rewarded action under the live rules.",
  fields: (t) => ({
    actionKind: t.exposeString("actionKind"),
    label: t.exposeString("label"),
    paidTo: t.exposeString("paidTo", { description: "Whom it pays, in words." }),
    amount: t.expose("amount", {
      type: "TokenAmount",
      description: "What one reward pays; the most one pays when `shares` is not empty.",
    }),
    smallestAmount: t.expose("smallestAmount", { type: "TokenAmount" }),
    shares: t.field({ type: [PaidShareRef], resolve: (a) => a.shares }),
    dailyCap: t.exposeInt("dailyCap", { nullable: true }),
    perTargetDailyCap: t.exposeInt("perTargetDailyCap", { nullable: true }),
    perTargetCapWords: t.exposeString("perTargetCapWords", { nullable: true }),
    holdSeconds: t.exposeInt("holdSeconds"),
    holdWords: t.exposeString("holdWords"),
    budgetId: t.exposeString("budgetId"),
    budgetName: t.exposeString("budgetName"),
    isBudgetExhausted: t.exposeBoolean("isBudgetExhausted", {
      description: "True when its budget cannot pay even its smallest reward today.",
    }),
    isEnabled: t.exposeBoolean("isEnabled"),
    notes: t.exposeStringList("notes"),
  }),
});

const EarningStreamRef = builder.objectRef<EarningStream>("EarningStream").implement({
  fields: (t) => ({
    stream: t.exposeString("stream", { description: "social, games, daily or bonus." }),
    label: t.exposeString("label"),
    description: t.exposeString("description"),
    actions: t.field({ type: [EarningActionRef], resolve: (s) => s.actions }),
  }),
});

const EarningBudgetRef = builder.objectRef<EarningBudget>("EarningBudget").implement({
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    kind: t.exposeString("kind", { description: "daily_emission or escrow." }),
    dailyAmount: t.expose("dailyAmount", { type: "TokenAmount", nullable: true }),
    remainingToday: t.expose("remainingToday", { type: "TokenAmount" }),
    isExhausted: t.exposeBoolean("isExhausted"),
  }),
});

type GameAchievement = EarningGame["achievements"][number];

const EarningAchievementRef = builder.objectRef<GameAchievement>("EarningAchievement").implement({
  fields: (t) => ({
    id: t.exposeID("id"),
    title: t.exposeString("label"),
    description: t.exposeString("description"),
    shareThousandths: t.exposeInt("shareThousandths"),
    amount: t.expose("amount", { type: "TokenAmount" }),
  }),
});

const EarningGameRef = builder.objectRef<EarningGame>("EarningGame").implement({
  fields: (t) => ({
    gameId: t.exposeID("gameId"),
    title: t.exposeString("title"),
    achievements: t.field({ type: [EarningAchievementRef], resolve: (g) => g.achievements }),
  }),
});

const EarningQuestRef = builder.objectRef<EarningQuest>("EarningQuest").implement({
  fields: (t) => ({
    id: t.exposeID("id"),
    title: t.exposeString("label"),
    description: t.exposeString("description"),
    target: t.exposeInt("target"),
    shareThousandths: t.exposeInt("shareThousandths"),
    amount: t.expose("amount", { type: "TokenAmount" }),
    isBonus: t.exposeBoolean("isBonus"),
    unlocksAtLevel: t.exposeInt("unlocksAtLevel", { nullable: true }),
  }),
});

const EarningQuestsRef = builder.objectRef<EarningQuests>("EarningQuests").implement({
  fields: (t) => ({
    weekStart: t.exposeString("weekStart", { description: "The week's Monday (UTC)." }),
    endsAt: t.expose("endsAt", { type: "DateTime" }),
    quests: t.field({ type: [EarningQuestRef], resolve: (q) => q.quests }),
  }),
});

const EarningActivationRef = builder.objectRef<EarningActivation>("EarningActivation").implement({
  description: "What a new account is paid before activation, and what activates it.",
  fields: (t) => ({
    allowance: t.expose("allowance", { type: "TokenAmount" }),
    paidBeforeActivation: t.exposeStringList("paidBeforeActivation"),
    steps: t.stringList({ resolve: (a) => a.steps.map((s) => s.words) }),
    establishedAfterDays: t.exposeInt("establishedAfterDays"),
  }),
});

const EarningGuideRef = builder.objectRef<EarningGuide>("EarningGuide").implement({
  description:
    "How earning works, from the live reward rules: every action, whom it pays, how much, its caps, hold and budget.",
  fields: (t) => ({
    asOf: t.expose("asOf", { type: "DateTime" }),
    streams: t.field({ type: [EarningStreamRef], resolve: (g) => g.streams }),
    budgets: t.field({ type: [EarningBudgetRef], resolve: (g) => g.budgets }),
    games: t.field({ type: [EarningGameRef], resolve: (g) => g.games }),
    streakMilestones: t.field({ type: [PaidShareRef], resolve: (g) => g.streakMilestones }),
    quests: t.field({ type: EarningQuestsRef, resolve: (g) => g.quests }),
    activation: t.field({ type: EarningActivationRef, resolve: (g) => g.activation }),
    comingSoon: t.stringList({
      description: "Streams that do not pay yet.",
      resolve: (g) => [...g.comingSoon],
    }),
  }),
});

builder.queryField("earningGuide", (t) =>
  t.field({
    type: EarningGuideRef,
    description: "How earning works, from the live rules. Public.",
    resolve: (_root, _args, context) => getEarningGuide(context.services.db),
  }),
);
