import {
  RELAYED_CLAIMS_PER_DAY,
  relayClaim,
  type RelayedClaim,
} from "#core/settlement/settlement.service.ts";
import { builder } from "../builder.ts";
import {
  ErrorInterface,
  NotFoundError,
  NotSignedInError,
  RateLimitedError,
  ValidationError,
} from "./errors.ts";

export class NothingToClaimError extends Error {}
export class ChainUnavailableError extends Error {}
export class ClaimRefusedError extends Error {}

for (const [ErrorClass, name, description] of [
  [NothingToClaimError, "NothingToClaimError", "Everything settled to the address is claimed."],
  [ChainUnavailableError, "ChainUnavailableError", "This server settles on no chain."],
  [ClaimRefusedError, "ClaimRefusedError", "The chain refused or did not take the claim."],
] as const) {
  builder.objectType(ErrorClass, {
    name,
    description,
    interfaces: [ErrorInterface],
    fields: () => ({}),
  });
}

const RelayedClaimRef = builder.objectRef<RelayedClaim>("RelayedClaim").implement({
  description: "A claim the platform sent, and paid gas for, on the user's behalf.",
  fields: (t) => ({
    address: t.exposeString("address"),
    cumulativeAmount: t.expose("cumulative", { type: "TokenAmount" }),
    txHash: t.exposeString("txHash"),
    isReplay: t.exposeBoolean("isReplay", {
      description: "True when this claim had been asked for before: nothing new was sent.",
    }),
  }),
});

builder.mutationFields((t) => ({
  relayClaim: t.field({
    type: RelayedClaimRef,
    description:
      "Asks the platform to claim what was settled to one of your addresses (it pays the gas). The MICRO goes to that address. " +
      `At most ${RELAYED_CLAIMS_PER_DAY} new claims in any 24 hours per user (RateLimitedError says when to try again); asking again for a claim already sent is free.`,
    args: { address: t.arg.string({ required: true }) },
    errors: {
      types: [
        NotSignedInError,
        ValidationError,
        NotFoundError,
        NothingToClaimError,
        ChainUnavailableError,
        ClaimRefusedError,
        RateLimitedError,
      ],
    },
    resolve: async (_root, args, context) => {
      if (!context.viewer) throw new NotSignedInError();
      const settlement = context.services.settlement;
      if (!settlement) throw new ChainUnavailableError("This server settles on no chain.");
      const result = await relayClaim(
        context.services.db,
        settlement.chain,
        context.viewer.user.id,
        args.address,
      );
      if (result.ok) return result.value;
      const { kind, message } = result.error;
      switch (kind) {
        case "invalid_address":
          throw new ValidationError(message, { address: [message] });
        case "not_your_address":
          throw new NotFoundError(message);
        case "nothing_to_claim":
          throw new NothingToClaimError(message);
        case "chain_refused":
          throw new ClaimRefusedError(message);
        case "relay_limit":
          throw new RateLimitedError(message, result.error.retryAfterSeconds);
      }
    },
  }),
}));
