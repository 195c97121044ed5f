import type { WalletEntry } from "#core/wallet/wallet.service.ts";
import { builder } from "../builder.ts";
import { RewardStreamEnum } from "./earning-pace.ts";

const WalletBalanceEnum = builder.enumType("WalletBalance", {
  description: "Which of the user's balances an entry touches.",
  values: {
    PENDING: { value: "pending", description: "Held rewards that are not spendable yet." },
    AVAILABLE: { value: "available", description: "Released rewards." },
    INVESTED: { value: "invested", description: "Put into a yield vault." },
    SETTLED: { value: "settled", description: "Settled on chain." },
  } as const,
});

export const WalletEntryRef = builder.objectRef<WalletEntry>("WalletEntry").implement({
  description: "One ledger transfer touching the user's accounts.",
  fields: (t) => ({
    amount: t.expose("amount", {
      type: "TokenAmount",
      description: "Signed from the user's side: negative when money leaves the balance.",
    }),
    balance: t.expose("balance", { type: WalletBalanceEnum }),
    memo: t.exposeString("memo", { description: "What caused it, in words." }),
    kind: t.exposeString("kind", {
      description: 'The transfer kind, e.g. "reward" or "reward_release".',
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    stream: t.expose("stream", {
      type: RewardStreamEnum,
      nullable: true,
      description:
        "The income stream of the reward it pays, releases or undoes; null for other transfers (settling, investing).",
    }),
  }),
});
