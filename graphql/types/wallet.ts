import { resolveCursorConnection } from "@pothos/plugin-relay";
import { GraphQLError } from "graphql";
import type { UserId } from "#core/auth/ids.ts";
import {
  getWalletSummary,
  listWalletEntries,
  type WalletEntry,
  type WalletSummary,
} from "#core/wallet/wallet.service.ts";
import { listHeldRewardGroups } from "#core/rewards/reward-groups.ts";
import { builder } from "../builder.ts";
import { forwardOnly } from "../forward-only.ts";
import { RewardStreamEnum } from "./earning-pace.ts";
import { HeldRewardGroupRef } from "./held-reward-group.ts";
import { WalletEntryRef } from "./wallet-entry.ts";
import { UserRef } from "./user.ts";
import { ROW_ID_TEXT } from "#core/row-id.ts";

type Wallet = { userId: UserId; summary: WalletSummary };

function decodeTransferCursor(cursor: string): bigint {
  if (!ROW_ID_TEXT.test(cursor)) {
    throw new GraphQLError("That cursor is not valid for wallet history.", {
      extensions: { code: "BAD_USER_INPUT" },
    });
  }
  return BigInt(cursor);
}

const WalletRef = builder.objectRef<Wallet>("Wallet").implement({
  description: "A user's balances in MICRO base units, straight from the ledger.",
  fields: (t) => ({
    available: t.field({
      type: "TokenAmount",
      description: "Released rewards, spendable now.",
      resolve: (wallet) => wallet.summary.available,
    }),
    pending: t.field({
      type: "TokenAmount",
      description: "Rewards still on hold.",
      resolve: (wallet) => wallet.summary.pending,
    }),
    invested: t.field({ type: "TokenAmount", resolve: (wallet) => wallet.summary.invested }),
    settled: t.field({ type: "TokenAmount", resolve: (wallet) => wallet.summary.settled }),
    nextUnlockAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "When the next held reward is released; null when nothing is held.",
      resolve: (wallet) => wallet.summary.nextUnlockAt,
    }),
    heldRewardGroups: t.field({
      type: [HeldRewardGroupRef],
      description:
        "Held and refused rewards grouped by reason, those a person decides first. Appeal a group with appealRewardGroup.",
      resolve: (wallet, _args, context) => listHeldRewardGroups(context.services.db, wallet.userId),
    }),
    history: t.connection(
      {
        type: WalletEntryRef,
        description:
          "Every transfer touching the user's balances, newest first. Pages forwards only. With `stream`, only the transfers of that stream's rewards (paid, released or undone).",
        args: {
          stream: t.arg({ type: RewardStreamEnum, required: false }),
        },
        resolve: (wallet, args, context) => {
          forwardOnly(args, "Wallet history pages");
          return resolveCursorConnection<Promise<WalletEntry[]>>(
            {
              args,
              toCursor: (entry) => entry.transferId.toString(),
              defaultSize: 20,
              maxSize: 100,
            },
            ({ after, limit }) =>
              listWalletEntries(context.services.db, wallet.userId, {
                limit,
                after: after ? decodeTransferCursor(after) : null,
                stream: args.stream ?? null,
              }),
          );
        },
      },
      { name: "WalletEntryConnection" },
      { name: "WalletEntryEdge" },
    ),
  }),
});

builder.objectField(UserRef, "wallet", (t) =>
  t.field({
    type: WalletRef,
    nullable: true,
    description: "The user's wallet. Only visible to the user themself.",
    authScopes: (user, _args, context) => context.viewer?.user.id === user.id,
    resolve: async (user, _args, context) => ({
      userId: user.id,
      summary: await getWalletSummary(context.services.db, user.id),
    }),
  }),
);
