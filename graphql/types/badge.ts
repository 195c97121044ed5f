import { listEarnedBadges, type Badge } from "#core/gamification/badges.ts";
import { builder } from "../builder.ts";
import { UserRef } from "./user.ts";

const BadgeCategoryEnum = builder.enumType("BadgeCategory", {
  values: {
    GAME: { value: "game", description: "A game achievement." },
    LEVEL: { value: "level" },
    STREAK: { value: "streak" },
    QUEST: { value: "quest" },
    TRUST: { value: "trust" },
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
    gameTitle: t.exposeString("gameTitle", {
      nullable: true,
      description:
        "For a game achievement, the game's name (the title and description say it too).",
    }),
    earnedAt: t.expose("earnedAt", {
      type: "DateTime",
      nullable: true,
      description: "Null when not earned (yet).",
    }),
  }),
});

builder.objectField(UserRef, "badges", (t) =>
  t.field({
    type: [BadgeRef],
    description: "The badges this person earned, newest first: public, as shown on a profile.",
    resolve: (user, _args, context) => listEarnedBadges(context.services.db, user.id),
  }),
);
