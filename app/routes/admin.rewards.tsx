import { parseWithZod } from "@conform-to/zod/v4";
import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { AppealDecision } from "#app/components/rewards-admin/appeal-decision.tsx";
import { RewardRuleForm } from "#app/components/rewards-admin/reward-rule-form.tsx";
import type {
  AppealView,
  DecisionResult,
  RewardsAdminActionData,
  RuleResult,
  RuleView,
} from "#app/components/rewards-admin/rewards-admin-views.ts";
import { paidShareView } from "#app/utils/earning-guide.server.ts";
import { requireAdmin } from "#app/utils/viewer.server.ts";
import { getEarningGuide } from "#core/rewards/earning-guide.ts";
import { listOpenAppeals } from "#core/rewards/reward-queries.ts";
import { decideAppeal, listRewardRules, updateRewardRule } from "#core/rewards/reward.service.ts";
import { displayAmount, parseAmountInput } from "#shared/money.ts";
import { APPEAL_REASON_MAX_LENGTH, APPEAL_REASON_MIN_LENGTH } from "#shared/text-limits.ts";
import { ROW_ID_TEXT } from "#core/row-id.ts";

export const meta: MetaFunction = () => [{ title: "Rewards admin · Tributary" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireAdmin(context, request);
  const { db } = context.services;
  // The guide first: it creates the streak and quest rules if the layer has not yet.
  const guide = await getEarningGuide(db);
  const sharesOf = new Map(
    guide.streams.flatMap((s) => s.actions).map((a) => [a.actionKind, a.shares]),
  );
  const rules = await listRewardRules(db);
  const appeals = await listOpenAppeals(db, { limit: 50 });
  return {
    rules: rules.map((rule): RuleView => ({
      actionKind: rule.actionKind,
      label: rule.label,
      amount: displayAmount(rule.amount),
      dailyCap: rule.dailyCap,
      perTargetDailyCap: rule.perTargetDailyCap,
      holdSeconds: rule.holdSeconds,
      budgetId: rule.budgetId,
      isEnabled: rule.isEnabled,
      shares: (sharesOf.get(rule.actionKind) ?? []).map(paidShareView),
    })),
    appeals: appeals.map(({ reward, appeal, userHandle }): AppealView => ({
      rewardId: reward.id.toString(),
      userHandle,
      memo: reward.memo,
      amount: displayAmount(reward.amount),
      status: reward.status,
      reason: reward.reason?.message ?? null,
      message: appeal.message,
      createdAt: appeal.createdAt.toISOString(),
    })),
  };
}

// An empty cap reaches the schema as undefined (Conform drops empty fields): no cap.
const optionalCap = z
  .string()
  .trim()
  .regex(/^[0-9]*$/, "A cap is a whole number, or empty for none.")
  .optional()
  .transform((value) => (value === undefined || value === "" ? null : Number(value)));

const holdMessage = "A hold is a whole number of seconds.";

const ruleInput = z
  .object({
    actionKind: z.string().min(1).max(40),
    amount: z.string().optional().default(""),
    amountUnit: z.enum(["micro", "base"], { error: "Choose MICRO or base units." }),
    dailyCap: optionalCap,
    perTargetDailyCap: optionalCap,
    holdSeconds: z
      .string({ error: holdMessage })
      .trim()
      .regex(/^[0-9]{1,9}$/, holdMessage)
      .transform(Number),
    isEnabled: z
      .string()
      .optional()
      .transform((value) => value === "on"),
  })
  .transform((rule, ctx) => {
    const amount = parseAmountInput(rule.amount, rule.amountUnit);
    if (amount !== null) return { ...rule, amount };
    ctx.addIssue({
      code: "custom",
      path: ["amount"],
      message:
        rule.amountUnit === "micro"
          ? "Enter a positive amount of MICRO with at most 18 decimals, e.g. 0.01."
          : "Enter a positive whole number of base units, e.g. 10000000000000000.",
    });
    return z.NEVER;
  });

const reasonMessage = `Give the reason for the decision in ${APPEAL_REASON_MIN_LENGTH}–${APPEAL_REASON_MAX_LENGTH} characters.`;

const decisionInput = z.object({
  rewardId: z
    .string({ error: "That is not a reward." })
    .regex(ROW_ID_TEXT, "That is not a reward."),
  decision: z.enum(["approve", "deny"], { error: "Approve or deny." }),
  reason: z.string({ error: reasonMessage }),
});

export async function action({ context, request }: ActionFunctionArgs) {
  const admin = requireAdmin(context, request);
  const { db } = context.services;
  const formData = await request.formData();
  const intent = formData.get("intent");

  if (intent === "update-rule") {
    // Echoed back so the page knows which of its rule forms the reply is for.
    const actionKind = String(formData.get("actionKind") ?? "");
    const submission = parseWithZod(formData, { schema: ruleInput });
    if (submission.status !== "success") {
      return data(
        { intent, actionKind, result: submission.reply(), isSaved: false } satisfies RuleResult,
        { status: 400 },
      );
    }
    const rule = submission.value;
    const result = await updateRewardRule(db, admin.user.id, rule.actionKind, {
      amount: rule.amount,
      dailyCap: rule.dailyCap,
      perTargetDailyCap: rule.perTargetDailyCap,
      holdSeconds: rule.holdSeconds,
      isEnabled: rule.isEnabled,
    });
    if (!result.ok) {
      const { field, message } = result.error;
      const reply = field
        ? submission.reply({ fieldErrors: { [field]: [message] } })
        : submission.reply({ formErrors: [message] });
      return data({ intent, actionKind, result: reply, isSaved: false } satisfies RuleResult, {
        status: 400,
      });
    }
    return { intent, actionKind, result: submission.reply(), isSaved: true } satisfies RuleResult;
  }

  if (intent === "decide-appeal") {
    const rewardId = String(formData.get("rewardId") ?? "");
    const submission = parseWithZod(formData, { schema: decisionInput });
    if (submission.status !== "success") {
      return data(
        { intent, rewardId, result: submission.reply(), decided: null } satisfies DecisionResult,
        { status: 400 },
      );
    }
    const isApproved = submission.value.decision === "approve";
    const result = await decideAppeal(
      context.services,
      admin.user.id,
      BigInt(submission.value.rewardId),
      {
        approve: isApproved,
        reason: submission.value.reason,
      },
    );
    if (!result.ok) {
      const reply = submission.reply({ formErrors: [result.error.message] });
      return data({ intent, rewardId, result: reply, decided: null } satisfies DecisionResult, {
        status: result.error.code === "not_found" ? 404 : 400,
      });
    }
    return {
      intent,
      rewardId,
      result: submission.reply(),
      decided: isApproved ? "approved" : "denied",
    } satisfies DecisionResult;
  }

  return data(
    { intent: "unknown" as const, message: "That form is not one this page knows." },
    { status: 400 },
  );
}

export default function RewardsAdminPage() {
  const { rules, appeals } = useLoaderData<typeof loader>();
  const actionData = useActionData<RewardsAdminActionData>();
  const decided =
    actionData && actionData.intent === "decide-appeal" && actionData.decided
      ? actionData
      : undefined;
  return (
    <div className="flex flex-col gap-8">
      <h1 className="text-2xl font-semibold">Rewards admin</h1>
      <p className="text-sm">
        Rewards held by a risk signal wait in the{" "}
        <Link to="/admin/review" className="font-medium text-brand-800 underline">
          review queue
        </Link>
        .
      </p>
      <section aria-labelledby="appeals-heading" className="flex flex-col gap-3">
        <h2 id="appeals-heading" className="text-lg font-semibold">
          Open appeals
        </h2>
        <p role="status" className="text-sm text-brand-800">
          {decided ? `Appeal ${decided.decided}.` : ""}
        </p>
        {appeals.length === 0 ? (
          <p className="text-sm text-slate-700">No appeals are waiting.</p>
        ) : (
          <ul className="flex flex-col gap-3">
            {appeals.map((appeal) => (
              <AppealDecision key={appeal.rewardId} appeal={appeal} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="rules-heading" className="flex flex-col gap-3">
        <h2 id="rules-heading" className="text-lg font-semibold">
          Reward rules
        </h2>
        <p className="text-sm text-slate-700">
          Changes apply to the next rewards. 1 MICRO = 10<sup>18</sup> base units. Leave a cap empty
          for no cap.
        </p>
        <ul className="flex flex-col gap-3">
          {rules.map((rule) => (
            <RewardRuleForm key={rule.actionKind} rule={rule} />
          ))}
        </ul>
      </section>
    </div>
  );
}
