import { resolveCursorConnection } from "@pothos/plugin-relay";
import { GraphQLError } from "graphql";
import type { SettlementEpoch } from "#core/settlement/settlement.repository.ts";
import { listSettlementEpochs } from "#core/settlement/settlement.service.ts";
import { builder } from "../builder.ts";
import { forwardOnly } from "../forward-only.ts";

export const EpochStatusEnum = builder.enumType("SettlementEpochStatus", {
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

builder.queryField("settlementEpochs", (t) =>
  t.connection(
    {
      type: SettlementEpochRef,
      description: "Settlement epochs, newest first. Public.",
      resolve: (_root, args, context) => {
        forwardOnly(args, "Epochs page");
        return resolveCursorConnection<Promise<SettlementEpoch[]>>(
          { args, toCursor: (epoch) => String(epoch.epoch), defaultSize: 20, maxSize: 100 },
          ({ after, limit }) => {
            if (after !== undefined && !/^[1-9][0-9]{0,9}$/.test(after)) {
              throw new GraphQLError("That cursor is not valid for settlement epochs.", {
                extensions: { code: "BAD_USER_INPUT" },
              });
            }
            return listSettlementEpochs(context.services.db, {
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
);
