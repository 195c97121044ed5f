import { checkIn, describeCheckIn } from "#core/rewards/check-in.ts";
import type { RewardRecord } from "#core/rewards/reward-queries.ts";
import { builder } from "../builder.ts";
import { NotSignedInError } from "./errors.ts";
import { loadReward, RewardRef } from "./reward.ts";

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

builder.mutationField("checkIn", (t) =>
  t.field({
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
);
