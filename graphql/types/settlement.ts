import { resolveCursorConnection } from "@pothos/plugin-relay";
import { GraphQLError } from "graphql";
import { getAddress } from "viem";
import {
  getClaimProof,
  getUserSettlement,
  relayClaim,
  type AddressSettlement,
  type ClaimProof,
  type RelayedClaim,
  type SettlementPayout,
  type UserSettlement,
} from "#core/settlement/settlement.service.ts";
import { listEpochs, type SettlementEpoch } from "#core/settlement/settlement.repository.ts";
import { builder } from "../builder.ts";
import { ErrorInterface, NotFoundError, NotSignedInError, ValidationError } from "./errors.ts";
import { UserRef } from "./user.ts";

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

const EpochStatusEnum = builder.enumType("SettlementEpochStatus", {
  description: "Where an epoch is on its way to the chain.",
  values: {
    PREPARED: { value: "prepared", description: "Ledger moved and tree built; nothing sent yet." },
    SUBMITTED: { value: "submitted", description: "The root's transaction is signed and sent." },
    CONFIRMED: { value: "confirmed", description: "Mined; waiting for confirmations." },
    FINAL: { value: "final", description: "Confirmed deeply enough; claimable." },
  } as const,
});

const SettlementEpochRef = builder.objectRef<SettlementEpoch>("SettlementEpoch").implement({
  description: "One settlement epoch: a cumulative Merkle root of every settled address.",
  fields: (t) => ({
    epoch: t.exposeInt("epoch"),
    status: t.expose("status", { type: EpochStatusEnum }),
    root: t.exposeString("root"),
    minted: t.expose("minted", {
      type: "TokenAmount",
      description: "MICRO minted to the distributor by this epoch.",
    }),
    cumulativeTotal: t.expose("cumulativeTotal", {
      type: "TokenAmount",
      description: "Everything the distributor has received, through this epoch.",
    }),
    accountCount: t.exposeInt("leafCount", { description: "Addresses in the tree." }),
    payoutCount: t.exposeInt("payoutCount", { description: "Users settled in this epoch." }),
    chainId: t.exposeInt("chainId"),
    distributor: t.exposeString("distributor"),
    txHash: t.exposeString("txHash", { nullable: true }),
    blockNumber: t.field({
      type: "String",
      nullable: true,
      resolve: (epoch) => epoch.blockNumber?.toString() ?? null,
    }),
    preparedAt: t.expose("preparedAt", { type: "DateTime" }),
    confirmedAt: t.expose("confirmedAt", { type: "DateTime", nullable: true }),
    finalizedAt: t.expose("finalizedAt", { type: "DateTime", nullable: true }),
  }),
});

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

const AddressSettlementRef = builder.objectRef<AddressSettlement>("SettlementAddress").implement({
  description: "What was settled to one of the user's addresses, and what of it is claimed.",
  fields: (t) => ({
    address: t.exposeString("address"),
    onChain: t.expose("onChain", { type: "TokenAmount" }),
    claimed: t.expose("claimed", { type: "TokenAmount" }),
    claimable: t.expose("claimable", { type: "TokenAmount" }),
    inFlight: t.expose("inFlight", {
      type: "TokenAmount",
      description: "Settled in the ledger; its root is not on chain yet.",
    }),
  }),
});

const SettlementPayoutRef = builder.objectRef<SettlementPayout>("SettlementPayout").implement({
  description: "What one epoch moved from the user's available balance to the chain.",
  fields: (t) => ({
    epoch: t.exposeInt("epoch"),
    address: t.exposeString("address"),
    amount: t.expose("amount", { type: "TokenAmount" }),
    status: t.expose("status", { type: EpochStatusEnum }),
    txHash: t.exposeString("txHash", { nullable: true }),
    settledAt: t.expose("settledAt", { type: "DateTime" }),
    confirmedAt: t.expose("confirmedAt", { type: "DateTime", nullable: true }),
  }),
});

const UserSettlementRef = builder.objectRef<UserSettlement>("UserSettlement").implement({
  description: "The user's side of on-chain settlement.",
  fields: (t) => ({
    totalClaimable: t.expose("totalClaimable", { type: "TokenAmount" }),
    totalClaimed: t.expose("totalClaimed", { type: "TokenAmount" }),
    addresses: t.field({ type: [AddressSettlementRef], resolve: (s) => s.addresses }),
    payouts: t.field({
      type: [SettlementPayoutRef],
      description: "The 20 most recent epochs that settled something of the user's.",
      resolve: (s) => s.payouts,
    }),
  }),
});

builder.objectField(UserRef, "settlement", (t) =>
  t.field({
    type: UserSettlementRef,
    nullable: true,
    description: "On-chain settlement of the user's rewards. Only visible to the user themself.",
    authScopes: (user, _args, context) => context.viewer?.user.id === user.id,
    resolve: (user, _args, context) => getUserSettlement(context.services.db, user.id),
  }),
);

const addressPattern = /^0x[0-9a-fA-F]{40}$/;

function requireAddress(value: string): `0x${string}` {
  if (!addressPattern.test(value)) {
    throw new GraphQLError("That is not an Ethereum address (0x and 40 hex digits).", {
      extensions: { code: "BAD_USER_INPUT" },
    });
  }
  return value as `0x${string}`;
}

builder.queryFields((t) => ({
  claimProof: t.field({
    type: ClaimProofRef,
    nullable: true,
    description:
      "The proof for an address against the root on chain now; null when nothing was settled to it. Proofs are public: anyone may claim for anyone, and MICRO always goes to the address.",
    args: { address: t.arg.string({ required: true }) },
    resolve: (_root, args, context) =>
      getClaimProof(context.services.db, getAddress(requireAddress(args.address))),
  }),
  settlementEpochs: t.connection(
    {
      type: SettlementEpochRef,
      description: "Settlement epochs, newest first. Public.",
      resolve: (_root, args, context) => {
        if (args.last != null || args.before != null) {
          throw new GraphQLError("Epochs page forwards only: use first and after.", {
            extensions: { code: "BAD_USER_INPUT" },
          });
        }
        return resolveCursorConnection<Promise<SettlementEpoch[]>>(
          { args, toCursor: (epoch) => String(epoch.epoch), defaultSize: 20, maxSize: 100 },
          ({ after, limit }) => {
            if (after !== undefined && !/^[1-9][0-9]{0,9}$/.test(after)) {
              throw new GraphQLError("That cursor is not valid for settlement epochs.", {
                extensions: { code: "BAD_USER_INPUT" },
              });
            }
            return listEpochs(context.services.db, {
              limit,
              before: after === undefined ? null : Number(after),
            });
          },
        );
      },
    },
    { name: "SettlementEpochConnection" },
    { name: "SettlementEpochEdge" },
  ),
}));

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
      "Asks the platform to claim what was settled to one of your addresses (it pays the gas). The MICRO goes to that address.",
    args: { address: t.arg.string({ required: true }) },
    errors: {
      types: [
        NotSignedInError,
        ValidationError,
        NotFoundError,
        NothingToClaimError,
        ChainUnavailableError,
        ClaimRefusedError,
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
      }
    },
  }),
}));
