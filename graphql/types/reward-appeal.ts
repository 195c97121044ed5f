import { resolveCursorConnection } from "@pothos/plugin-relay";
import { listOpenAppeals, type RewardRecord } from "#core/rewards/reward-queries.ts";
import { appealReward, decideAppeal, type Appeal } from "#core/rewards/reward.service.ts";
import { adminId, adminOnly } from "../admin-only.ts";
import { builder } from "../builder.ts";
import { forwardOnly } from "../forward-only.ts";
import {
  ErrorInterface,
  ForbiddenError,
  NotFoundError,
  NotSignedInError,
  ValidationError,
} from "./errors.ts";
import {
  decodeRewardCursor,
  loadReward,
  RewardConnectionRef,
  RewardRef,
  rewardIdFromGlobal,
} from "./reward.ts";
import {
  APPEAL_MESSAGE_MAX_LENGTH,
  APPEAL_MESSAGE_MIN_LENGTH,
  APPEAL_REASON_MAX_LENGTH,
  APPEAL_REASON_MIN_LENGTH,
} from "#shared/text-limits.ts";

export class AlreadyAppealedError extends Error {}
export class NotAppealableError extends Error {}
export class AlreadyDecidedError extends Error {}
export class BudgetExhaustedError extends Error {}

for (const [ErrorClass, name, description] of [
  [
    AlreadyAppealedError,
    "AlreadyAppealedError",
    "Each reward can be appealed once; this one already was.",
  ],
  [NotAppealableError, "NotAppealableError", "Only held or refused rewards can be appealed."],
  [AlreadyDecidedError, "AlreadyDecidedError", "The appeal was already approved or denied."],
  [BudgetExhaustedError, "BudgetExhaustedError", "The reward's budget cannot pay it now."],
] as const) {
  builder.objectType(ErrorClass, {
    name,
    description,
    interfaces: [ErrorInterface],
    fields: () => ({}),
  });
}

const AppealStatusEnum = builder.enumType("AppealStatus", {
  values: {
    OPEN: { value: "open" },
    APPROVED: { value: "approved" },
    DENIED: { value: "denied" },
  } as const,
});

const RewardAppealRef = builder.objectRef<Appeal>("RewardAppeal").implement({
  description: "A user's request to review a held or refused reward, and the admin's decision.",
  fields: (t) => ({
    status: t.expose("status", { type: AppealStatusEnum }),
    message: t.exposeString("message"),
    decisionReason: t.exposeString("decisionReason", { nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    decidedAt: t.expose("decidedAt", { type: "DateTime", nullable: true }),
  }),
});

builder.objectFields(RewardRef, (t) => ({
  appeal: t.field({ type: RewardAppealRef, nullable: true, resolve: (reward) => reward.appeal }),
  isAppealable: t.boolean({
    description: "True while the reward is held or refused and has not been appealed.",
    resolve: (reward) =>
      (reward.status === "held" || reward.status === "refused") && reward.appeal === null,
  }),
}));

builder.queryField("openAppeals", (t) =>
  t.connection(
    {
      type: RewardRef,
      description: "Rewards with an appeal waiting for a decision, oldest first. Admins only.",
      authScopes: { admin: true },
      resolve: (_root, args, context) => {
        forwardOnly(args, "Appeals page");
        return resolveCursorConnection<Promise<RewardRecord[]>>(
          { args, toCursor: (reward) => reward.id.toString(), defaultSize: 20, maxSize: 100 },
          async ({ after, limit }) =>
            (
              await listOpenAppeals(context.services.db, {
                limit,
                after: after ? decodeRewardCursor(after) : null,
              })
            ).map((open) => open.reward),
        );
      },
    },
    RewardConnectionRef,
  ),
);

const AppealPayloadRef = builder
  .objectRef<{ reward: RewardRecord; appeal: Appeal }>("AppealPayload")
  .implement({
    fields: (t) => ({
      reward: t.field({ type: RewardRef, resolve: (payload) => payload.reward }),
      appeal: t.field({ type: RewardAppealRef, resolve: (payload) => payload.appeal }),
    }),
  });

builder.mutationFields((t) => ({
  appealReward: t.field({
    type: AppealPayloadRef,
    description: "Asks an admin to review one of your held or refused rewards. Once per reward.",
    args: {
      rewardId: t.arg.id({ required: true }),
      message: t.arg.string({
        required: true,
        description: `Why, in ${APPEAL_MESSAGE_MIN_LENGTH}–${APPEAL_MESSAGE_MAX_LENGTH} characters.`,
      }),
    },
    errors: {
      types: [
        NotSignedInError,
        ValidationError,
        NotFoundError,
        AlreadyAppealedError,
        NotAppealableError,
      ],
    },
    resolve: async (_root, args, context) => {
      if (!context.viewer) throw new NotSignedInError();
      const rewardId = rewardIdFromGlobal(args.rewardId);
      const result = await appealReward(
        context.services.db,
        context.viewer.user.id,
        rewardId,
        args.message,
      );
      if (!result.ok) {
        const { code, message } = result.error;
        switch (code) {
          case "invalid_message":
            throw new ValidationError(message, { message: [message] });
          case "not_found":
            throw new NotFoundError(message);
          case "already_appealed":
            throw new AlreadyAppealedError(message);
          case "not_appealable":
            throw new NotAppealableError(message);
        }
      }
      return { reward: await loadReward(context, rewardId), appeal: result.value };
    },
  }),
  decideAppeal: t.field({
    type: AppealPayloadRef,
    description:
      "Approves or denies an open appeal, with a reason the user sees. Approving releases a held reward now or pays a refused one. Admins only.",
    ...adminOnly("decide appeals"),
    args: {
      rewardId: t.arg.id({ required: true }),
      approve: t.arg.boolean({ required: true }),
      reason: t.arg.string({
        required: true,
        description: `${APPEAL_REASON_MIN_LENGTH}–${APPEAL_REASON_MAX_LENGTH} characters.`,
      }),
    },
    errors: {
      types: [
        NotSignedInError,
        ForbiddenError,
        ValidationError,
        NotFoundError,
        AlreadyDecidedError,
        BudgetExhaustedError,
      ],
    },
    resolve: async (_root, args, context) => {
      const rewardId = rewardIdFromGlobal(args.rewardId);
      const result = await decideAppeal(context.services, adminId(context), rewardId, {
        approve: args.approve,
        reason: args.reason,
      });
      if (!result.ok) {
        const { code, message } = result.error;
        switch (code) {
          case "invalid_reason":
            throw new ValidationError(message, { reason: [message] });
          case "not_found":
            throw new NotFoundError(message);
          case "already_decided":
            throw new AlreadyDecidedError(message);
          case "budget_exhausted":
            throw new BudgetExhaustedError(message);
        }
      }
      return { reward: await loadReward(context, rewardId), appeal: result.value };
    },
  }),
}));
