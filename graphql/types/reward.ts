import { decodeGlobalID, encodeGlobalID, resolveCursorConnection } from "@pothos/plugin-relay";
import { GraphQLError } from "graphql";
import type { UserId } from "#core/auth/ids.ts";
import { getUsersByIds } from "#core/auth/user.service.ts";
import { checkIn, describeCheckIn } from "#core/rewards/check-in.ts";
import type { RewardLanded } from "#core/rewards/reward-events.ts";
import {
  getReward,
  getRewardsByIds,
  listOpenAppeals,
  listRewards,
  type RewardRecord,
} from "#core/rewards/reward-queries.ts";
import type { RewardRule } from "#core/rewards/reward-rules.repository.ts";
import {
  appealReward,
  decideAppeal,
  listRewardRules,
  updateRewardRule,
  type Appeal,
  type RuleChange,
} from "#core/rewards/reward.service.ts";
import { builder } from "../builder.ts";
import { viewerSessionStream } from "../session-stream.ts";
import type { GraphQLContext } from "../context.ts";
import {
  AlreadyAppealedError,
  AlreadyDecidedError,
  BudgetExhaustedError,
  ForbiddenError,
  NotAppealableError,
  NotFoundError,
  NotSignedInError,
  ValidationError,
} from "./errors.ts";
import { UserRef } from "./user.ts";

const RewardStatusEnum = builder.enumType("RewardStatus", {
  values: {
    HELD: { value: "held", description: "Paid into pending; released when its hold ends." },
    AVAILABLE: { value: "available", description: "Paid and released." },
    REFUSED: { value: "refused", description: "Not paid; the reason says why." },
    REVERSED: { value: "reversed", description: "Undone while it was still held." },
  } as const,
});

const AppealStatusEnum = builder.enumType("AppealStatus", {
  values: {
    OPEN: { value: "open" },
    APPROVED: { value: "approved" },
    DENIED: { value: "denied" },
  } as const,
});

const RewardFilterEnum = builder.enumType("RewardFilter", {
  values: {
    ALL: { value: "all" },
    NEEDS_ATTENTION: {
      value: "needs_attention",
      description: "Held or refused rewards, and any that were appealed.",
    },
  } as const,
});

const RewardReasonRef = builder
  .objectRef<{ code: string; message: string }>("RewardReason")
  .implement({
    description: "Why a reward is held or refused: a code for programs and words for people.",
    fields: (t) => ({
      code: t.exposeString("code", {
        description:
          "hold_period, new_account_review, daily_cap, target_cap, budget_exhausted, rule_disabled or appeal_approved.",
      }),
      message: t.exposeString("message"),
    }),
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

export const RewardRef = builder.objectRef<RewardRecord>("Reward");

function parseRewardId(value: string): bigint | null {
  return /^[1-9][0-9]{0,18}$/.test(value) ? BigInt(value) : null;
}

/** A reward is visible to its owner and to admins; to anyone else it does not exist. */
function canSeeReward(reward: RewardRecord, context: GraphQLContext): boolean {
  const viewer = context.viewer?.user;
  return viewer !== undefined && (viewer.isAdmin || viewer.id === reward.userId);
}

builder.node(RewardRef, {
  description: "One reward: what it was for, how much, and whether it was paid.",
  id: { resolve: (reward) => reward.id.toString() },
  loadMany: async (ids, context) => {
    const parsed = ids.map(parseRewardId);
    const found = await getRewardsByIds(
      context.services.db,
      parsed.filter((id): id is bigint => id !== null),
    );
    const byId = new Map(
      found.filter((r): r is RewardRecord => r !== null).map((r) => [r.id.toString(), r]),
    );
    return parsed.map((id) => {
      const reward = id === null ? undefined : byId.get(id.toString());
      return reward && canSeeReward(reward, context) ? reward : null;
    });
  },
  fields: (t) => ({
    kind: t.exposeString("actionKind", { description: 'What it was for, e.g. "checkin.daily".' }),
    status: t.expose("status", { type: RewardStatusEnum }),
    amount: t.expose("amount", { type: "TokenAmount" }),
    memo: t.exposeString("memo"),
    reason: t.field({
      type: RewardReasonRef,
      nullable: true,
      resolve: (reward) => reward.reason,
    }),
    holdUntil: t.expose("holdUntil", { type: "DateTime", nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    appeal: t.field({ type: RewardAppealRef, nullable: true, resolve: (reward) => reward.appeal }),
    isAppealable: t.boolean({
      description: "True while the reward is held or refused and has not been appealed.",
      resolve: (reward) =>
        (reward.status === "held" || reward.status === "refused") && reward.appeal === null,
    }),
    owner: t.field({
      type: UserRef,
      resolve: async (reward, _args, context) => {
        const [user] = await getUsersByIds(context.services.db, [reward.userId]);
        if (!user) throw new Error(`reward ${reward.id} has no owner`);
        return user;
      },
    }),
  }),
});

const RewardConnectionRef = builder.connectionObject(
  { type: RewardRef, name: "RewardConnection" },
  { name: "RewardEdge" },
);

function decodeRewardCursor(cursor: string): bigint {
  const id = parseRewardId(cursor);
  if (id === null) {
    throw new GraphQLError("That cursor is not valid for rewards.", {
      extensions: { code: "BAD_USER_INPUT" },
    });
  }
  return id;
}

function forwardOnly(args: { last?: number | null; before?: string | null }, what: string) {
  if (args.last != null || args.before != null) {
    throw new GraphQLError(`${what} page forwards only: use first and after.`, {
      extensions: { code: "BAD_USER_INPUT" },
    });
  }
}

builder.objectField(UserRef, "rewards", (t) =>
  t.connection(
    {
      type: RewardRef,
      description: "The user's rewards, newest first. Only visible to the user themself.",
      args: {
        filter: t.arg({ type: RewardFilterEnum, required: false, defaultValue: "all" }),
      },
      authScopes: (user, _args, context) => context.viewer?.user.id === user.id,
      resolve: (user, args, context) => {
        forwardOnly(args, "Rewards");
        return resolveCursorConnection<Promise<RewardRecord[]>>(
          { args, toCursor: (reward) => reward.id.toString(), defaultSize: 20, maxSize: 100 },
          ({ after, limit }) =>
            listRewards(context.services.db, user.id, {
              limit,
              after: after ? decodeRewardCursor(after) : null,
              filter: args.filter ?? "all",
            }),
        );
      },
    },
    RewardConnectionRef,
  ),
);

const RewardRuleRef = builder.objectRef<RewardRule>("RewardRule").implement({
  description: "How much one kind of action pays, how often, and how long it is held.",
  fields: (t) => ({
    actionKind: t.exposeString("actionKind"),
    label: t.exposeString("label"),
    amount: t.expose("amount", { type: "TokenAmount" }),
    dailyCap: t.exposeInt("dailyCap", {
      nullable: true,
      description: "Most rewards per user per UTC day; null for no cap.",
    }),
    perTargetDailyCap: t.exposeInt("perTargetDailyCap", {
      nullable: true,
      description: "Most rewards per user per UTC day from the same source; null for no cap.",
    }),
    holdSeconds: t.exposeInt("holdSeconds"),
    budgetId: t.exposeString("budgetId"),
    isEnabled: t.exposeBoolean("isEnabled"),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

builder.queryFields((t) => ({
  rewardRules: t.field({
    type: [RewardRuleRef],
    description: "Every reward rule. Admins only.",
    authScopes: { admin: true },
    resolve: (_root, _args, context) => listRewardRules(context.services.db),
  }),
  openAppeals: t.connection(
    {
      type: RewardRef,
      description: "Rewards with an appeal waiting for a decision, oldest first. Admins only.",
      authScopes: { admin: true },
      resolve: (_root, args, context) => {
        forwardOnly(args, "Appeals");
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
}));

type RewardPayload = { reward: RewardRecord; isReplay: boolean; message: string };

const RewardPayloadRef = builder.objectRef<RewardPayload>("RewardPayload").implement({
  fields: (t) => ({
    reward: t.field({ type: RewardRef, resolve: (payload) => payload.reward }),
    isReplay: t.exposeBoolean("isReplay", {
      description: "True when this repeated an earlier request and paid nothing new.",
    }),
    message: t.exposeString("message", { description: "The outcome in words to show the user." }),
  }),
});

const AppealPayloadRef = builder
  .objectRef<{ reward: RewardRecord; appeal: Appeal }>("AppealPayload")
  .implement({
    fields: (t) => ({
      reward: t.field({ type: RewardRef, resolve: (payload) => payload.reward }),
      appeal: t.field({ type: RewardAppealRef, resolve: (payload) => payload.appeal }),
    }),
  });

const RewardRulePayloadRef = builder
  .objectRef<{ rule: RewardRule }>("RewardRulePayload")
  .implement({
    fields: (t) => ({ rule: t.field({ type: RewardRuleRef, resolve: (p) => p.rule }) }),
  });

/** A reward's global id to its database id; a malformed or foreign id is a field error. */
function rewardIdFromGlobal(globalId: string): bigint {
  let id: bigint | null = null;
  try {
    const decoded = decodeGlobalID(globalId);
    if (decoded.typename === "Reward") id = parseRewardId(decoded.id);
  } catch {
    id = null;
  }
  if (id === null) {
    throw new ValidationError("That is not a reward id.", {
      rewardId: ["That is not a reward id."],
    });
  }
  return id;
}

function requireAdmin(context: GraphQLContext, what: string): UserId {
  if (!context.viewer) throw new NotSignedInError();
  if (!context.viewer.user.isAdmin) throw new ForbiddenError(`Only admins can ${what}.`);
  return context.viewer.user.id;
}

async function loadReward(context: GraphQLContext, id: bigint): Promise<RewardRecord> {
  const reward = await getReward(context.services.db, id);
  if (!reward) throw new Error(`reward ${id} vanished`);
  return reward;
}

builder.mutationFields((t) => ({
  checkIn: t.field({
    type: RewardPayloadRef,
    description:
      "Pays the daily check-in, once per UTC day. Checking in again the same day pays nothing and returns the first check-in with isReplay true.",
    errors: { types: [NotSignedInError] },
    resolve: async (_root, _args, context) => {
      if (!context.viewer) throw new NotSignedInError();
      const result = await checkIn(context.services.rewards, context.viewer.user.id);
      // Every expected refusal is a reward with a reason; an error here is a broken setup.
      if (!result.ok) throw new Error(`check-in failed: ${result.error.message}`);
      return {
        reward: await loadReward(context, result.value.rewardId),
        isReplay: result.value.isReplay,
        message: describeCheckIn(result.value),
      };
    },
  }),
  appealReward: t.field({
    type: AppealPayloadRef,
    description: "Asks an admin to review one of your held or refused rewards. Once per reward.",
    args: {
      rewardId: t.arg.id({ required: true }),
      message: t.arg.string({ required: true, description: "Why, in 5–1000 characters." }),
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
    args: {
      rewardId: t.arg.id({ required: true }),
      approve: t.arg.boolean({ required: true }),
      reason: t.arg.string({ required: true, description: "3–1000 characters." }),
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
      const adminId = requireAdmin(context, "decide appeals");
      const rewardId = rewardIdFromGlobal(args.rewardId);
      const result = await decideAppeal(context.services.db, adminId, rewardId, {
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
  updateRewardRule: t.field({
    type: RewardRulePayloadRef,
    description:
      "Changes a reward rule; the next rewards use it. Omitted arguments stay as they are; a null cap means no cap. Admins only.",
    args: {
      actionKind: t.arg.string({ required: true }),
      amount: t.arg({ type: "TokenAmount", required: false }),
      dailyCap: t.arg.int({ required: false }),
      perTargetDailyCap: t.arg.int({ required: false }),
      holdSeconds: t.arg.int({ required: false, description: "0 to 90 days, in seconds." }),
      isEnabled: t.arg.boolean({ required: false }),
    },
    errors: { types: [NotSignedInError, ForbiddenError, ValidationError, NotFoundError] },
    resolve: async (_root, args, context) => {
      const adminId = requireAdmin(context, "change reward rules");
      const change: RuleChange = {};
      if (args.amount != null) change.amount = args.amount;
      if (args.dailyCap !== undefined) change.dailyCap = args.dailyCap;
      if (args.perTargetDailyCap !== undefined) change.perTargetDailyCap = args.perTargetDailyCap;
      if (args.holdSeconds != null) change.holdSeconds = args.holdSeconds;
      if (args.isEnabled != null) change.isEnabled = args.isEnabled;
      const result = await updateRewardRule(context.services.db, adminId, args.actionKind, change);
      if (!result.ok) {
        const { code, message, field } = result.error;
        if (code === "not_found") throw new NotFoundError(message);
        throw new ValidationError(message, { [field ?? ""]: [message] });
      }
      return { rule: result.value };
    },
  }),
}));

const RewardLandedRef = builder.objectRef<RewardLanded>("RewardLanded").implement({
  description: "A reward that just landed in (or was released into) the viewer's wallet.",
  fields: (t) => ({
    rewardId: t.id({
      description: "The Reward's global id.",
      resolve: (event) => encodeGlobalID("Reward", event.rewardId),
    }),
    status: t.field({ type: RewardStatusEnum, resolve: (event) => event.status }),
    amount: t.field({ type: "TokenAmount", resolve: (event) => BigInt(event.amount) }),
    memo: t.exposeString("memo"),
    reason: t.exposeString("reason", { nullable: true }),
    holdUntil: t.field({
      type: "DateTime",
      nullable: true,
      resolve: (event) => (event.holdUntil ? new Date(event.holdUntil) : null),
    }),
    createdAt: t.field({ type: "DateTime", resolve: (event) => new Date(event.createdAt) }),
  }),
});

builder.subscriptionField("rewardLanded", (t) =>
  t.field({
    type: RewardLandedRef,
    description:
      "Each reward paid to, or released for, the signed-in user as it happens. Over SSE: GET /graphql with accept: text/event-stream.",
    authScopes: { signedIn: true },
    subscribe: (_root, _args, context) =>
      viewerSessionStream(context, (events, viewerId) =>
        events.subscribe("reward:landed", viewerId),
      ),
    resolve: (event) => event,
  }),
);
