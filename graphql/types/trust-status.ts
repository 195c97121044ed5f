import type { TrustRequirement, TrustStatus } from "#core/trust/trust-levels.ts";
import { builder } from "../builder.ts";

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

export const TrustStatusRef = builder.objectRef<TrustStatus>("TrustStatus").implement({
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
