import type { RewardRule } from "#core/rewards/reward-rules.repository.ts";
import {
  listRewardRules,
  updateRewardRule,
  type RuleChange,
} from "#core/rewards/reward.service.ts";
import { adminId, adminOnly } from "../admin-only.ts";
import { builder } from "../builder.ts";
import { ForbiddenError, NotFoundError, NotSignedInError, ValidationError } from "./errors.ts";

const RewardRuleRef = builder.objectRef<RewardRule>("RewardRule").implement({
  description: "How much one kind of action pays, how often, and how long it is held.",
  fields: (t) => ({
    actionKind: t.exposeString("actionKind"),
    label: t.exposeString("label"),
    amount: t.expose("amount", { type: "TokenAmount" }),
    dailyCap: t.exposeInt("dailyCap", {
      nullable: true,
      description: "Most rewards per user per UTC day; null for no cap.",
    }),
    perTargetDailyCap: t.exposeInt("perTargetDailyCap", {
      nullable: true,
      description: "Most rewards per user per UTC day from the same source; null for no cap.",
    }),
    holdSeconds: t.exposeInt("holdSeconds"),
    budgetId: t.exposeString("budgetId"),
    isEnabled: t.exposeBoolean("isEnabled"),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

builder.queryField("rewardRules", (t) =>
  t.field({
    type: [RewardRuleRef],
    description: "Every reward rule. Admins only.",
    authScopes: { admin: true },
    resolve: (_root, _args, context) => listRewardRules(context.services.db),
  }),
);

const RewardRulePayloadRef = builder
  .objectRef<{ rule: RewardRule }>("RewardRulePayload")
  .implement({
    fields: (t) => ({ rule: t.field({ type: RewardRuleRef, resolve: (p) => p.rule }) }),
  });

builder.mutationField("updateRewardRule", (t) =>
  t.field({
    type: RewardRulePayloadRef,
    description:
      "Changes a reward rule; the next rewards use it. Omitted arguments stay as they are; a null cap means no cap. Admins only.",
    ...adminOnly("change reward rules"),
    args: {
      actionKind: t.arg.string({ required: true }),
      amount: t.arg({ type: "TokenAmount", required: false }),
      dailyCap: t.arg.int({ required: false }),
      perTargetDailyCap: t.arg.int({ required: false }),
      holdSeconds: t.arg.int({ required: false, description: "0 to 90 days, in seconds." }),
      isEnabled: t.arg.boolean({ required: false }),
    },
    errors: { types: [NotSignedInError, ForbiddenError, ValidationError, NotFoundError] },
    resolve: async (_root, args, context) => {
      const change: RuleChange = {};
      if (args.amount != null) change.amount = args.amount;
      if (args.dailyCap !== undefined) change.dailyCap = args.dailyCap;
      if (args.perTargetDailyCap !== undefined) change.perTargetDailyCap = args.perTargetDailyCap;
      if (args.holdSeconds != null) change.holdSeconds = args.holdSeconds;
      if (args.isEnabled != null) change.isEnabled = args.isEnabled;
      const result = await updateRewardRule(
        context.services.db,
        adminId(context),
        args.actionKind,
        change,
      );
      if (!result.ok) {
        const { code, message, field } = result.error;
        if (code === "not_found") throw new NotFoundError(message);
        throw new ValidationError(message, { [field ?? ""]: [message] });
      }
      return { rule: result.value };
    },
  }),
);
