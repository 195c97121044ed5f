import {
  getUserSettlement,
  type AddressSettlement,
  type SettlementPayout,
  type UserSettlement,
} from "#core/settlement/settlement.service.ts";
import { builder } from "../builder.ts";
import { EpochStatusEnum } from "./settlement-epoch.ts";
import { UserRef } from "./user.ts";

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
