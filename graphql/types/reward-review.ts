import { resolveCursorConnection } from "@pothos/plugin-relay";
import { getUsersByIds } from "#core/auth/user.service.ts";
import {
  decideHeldReward,
  getReviewDecisions,
  getRewardSignals,
  listReviewQueue,
  type QueueSignal,
  type ReviewDecision,
} from "#core/integrity/review-queue.ts";
import { getRewardsByIds, type RewardRecord } from "#core/rewards/reward-queries.ts";
import { APPEAL_REASON_MAX_LENGTH, APPEAL_REASON_MIN_LENGTH } from "#shared/text-limits.ts";
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
import { UserRef } from "./user.ts";

export class NotInReviewQueueError extends Error {}

builder.objectType(NotInReviewQueueError, {
  name: "NotInReviewQueueError",
  description: "The reward is no longer waiting for review: decided, released or reversed.",
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

const RiskSignalRef = builder.objectRef<QueueSignal>("RiskSignal").implement({
  description:
    "A named reason a reward was held for review, in a code and the words its owner reads.",
  fields: (t) => ({
    code: t.exposeString("code", {
      description: "not_activated, engager_not_activated, burst, ring or game_pacing.",
    }),
    message: t.exposeString("message"),
    raisedAt: t.expose("raisedAt", { type: "DateTime" }),
    clearedAt: t.expose("clearedAt", {
      type: "DateTime",
      nullable: true,
      description: "When a later look found it no longer holds; null while it still holds.",
    }),
  }),
});

const ReviewDecisionEnum = builder.enumType("RewardReviewDecisionKind", {
  values: {
    APPROVED: { value: "approved", description: "Released by an admin." },
    REVERSED: { value: "reversed", description: "Reversed by an admin." },
  } as const,
});

const ReviewDecisionRef = builder.objectRef<ReviewDecision>("RewardReviewDecision").implement({
  description: "An admin's decision on a reward held for review: who, when and why.",
  fields: (t) => ({
    decision: t.expose("decision", { type: ReviewDecisionEnum }),
    reason: t.exposeString("reason"),
    decidedAt: t.expose("decidedAt", { type: "DateTime" }),
    decidedBy: t.field({
      type: UserRef,
      nullable: true,
      resolve: async (decision, _args, context) =>
        (await getUsersByIds(context.services.db, [decision.decidedBy]))[0] ?? null,
    }),
  }),
});

builder.objectFields(RewardRef, (t) => ({
  signals: t.field({
    type: [RiskSignalRef],
    description:
      "The risk signals that held it for review, open and cleared, in the order raised; empty for a reward held only by its rule.",
    resolve: async (reward, _args, context) =>
      (await getRewardSignals(context.services.db, [reward.id])).get(reward.id) ?? [],
  }),
  reviewDecision: t.field({
    type: ReviewDecisionRef,
    nullable: true,
    description: "An admin's decision on it, when it was held for review and decided.",
    resolve: async (reward, _args, context) =>
      (await getReviewDecisions(context.services.db, [reward.id])).get(reward.id) ?? null,
  }),
}));

builder.queryFields((t) => ({
  rewardReviewQueue: t.connection(
    {
      type: RewardRef,
      description:
        "Rewards held because a risk signal fired, oldest first; each says why in `signals`. Admins only.",
      authScopes: { admin: true },
      resolve: (_root, args, context) => {
        forwardOnly(args, "Review queue page");
        return resolveCursorConnection<Promise<RewardRecord[]>>(
          { args, toCursor: (reward) => reward.id.toString(), defaultSize: 20, maxSize: 100 },
          async ({ after, limit }) => {
            const { items } = await listReviewQueue(context.services.db, {
              limit,
              after: after ? decodeRewardCursor(after) : null,
            });
            const records = await getRewardsByIds(
              context.services.db,
              items.map((item) => item.rewardId),
            );
            return records.filter((r): r is RewardRecord => r !== null);
          },
        );
      },
    },
    RewardConnectionRef,
  ),
  rewardReviewQueueSize: t.int({
    description: "How many rewards wait in the review queue. Admins only.",
    authScopes: { admin: true },
    resolve: async (_root, _args, context) =>
      (await listReviewQueue(context.services.db, { limit: 0 })).total,
  }),
}));

const ReviewPayloadRef = builder
  .objectRef<{ reward: RewardRecord; decision: ReviewDecision }>("RewardReviewPayload")
  .implement({
    fields: (t) => ({
      reward: t.field({ type: RewardRef, resolve: (payload) => payload.reward }),
      decision: t.field({ type: ReviewDecisionRef, resolve: (payload) => payload.decision }),
    }),
  });

builder.mutationField("decideHeldReward", (t) =>
  t.field({
    type: ReviewPayloadRef,
    description:
      "Works the review queue: approves (releases now) or reverses a reward held for review, with a reason its owner reads; the decision is recorded and the owner notified. Admins only.",
    ...adminOnly("work the review queue"),
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
        NotInReviewQueueError,
      ],
    },
    resolve: async (_root, args, context) => {
      const rewardId = rewardIdFromGlobal(args.rewardId);
      const result = await decideHeldReward(context.services, adminId(context), rewardId, {
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
          case "not_in_queue":
            throw new NotInReviewQueueError(message);
        }
      }
      return { reward: await loadReward(context, rewardId), decision: result.value };
    },
  }),
);
