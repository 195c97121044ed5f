import { encodeGlobalID } from "@pothos/plugin-relay";
import type { RewardLanded } from "#core/rewards/reward-events.ts";
import { builder } from "../builder.ts";
import { viewerSessionStream } from "../session-stream.ts";
import { RewardStatusEnum } from "./reward.ts";

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
