import { GraphQLError } from "graphql";
import { getAddress } from "viem";
import { getClaimProof, type ClaimProof } from "#core/settlement/settlement.service.ts";
import { builder } from "../builder.ts";

const ClaimProofRef = builder.objectRef<ClaimProof>("ClaimProof").implement({
  description:
    "What RewardsDistributor.claim(account, cumulativeAmount, proof) needs, against the root on chain now. Leaves are OpenZeppelin StandardMerkleTree leaves of (address, uint256).",
  fields: (t) => ({
    epoch: t.exposeInt("epoch"),
    root: t.exposeString("root"),
    account: t.exposeString("account"),
    cumulativeAmount: t.expose("cumulative", { type: "TokenAmount" }),
    proof: t.exposeStringList("proof"),
    chainId: t.exposeInt("chainId"),
    distributor: t.exposeString("distributor"),
  }),
});

const addressPattern = /^0x[0-9a-fA-F]{40}$/;

function requireAddress(value: string): `0x${string}` {
  if (!addressPattern.test(value)) {
    throw new GraphQLError("That is not an Ethereum address (0x and 40 hex digits).", {
      extensions: { code: "BAD_USER_INPUT" },
    });
  }
  return value as `0x${string}`;
}

builder.queryField("claimProof", (t) =>
  t.field({
    type: ClaimProofRef,
    nullable: true,
    description:
      "The proof for an address against the root on chain now; null when nothing was settled to it. Proofs are public: anyone may claim for anyone, and MICRO always goes to the address.",
    args: { address: t.arg.string({ required: true }) },
    resolve: (_root, args, context) =>
      getClaimProof(context.services.db, getAddress(requireAddress(args.address))),
  }),
);
