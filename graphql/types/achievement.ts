import type { Achievement } from "#core/games/achievements.ts";
import type { EarnedAchievement } from "#core/games/game-types.ts";
import { builder } from "../builder.ts";
import { socialLoaders } from "../loaders.ts";
import { RewardRef } from "./reward.ts";

const AchievementKindEnum = builder.enumType("AchievementKind", {
  values: {
    FIRST_FINISH: { value: "first_finish" },
    SCORE_AT_LEAST: { value: "score_at_least", description: "A score of at least `threshold`." },
    PERFECT_RUN: { value: "perfect_run" },
    DAYS_IN_ROW: { value: "days_in_row", description: "Runs on `threshold` UTC days in a row." },
    REPORTED: { value: "reported", description: "Reported by the game itself (external games)." },
  } as const,
});

export const AchievementRef = builder.objectRef<Achievement>("Achievement").implement({
  description: "Something to earn in a game, once per person, paid from the game's budget.",
  fields: (t) => ({
    id: t.exposeID("id"),
    gameId: t.exposeID("gameId"),
    title: t.exposeString("title"),
    description: t.exposeString("description"),
    kind: t.expose("kind", { type: AchievementKindEnum }),
    threshold: t.exposeInt("threshold", { nullable: true }),
    earnedAt: t.expose("earnedAt", {
      type: "DateTime",
      nullable: true,
      description: "When the viewer earned it; null when they have not, or nobody is signed in.",
    }),
  }),
});

/** An achievement a run earned, with its catalogue entry. */
export type EarnedAchievementOf = EarnedAchievement & { achievement: Achievement };

export const EarnedAchievementRef = builder
  .objectRef<EarnedAchievementOf>("EarnedAchievement")
  .implement({
    fields: (t) => ({
      achievement: t.field({ type: AchievementRef, resolve: (e) => e.achievement }),
      earnedAt: t.expose("earnedAt", { type: "DateTime" }),
      reward: t.field({
        type: RewardRef,
        nullable: true,
        description: "Its reward (held, available or refused with a reason).",
        resolve: (e, _args, context) =>
          e.reward ? socialLoaders(context).rewards.load(e.reward.rewardId) : null,
      }),
    }),
  });
