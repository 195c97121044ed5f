import type { QuestProgress } from "#core/gamification/quests.ts";
import { builder } from "../builder.ts";
import { socialLoaders } from "../loaders.ts";
import { RewardRef } from "./reward.ts";

export const QuestRef = builder.objectRef<QuestProgress>("Quest").implement({
  description: "A weekly quest (Monday to Sunday, UTC) and the viewer's progress in it.",
  fields: (t) => ({
    id: t.id({ resolve: (q) => q.quest.id }),
    title: t.string({ resolve: (q) => q.quest.title }),
    description: t.string({ resolve: (q) => q.quest.description }),
    isBonus: t.boolean({ resolve: (q) => q.quest.isBonus === true }),
    progress: t.exposeInt("progress"),
    target: t.exposeInt("target"),
    actionsUnderReview: t.exposeInt("actionsUnderReview", {
      description:
        "Actions counted in `progress` that are still held for review: the quest is paid only from actions that can no longer be reversed that way.",
    }),
    isCompleted: t.exposeBoolean("isCompleted"),
    completedAt: t.expose("completedAt", { type: "DateTime", nullable: true }),
    endsAt: t.expose("endsAt", { type: "DateTime" }),
    reward: t.field({
      type: RewardRef,
      nullable: true,
      description:
        "The reward of its latest completion this week: held until the actions it counted can no longer be undone, and reversed, with its reason, if they are.",
      resolve: (q, _args, context) =>
        q.rewardId === null ? null : socialLoaders(context).rewards.load(q.rewardId),
    }),
  }),
});
