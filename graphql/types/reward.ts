import { decodeGlobalID, resolveCursorConnection } from "@pothos/plugin-relay";
import { GraphQLError } from "graphql";
import { getUsersByIds } from "#core/auth/user.service.ts";
import {
  getReward,
  getRewardsByIds,
  listRewards,
  type RewardRecord,
} from "#core/rewards/reward-queries.ts";
import { builder } from "../builder.ts";
import type { GraphQLContext } from "../context.ts";
import { forwardOnly } from "../forward-only.ts";
import { ValidationError } from "./errors.ts";
import { UserRef } from "./user.ts";
import { ROW_ID_TEXT } from "#core/row-id.ts";

export const RewardStatusEnum = builder.enumType("RewardStatus", {
  values: {
    HELD: { value: "held", description: "Paid into pending; released when its hold ends." },
    AVAILABLE: { value: "available", description: "Paid and released." },
    REFUSED: { value: "refused", description: "Not paid; the reason says why." },
    REVERSED: { value: "reversed", description: "Undone while it was still held." },
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
    description:
      "Why a reward is held, refused, reduced or reversed: a code for programs and words for people.",
    fields: (t) => ({
      code: t.exposeString("code", {
        description:
          "Held: hold_period (the rule's short hold, for undo) or risk_review (a risk signal fired; see Reward.signals). Paid: reduced_share (a reduced rate, e.g. a burst of likes), appeal_approved or review_approved. Refused: daily_cap, target_cap, budget_exhausted or rule_disabled. Reversed: undone, unliked, unfollowed, deleted, moderated, admin_reversed or quest_progress_lost.",
      }),
      message: t.exposeString("message"),
    }),
  });

export const RewardRef = builder.objectRef<RewardRecord>("Reward");

function parseRewardId(value: string): bigint | null {
  return ROW_ID_TEXT.test(value) ? BigInt(value) : null;
}

/** A reward is visible to its owner and to admins; to anyone else it does not exist. */
function canSeeReward(reward: RewardRecord, context: GraphQLContext): boolean {
  const viewer = context.viewer?.user;
  return viewer !== undefined && (viewer.isAdmin || viewer.id === reward.userId);
}

// Its appeal (`appeal`, `isAppealable`) is added beside the appeal mutations, in reward-appeal.ts.
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

export const RewardConnectionRef = builder.connectionObject(
  { type: RewardRef, name: "RewardConnection" },
  { name: "RewardEdge" },
);

export function decodeRewardCursor(cursor: string): bigint {
  const id = parseRewardId(cursor);
  if (id === null) {
    throw new GraphQLError("That cursor is not valid for rewards.", {
      extensions: { code: "BAD_USER_INPUT" },
    });
  }
  return id;
}

/** A reward's global id to its database id; a malformed or foreign id is a field error. */
export function rewardIdFromGlobal(globalId: string): bigint {
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

/** A reward that a mutation has just written or changed. */
export async function loadReward(context: GraphQLContext, id: bigint): Promise<RewardRecord> {
  const reward = await getReward(context.services.db, id);
  if (!reward) throw new Error(`reward ${id} vanished`);
  return reward;
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
        forwardOnly(args, "Rewards page");
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
