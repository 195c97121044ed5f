import type { ObjectRef } from "@pothos/core";
import type { UserId } from "#core/auth/ids.ts";
import { listEarnedBadges, type Badge } from "#core/gamification/badges.ts";
import {
  getProgress,
  type PerkState,
  type Progress,
  type StreakStatus,
} from "#core/gamification/progress.service.ts";
import type { QuestProgress } from "#core/gamification/quests.ts";
import {
  getEarnersLeaderboard,
  getXpLeaderboard,
  type Ranking,
  type RankingEntry,
} from "#core/gamification/rankings.ts";
import { currentSeason, listSeasons, type Season } from "#core/gamification/seasons.ts";
import { repairStreak } from "#core/gamification/streak-repair.ts";
import type { TrustRequirement, TrustStatus } from "#core/trust/trust-levels.ts";
import { builder } from "../builder.ts";
import type { GraphQLContext } from "../context.ts";
import { socialLoaders } from "../loaders.ts";
import { ErrorInterface, NotSignedInError } from "./errors.ts";
import { RewardRef } from "./reward.ts";
import { UserRef } from "./user.ts";

// Progress across everything rewarded: XP and levels with their perks, trust levels,
// streaks, weekly quests, badges, seasons and the XP and earnings leaderboards.

type PothosTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

const BadgeCategoryEnum = builder.enumType("BadgeCategory", {
  values: {
    GAME: { value: "game", description: "A game achievement." },
    LEVEL: { value: "level" },
    STREAK: { value: "streak" },
    QUEST: { value: "quest" },
    TRUST: { value: "trust" },
  } as const,
});

const RankingPeriodEnum = builder.enumType("RankingPeriod", {
  values: {
    WEEK: { value: "week", description: "This week, from Monday 00:00 UTC." },
    SEASON: { value: "season", description: "A season (by default the calendar month, UTC)." },
  } as const,
});

const TrustRequirementKindEnum = builder.enumType("TrustRequirementKind", {
  values: {
    ACCOUNT_AGE: { value: "account_age", description: "Days since joining." },
    ACTIVE_DAYS: { value: "active_days", description: "Days with a rewarded action." },
    ACTIONS: { value: "actions", description: "Rewarded (verified) actions." },
    GOOD_STANDING: {
      value: "good_standing",
      description: "Days since moderators last hid something of yours.",
    },
  } as const,
});

const StreakRepairUnavailableReasonEnum = builder.enumType("StreakRepairUnavailableReason", {
  values: {
    NOT_BROKEN: { value: "not_broken", description: "No recently broken streak to repair." },
    TOO_LATE: { value: "too_late", description: "More than 48 hours after the missed day." },
    GAP_TOO_LONG: { value: "gap_too_long", description: "More than one day is missing." },
    USED_THIS_MONTH: { value: "used_this_month", description: "One repair a calendar month." },
  } as const,
});

export const BadgeRef = builder.objectRef<Badge>("Badge").implement({
  description: "A badge: a game achievement or a milestone, with its art.",
  fields: (t) => ({
    id: t.exposeID("id"),
    title: t.exposeString("title"),
    description: t.exposeString("description"),
    category: t.expose("category", { type: BadgeCategoryEnum }),
    art: t.exposeString("art", {
      description: "A small SVG image (64×64), safe to inline: built from constants only.",
    }),
    gameId: t.exposeID("gameId", { nullable: true }),
    earnedAt: t.expose("earnedAt", {
      type: "DateTime",
      nullable: true,
      description: "Null when not earned (yet).",
    }),
  }),
});

export const SeasonRef = builder.objectRef<Season>("Season").implement({
  description: "A season: leaderboards start again with each.",
  fields: (t) => ({
    id: t.exposeID("id", { description: 'A month ("2031-09") or a named season.' }),
    name: t.exposeString("name"),
    startsAt: t.expose("startsAt", { type: "DateTime" }),
    endsAt: t.expose("endsAt", { type: "DateTime" }),
  }),
});

const PerkRef = builder.objectRef<PerkState>("Perk").implement({
  description: "Something a level unlocks.",
  fields: (t) => ({
    id: t.exposeID("id"),
    title: t.exposeString("title"),
    description: t.exposeString("description"),
    unlocksAtLevel: t.exposeInt("unlocksAtLevel"),
    isUnlocked: t.exposeBoolean("isUnlocked"),
  }),
});

const TrustRequirementRef = builder.objectRef<TrustRequirement>("TrustRequirement").implement({
  fields: (t) => ({
    kind: t.expose("id", { type: TrustRequirementKindEnum }),
    description: t.exposeString("description"),
    current: t.exposeInt("current"),
    required: t.exposeInt("required"),
    isMet: t.exposeBoolean("isMet"),
  }),
});

const NextTrustLevelRef = builder
  .objectRef<NonNullable<TrustStatus["next"]>>("NextTrustLevel")
  .implement({
    description: "The next trust level and what it takes.",
    fields: (t) => ({
      level: t.exposeInt("level"),
      name: t.exposeString("name"),
      requirements: t.field({ type: [TrustRequirementRef], resolve: (n) => n.requirements }),
    }),
  });

const TrustStatusRef = builder.objectRef<TrustStatus>("TrustStatus").implement({
  description:
    "Trust level: 0 new, 1 basic, 2 member, 3 regular. Earned by time, days active and verified activity in good standing; lost when moderators hide one's content. Level 1 unlocks posting links; higher levels earn more rewarded posts a day.",
  fields: (t) => ({
    level: t.exposeInt("level"),
    name: t.exposeString("name"),
    next: t.field({ type: NextTrustLevelRef, nullable: true, resolve: (s) => s.next }),
    lastHiddenAt: t.expose("lastHiddenAt", {
      type: "DateTime",
      nullable: true,
      description: "When moderators last hid something of yours, while it still counts.",
    }),
    postCapBonus: t.exposeInt("postCapBonus"),
    canPostLinks: t.exposeBoolean("canPostLinks", {
      description: "Whether your posts and comments may have links (trust level 1 and up).",
    }),
  }),
});

const StreakRepairOfferRef = builder
  .objectRef<StreakStatus["repair"]>("StreakRepairOffer")
  .implement({
    description:
      "Whether a broken streak can be repaired now: once a calendar month, within 48 hours after the missed day, for `price` from the available balance.",
    fields: (t) => ({
      isAvailable: t.exposeBoolean("isAvailable"),
      day: t.string({
        nullable: true,
        description: "The missed day a repair would cover (YYYY-MM-DD, UTC).",
        resolve: (o) => (o.isAvailable ? o.day : null),
      }),
      deadline: t.field({
        type: "DateTime",
        nullable: true,
        resolve: (o) => (o.isAvailable ? o.deadline : null),
      }),
      restoredLength: t.int({
        nullable: true,
        description: "The streak's length once repaired.",
        resolve: (o) => (o.isAvailable ? o.restoredLength : null),
      }),
      price: t.expose("price", { type: "TokenAmount" }),
      unavailableReason: t.field({
        type: StreakRepairUnavailableReasonEnum,
        nullable: true,
        resolve: (o) => (o.isAvailable ? null : o.reason),
      }),
      message: t.string({
        nullable: true,
        description: "Why a repair is not available, in words.",
        resolve: (o) => (o.isAvailable ? null : o.message),
      }),
    }),
  });

const StreakRef = builder.objectRef<StreakStatus>("Streak").implement({
  description:
    "Days in a row with a rewarded action (UTC). One missed day a week is frozen automatically; frozen and repaired days keep a streak without lengthening it.",
  fields: (t) => ({
    length: t.exposeInt("length", { description: "Active days in the current streak." }),
    startedOn: t.exposeString("startedOn", { nullable: true, description: "YYYY-MM-DD." }),
    isTodayDone: t.exposeBoolean("isTodayDone", {
      description: "False until something rewarded happens today (UTC).",
    }),
    freezesPerWeek: t.exposeInt("freezesPerWeek"),
    freezesLeftThisWeek: t.exposeInt("freezesLeftThisWeek"),
    frozenDays: t.exposeStringList("frozenDays"),
    repairedDays: t.exposeStringList("repairedDays"),
    nextMilestone: t.exposeInt("nextMilestone", {
      nullable: true,
      description: "Days at which the next streak bonus is paid.",
    }),
    repair: t.field({ type: StreakRepairOfferRef, resolve: (s) => s.repair }),
  }),
});

const QuestRef = builder.objectRef<QuestProgress>("Quest").implement({
  description: "A weekly quest (Monday to Sunday, UTC) and the viewer's progress in it.",
  fields: (t) => ({
    id: t.id({ resolve: (q) => q.quest.id }),
    title: t.string({ resolve: (q) => q.quest.title }),
    description: t.string({ resolve: (q) => q.quest.description }),
    isBonus: t.boolean({ resolve: (q) => q.quest.isBonus === true }),
    progress: t.exposeInt("progress"),
    target: t.exposeInt("target"),
    isCompleted: t.exposeBoolean("isCompleted"),
    completedAt: t.expose("completedAt", { type: "DateTime", nullable: true }),
    endsAt: t.expose("endsAt", { type: "DateTime" }),
    reward: t.field({
      type: RewardRef,
      nullable: true,
      description: "The reward paid for completing it, once per week.",
      resolve: (q, _args, context) =>
        q.rewardId === null ? null : socialLoaders(context).rewards.load(q.rewardId),
    }),
  }),
});

const ProgressRef = builder.objectRef<Progress>("Progress").implement({
  description:
    "One's progress across everything rewarded. XP: every held or available reward earns its kind's XP; level n takes 50·(n−1)² XP in all.",
  fields: (t) => ({
    xp: t.int({ resolve: (p) => p.level.xp }),
    level: t.int({ resolve: (p) => p.level.level }),
    levelStartsAt: t.int({
      description: "Total XP at which the current level began.",
      resolve: (p) => p.level.levelStartsAt,
    }),
    nextLevelAt: t.int({
      nullable: true,
      description: "Total XP at which the next level begins; null at the top level.",
      resolve: (p) => p.level.nextLevelAt,
    }),
    perks: t.field({ type: [PerkRef], resolve: (p) => p.perks }),
    postCapBonus: t.exposeInt("postCapBonus", {
      description: "Extra rewarded posts a day, from level and trust level together.",
    }),
    trust: t.field({ type: TrustStatusRef, resolve: (p) => p.trust }),
    streak: t.field({ type: StreakRef, resolve: (p) => p.streak }),
    quests: t.field({ type: [QuestRef], resolve: (p) => p.quests }),
    badges: t.field({
      type: [BadgeRef],
      description: "The whole badge catalogue with earned dates.",
      resolve: (p) => p.badges,
    }),
    season: t.field({ type: SeasonRef, resolve: (p) => p.season }),
  }),
});

builder.objectFields(UserRef, (t) => ({
  progress: t.field({
    type: ProgressRef,
    nullable: true,
    description:
      "XP, level, perks, trust level, streak, quests and badges. Only visible to the user themself. Reading it also pays any streak bonus or weekly quest reward that is due (each once).",
    authScopes: (user, _args, context) => context.viewer?.user.id === user.id,
    resolve: (user, _args, context) =>
      getProgress({ db: context.services.db, rewards: context.services.rewards }, user.id),
  }),
  badges: t.field({
    type: [BadgeRef],
    description: "The badges this person earned, newest first: public, as shown on a profile.",
    resolve: (user, _args, context) => listEarnedBadges(context.services.db, user.id),
  }),
}));

async function loadEntryUser(entry: RankingEntry<unknown>, context: GraphQLContext) {
  const user = await socialLoaders(context).users.load(entry.userId);
  if (!user) throw new Error(`user ${entry.userId} vanished`);
  return user;
}

const XpEntryRef = builder.objectRef<RankingEntry<number>>("XpLeaderboardEntry").implement({
  fields: (t) => ({
    rank: t.exposeInt("rank", { description: "Equal figures share a rank." }),
    xp: t.exposeInt("value"),
    user: t.field({ type: UserRef, resolve: (e, _args, context) => loadEntryUser(e, context) }),
  }),
});

const EarnerEntryRef = builder
  .objectRef<RankingEntry<bigint>>("EarnersLeaderboardEntry")
  .implement({
    fields: (t) => ({
      rank: t.exposeInt("rank", { description: "Equal figures share a rank." }),
      amount: t.expose("value", {
        type: "TokenAmount",
        description: "MICRO earned (held and available rewards).",
      }),
      user: t.field({ type: UserRef, resolve: (e, _args, context) => loadEntryUser(e, context) }),
    }),
  });

function rankingRef<V>(
  name: string,
  entryRef: ObjectRef<PothosTypes, RankingEntry<V>>,
  description: string,
) {
  return builder.objectRef<Ranking<V>>(name).implement({
    description,
    fields: (t) => ({
      period: t.expose("period", { type: RankingPeriodEnum }),
      season: t.field({
        type: SeasonRef,
        nullable: true,
        description: "The season ranked (SEASON period only).",
        resolve: (r) => r.season,
      }),
      startsAt: t.expose("startsAt", { type: "DateTime" }),
      endsAt: t.expose("endsAt", { type: "DateTime" }),
      entries: t.field({ type: [entryRef], resolve: (r) => r.entries }),
      viewer: t.field({
        type: entryRef,
        nullable: true,
        description:
          "The viewer's own place, even outside the top; null with nothing in the period.",
        resolve: (r) => r.viewer,
      }),
    }),
  });
}

const XpLeaderboardRef = rankingRef(
  "XpLeaderboard",
  XpEntryRef,
  "XP earned in the period, across everything rewarded.",
);
const EarnersLeaderboardRef = rankingRef(
  "EarnersLeaderboard",
  EarnerEntryRef,
  "MICRO earned in the period. Shows only people who chose to show their earnings, and the viewer's own place.",
);

const viewerIdOf = (context: GraphQLContext): UserId | null => context.viewer?.user.id ?? null;

builder.queryFields((t) => ({
  xpLeaderboard: t.field({
    type: XpLeaderboardRef,
    nullable: true,
    description: "Null when seasonId names no season.",
    args: {
      period: t.arg({ type: RankingPeriodEnum, required: false, defaultValue: "week" }),
      seasonId: t.arg.id({ required: false, description: "A past season (SEASON period)." }),
      first: t.arg.int({ required: false, defaultValue: 10, description: "1–100." }),
    },
    resolve: (_root, args, context) =>
      getXpLeaderboard(context.services.db, args.period ?? "week", viewerIdOf(context), {
        limit: args.first ?? 10,
        ...(args.seasonId ? { seasonId: args.seasonId } : {}),
      }),
  }),
  earnersLeaderboard: t.field({
    type: EarnersLeaderboardRef,
    nullable: true,
    description: "Null when seasonId names no season.",
    args: {
      period: t.arg({ type: RankingPeriodEnum, required: false, defaultValue: "week" }),
      seasonId: t.arg.id({ required: false, description: "A past season (SEASON period)." }),
      first: t.arg.int({ required: false, defaultValue: 10, description: "1–100." }),
    },
    resolve: (_root, args, context) =>
      getEarnersLeaderboard(context.services.db, args.period ?? "week", viewerIdOf(context), {
        limit: args.first ?? 10,
        ...(args.seasonId ? { seasonId: args.seasonId } : {}),
      }),
  }),
  currentSeason: t.field({
    type: SeasonRef,
    resolve: (_root, _args, context) => currentSeason(context.services.db),
  }),
  seasons: t.field({
    type: [SeasonRef],
    description: "Seasons so far, newest first.",
    resolve: (_root, _args, context) => listSeasons(context.services.db),
  }),
}));

export class StreakRepairUnavailableError extends Error {
  constructor(
    message: string,
    readonly reason: "not_broken" | "too_late" | "gap_too_long" | "used_this_month",
  ) {
    super(message);
  }
}
export class InsufficientBalanceError extends Error {}

builder.objectType(StreakRepairUnavailableError, {
  name: "StreakRepairUnavailableError",
  description: "There is no streak to repair now, or the monthly repair was used.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    reason: t.expose("reason", { type: StreakRepairUnavailableReasonEnum }),
  }),
});

builder.objectType(InsufficientBalanceError, {
  name: "InsufficientBalanceError",
  description: "The available balance cannot pay for this; nothing was charged.",
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

const RepairStreakPayloadRef = builder
  .objectRef<{ streak: StreakStatus; repairedDay: string; price: bigint }>("RepairStreakPayload")
  .implement({
    fields: (t) => ({
      streak: t.field({ type: StreakRef, resolve: (p) => p.streak }),
      repairedDay: t.exposeString("repairedDay", { description: "YYYY-MM-DD." }),
      price: t.expose("price", {
        type: "TokenAmount",
        description: "Paid from the available balance into the platform's reward budget.",
      }),
    }),
  });

builder.mutationFields((t) => ({
  repairStreak: t.field({
    type: RepairStreakPayloadRef,
    description:
      "Repairs a streak broken by one missed day: once a calendar month, within 48 hours after that day, for a small price from the available balance (see Streak.repair).",
    errors: { types: [NotSignedInError, StreakRepairUnavailableError, InsufficientBalanceError] },
    resolve: async (_root, _args, context) => {
      if (!context.viewer) throw new NotSignedInError();
      const result = await repairStreak(context.services, context.viewer.user.id);
      if (!result.ok) {
        const { code, message } = result.error;
        if (code === "insufficient_balance") throw new InsufficientBalanceError(message);
        throw new StreakRepairUnavailableError(message, code);
      }
      return result.value;
    },
  }),
}));
