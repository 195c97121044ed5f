import {
  appealRewardGroup,
  listHeldRewardGroups,
  type HeldRewardGroup,
} from "#core/rewards/reward-groups.ts";
import { APPEAL_MESSAGE_MAX_LENGTH, APPEAL_MESSAGE_MIN_LENGTH } from "#shared/text-limits.ts";
import { builder } from "../builder.ts";
import { NotFoundError, NotSignedInError, ValidationError } from "./errors.ts";
import { NotAppealableError } from "./reward-appeal.ts";
import { RewardRef, RewardStatusEnum } from "./reward.ts";

export const HeldRewardGroupRef = builder.objectRef<HeldRewardGroup>("HeldRewardGroup").implement({
  description:
    "The user's held or refused rewards that share a reason, in one line. Groups a person decides (held for review, refused) take one appeal for all their rewards; a timed hold releases by itself.",
  fields: (t) => ({
    key: t.exposeString("key", {
      description: 'Names the group in appealRewardGroup, e.g. "held:risk_review".',
    }),
    status: t.expose("status", { type: RewardStatusEnum }),
    reasonCode: t.exposeString("reasonCode", {
      description: 'The rewards\' RewardReason.code ("none" when they have none).',
    }),
    title: t.exposeString("title"),
    explanation: t.exposeString("explanation", { description: "What happens next, in words." }),
    latestReason: t.exposeString("latestReason", {
      nullable: true,
      description: "The newest reward's own reason, in words.",
    }),
    count: t.exposeInt("count"),
    total: t.expose("total", { type: "TokenAmount" }),
    earliestRelease: t.expose("earliestRelease", {
      type: "DateTime",
      nullable: true,
      description: "When the first of them releases by itself; null when a person decides.",
    }),
    isAppealable: t.exposeBoolean("isAppealable", {
      description: "True when a person decides these rewards, so an appeal makes sense.",
    }),
    unappealedCount: t.exposeInt("unappealedCount", {
      description: "Rewards without an appeal yet: what the next appealRewardGroup covers.",
    }),
    openAppealCount: t.exposeInt("openAppealCount"),
    deniedAppealCount: t.exposeInt("deniedAppealCount"),
    rewards: t.field({
      type: [RewardRef],
      description: "The group's newest rewards (at most 10), newest first.",
      resolve: (group) => group.rewards,
    }),
  }),
});

const GroupAppealPayloadRef = builder
  .objectRef<{ group: HeldRewardGroup | null; appealedCount: number }>("AppealRewardGroupPayload")
  .implement({
    fields: (t) => ({
      appealedCount: t.exposeInt("appealedCount", {
        description: "Appeals this call opened; 0 when a retry found them all appealed already.",
      }),
      group: t.field({
        type: HeldRewardGroupRef,
        nullable: true,
        description: "The group after the appeal (null if its last reward left it meanwhile).",
        resolve: (payload) => payload.group,
      }),
    }),
  });

builder.mutationField("appealRewardGroup", (t) =>
  t.field({
    type: GroupAppealPayloadRef,
    description:
      "One appeal for a whole group of your held or refused rewards: opens an appeal, with one message, for each of its rewards not yet appealed. Safe to retry.",
    args: {
      groupKey: t.arg.string({ required: true, description: "HeldRewardGroup.key" }),
      message: t.arg.string({
        required: true,
        description: `Why, in ${APPEAL_MESSAGE_MIN_LENGTH}–${APPEAL_MESSAGE_MAX_LENGTH} characters.`,
      }),
    },
    errors: { types: [NotSignedInError, ValidationError, NotFoundError, NotAppealableError] },
    resolve: async (_root, args, context) => {
      if (!context.viewer) throw new NotSignedInError();
      const userId = context.viewer.user.id;
      const result = await appealRewardGroup(
        context.services.db,
        userId,
        args.groupKey,
        args.message,
      );
      if (!result.ok) {
        const { code, message } = result.error;
        switch (code) {
          case "invalid_message":
            throw new ValidationError(message, { message: [message] });
          case "not_found":
            throw new NotFoundError(message);
          case "not_appealable":
            throw new NotAppealableError(message);
        }
      }
      const groups = await listHeldRewardGroups(context.services.db, userId);
      return {
        group: groups.find((group) => group.key === result.value.key) ?? null,
        appealedCount: result.value.appealedCount,
      };
    },
  }),
);
