import { getProgress, type PerkState, type Progress } from "#core/gamification/progress.service.ts";
import { builder } from "../builder.ts";
import { BadgeRef } from "./badge.ts";
import { QuestRef } from "./quest.ts";
import { SeasonRef } from "./season.ts";
import { StreakRef } from "./streak.ts";
import { TrustStatusRef } from "./trust-status.ts";
import { UserRef } from "./user.ts";

// Progress across everything rewarded: XP and levels with their perks, trust levels,
// streaks, weekly quests, badges and the season.

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

builder.objectField(UserRef, "progress", (t) =>
  t.field({
    type: ProgressRef,
    nullable: true,
    description:
      "XP, level, perks, trust level, streak, quests and badges. Only visible to the user themself. Reading it also pays any streak bonus or weekly quest reward that is due (each once).",
    authScopes: (user, _args, context) => context.viewer?.user.id === user.id,
    resolve: (user, _args, context) =>
      getProgress({ db: context.services.db, rewards: context.services.rewards }, user.id),
  }),
);
