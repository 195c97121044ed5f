import {
  data,
  type ActionFunctionArgs,
  type AppLoadContext,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { MicroAmount } from "#app/components/micro-amount.tsx";
import { displayAmount, parseAmountInput } from "#shared/money.ts";
import { APPEAL_REASON_MAX_LENGTH, APPEAL_REASON_MIN_LENGTH } from "#shared/text-limits.ts";
import { requireViewer } from "#app/utils/viewer.server.ts";
import type { ValidatedSession } from "#core/auth/session.service.ts";
import { listOpenAppeals } from "#core/rewards/reward-queries.ts";
import { decideAppeal, listRewardRules, updateRewardRule } from "#core/rewards/reward.service.ts";
import { fieldErrorsFromIssues, type FieldErrors } from "#core/result.ts";

export const meta: MetaFunction = () => [{ title: "Rewards admin · Tributary" }];

/** Admins only; to anyone else the page does not exist. */
function requireAdmin(context: AppLoadContext, request: Request): ValidatedSession {
  const viewer = requireViewer(context, request);
  if (!viewer.user.isAdmin) throw new Response("Not Found", { status: 404 });
  return viewer;
}

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireAdmin(context, request);
  const { db } = context.services;
  const rules = await listRewardRules(db);
  const appeals = await listOpenAppeals(db, { limit: 50 });
  return {
    rules: rules.map((rule) => ({
      actionKind: rule.actionKind,
      label: rule.label,
      amount: displayAmount(rule.amount),
      dailyCap: rule.dailyCap,
      perTargetDailyCap: rule.perTargetDailyCap,
      holdSeconds: rule.holdSeconds,
      budgetId: rule.budgetId,
      isEnabled: rule.isEnabled,
    })),
    appeals: appeals.map(({ reward, appeal, userHandle }) => ({
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

const optionalCap = z
  .string()
  .trim()
  .regex(/^[0-9]*$/, "A cap is a whole number, or empty for none.")
  .transform((value) => (value === "" ? null : Number(value)));

const ruleInput = z.object({
  actionKind: z.string().min(1).max(40),
  amount: z.string({ error: "Enter an amount." }),
  amountUnit: z.enum(["micro", "base"], { error: "Choose MICRO or base units." }),
  dailyCap: optionalCap,
  perTargetDailyCap: optionalCap,
  holdSeconds: z
    .string()
    .trim()
    .regex(/^[0-9]{1,9}$/, "A hold is a whole number of seconds.")
    .transform(Number),
  isEnabled: z
    .string()
    .optional()
    .transform((value) => value === "on"),
});

const decisionInput = z.object({
  rewardId: z.string().regex(/^[1-9][0-9]{0,18}$/, "That is not a reward."),
  decision: z.enum(["approve", "deny"], { error: "Approve or deny." }),
  reason: z.string({ error: "Give the reason for the decision." }),
});

export type RuleResult = {
  intent: "update-rule";
  actionKind: string;
  isSaved: boolean;
  fieldErrors: FieldErrors;
};
export type DecisionResult = {
  intent: "decide-appeal";
  rewardId: string;
  error: string | null;
  decided: "approved" | "denied" | null;
};

export async function action({ context, request }: ActionFunctionArgs) {
  const admin = requireAdmin(context, request);
  const { db } = context.services;
  const form = await request.formData();
  const intent = form.get("intent");

  if (intent === "update-rule") {
    const actionKind = String(form.get("actionKind") ?? "");
    const fail = (fieldErrors: FieldErrors) =>
      data(
        { intent: "update-rule", actionKind, isSaved: false, fieldErrors } satisfies RuleResult,
        { status: 400 },
      );
    const parsed = ruleInput.safeParse(Object.fromEntries(form));
    if (!parsed.success) return fail(fieldErrorsFromIssues(parsed.error.issues));
    const amount = parseAmountInput(parsed.data.amount, parsed.data.amountUnit);
    if (amount === null) {
      return fail({
        amount: [
          parsed.data.amountUnit === "micro"
            ? "Enter a positive amount of MICRO with at most 18 decimals, e.g. 0.01."
            : "Enter a positive whole number of base units, e.g. 10000000000000000.",
        ],
      });
    }
    const result = await updateRewardRule(db, admin.user.id, parsed.data.actionKind, {
      amount,
      dailyCap: parsed.data.dailyCap,
      perTargetDailyCap: parsed.data.perTargetDailyCap,
      holdSeconds: parsed.data.holdSeconds,
      isEnabled: parsed.data.isEnabled,
    });
    if (!result.ok) return fail({ [result.error.field ?? ""]: [result.error.message] });
    return {
      intent: "update-rule",
      actionKind,
      isSaved: true,
      fieldErrors: {},
    } satisfies RuleResult;
  }

  if (intent === "decide-appeal") {
    const rewardId = String(form.get("rewardId") ?? "");
    const fail = (error: string, status = 400) =>
      data({ intent: "decide-appeal", rewardId, error, decided: null } satisfies DecisionResult, {
        status,
      });
    const parsed = decisionInput.safeParse(Object.fromEntries(form));
    if (!parsed.success) return fail(parsed.error.issues[0]?.message ?? "Check the decision.");
    const isApproved = parsed.data.decision === "approve";
    const result = await decideAppeal(db, admin.user.id, BigInt(parsed.data.rewardId), {
      approve: isApproved,
      reason: parsed.data.reason,
    });
    if (!result.ok)
      return fail(result.error.message, result.error.code === "not_found" ? 404 : 400);
    return {
      intent: "decide-appeal",
      rewardId,
      error: null,
      decided: isApproved ? "approved" : "denied",
    } satisfies DecisionResult;
  }

  return data(
    { intent: "unknown" as const, message: "That form is not one this page knows." },
    { status: 400 },
  );
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function describeHold(seconds: number): string {
  if (seconds === 0) return "no hold";
  const units: [number, string][] = [
    [86_400, "day"],
    [3_600, "hour"],
    [60, "minute"],
    [1, "second"],
  ];
  const parts: string[] = [];
  let left = seconds;
  for (const [size, name] of units) {
    const count = Math.floor(left / size);
    if (count > 0) parts.push(`${count} ${name}${count === 1 ? "" : "s"}`);
    left -= count * size;
  }
  return parts.join(" ");
}

export default function RewardsAdminPage() {
  const { rules, appeals } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const decided =
    actionData && actionData.intent === "decide-appeal" && actionData.decided
      ? actionData
      : undefined;
  return (
    <div className="flex flex-col gap-8">
      <h1 className="text-2xl font-semibold">Rewards admin</h1>
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
              <AppealItem key={appeal.rewardId} appeal={appeal} />
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
            <RuleItem key={rule.actionKind} rule={rule} />
          ))}
        </ul>
      </section>
    </div>
  );
}

function AppealItem({ appeal }: { appeal: LoaderData["appeals"][number] }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const error =
    actionData &&
    actionData.intent === "decide-appeal" &&
    actionData.rewardId === appeal.rewardId &&
    actionData.error
      ? actionData.error
      : null;
  const reasonId = `reason-${appeal.rewardId}`;
  return (
    <li
      className="rounded-lg border border-slate-200 bg-white p-4"
      data-testid={`appeal-${appeal.rewardId}`}
    >
      <p className="font-medium">
        @{appeal.userHandle} · {appeal.memo} · <MicroAmount amount={appeal.amount} />
      </p>
      <p className="text-sm text-slate-700">
        {appeal.status === "held" ? "Held" : appeal.status === "refused" ? "Refused" : "Paid"}
        {appeal.reason ? ` — ${appeal.reason}` : ""}
      </p>
      <p className="mt-1 text-sm">“{appeal.message}”</p>
      <Form method="post" className="mt-3 flex flex-col gap-2">
        <input type="hidden" name="intent" value="decide-appeal" />
        <input type="hidden" name="rewardId" value={appeal.rewardId} />
        <label htmlFor={reasonId} className="text-sm font-medium text-slate-800">
          Reason for @{appeal.userHandle} (they see it)
        </label>
        <textarea
          id={reasonId}
          name="reason"
          rows={2}
          required
          minLength={APPEAL_REASON_MIN_LENGTH}
          maxLength={APPEAL_REASON_MAX_LENGTH}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${reasonId}-error` : undefined}
          className="rounded-md border border-slate-400 bg-white px-3 py-2 text-base"
        />
        {error ? (
          <p id={`${reasonId}-error`} className="text-sm text-red-800">
            {error}
          </p>
        ) : null}
        <div className="flex gap-2">
          <button
            type="submit"
            name="decision"
            value="approve"
            disabled={navigation.state === "submitting"}
            className="rounded-md bg-brand-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-800 disabled:opacity-70"
          >
            Approve
          </button>
          <button
            type="submit"
            name="decision"
            value="deny"
            disabled={navigation.state === "submitting"}
            className="rounded-md border border-red-800 px-3 py-1.5 text-sm font-semibold text-red-800 hover:bg-red-50 disabled:opacity-70"
          >
            Deny
          </button>
        </div>
      </Form>
    </li>
  );
}

function RuleItem({ rule }: { rule: LoaderData["rules"][number] }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const mine =
    actionData && actionData.intent === "update-rule" && actionData.actionKind === rule.actionKind
      ? actionData
      : undefined;
  const errors: FieldErrors = mine?.fieldErrors ?? {};
  const id = (field: string) => `${rule.actionKind}-${field}`;
  const fieldError = (field: string) =>
    errors[field]?.length ? (
      <p id={`${id(field)}-error`} className="text-sm text-red-800">
        {errors[field]!.join(" ")}
      </p>
    ) : null;
  const invalid = (field: string) =>
    errors[field]?.length
      ? { "aria-invalid": true as const, "aria-describedby": `${id(field)}-error` }
      : {};
  const inputClass =
    "w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-base aria-[invalid=true]:border-red-700";
  return (
    <li
      className="rounded-lg border border-slate-200 bg-white p-4"
      data-testid={`rule-${rule.actionKind}`}
    >
      <Form method="post" className="flex flex-col gap-3">
        <input type="hidden" name="intent" value="update-rule" />
        <input type="hidden" name="actionKind" value={rule.actionKind} />
        <div className="flex flex-wrap items-baseline justify-between gap-x-4">
          <h3 className="font-semibold first-letter:uppercase">
            {rule.label} <span className="font-normal text-slate-600">({rule.actionKind})</span>
          </h3>
          <p className="text-sm text-slate-700">
            Pays <MicroAmount amount={rule.amount} /> from the {rule.budgetId} budget
          </p>
        </div>
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-5">
          <div className="flex flex-col gap-1 lg:col-span-2">
            <label htmlFor={id("amount")} className="text-sm font-medium text-slate-800">
              Amount
            </label>
            <div className="flex gap-2">
              <input
                id={id("amount")}
                name="amount"
                inputMode="decimal"
                defaultValue={rule.amount.micro}
                required
                className={inputClass}
                {...invalid("amount")}
              />
              <select
                name="amountUnit"
                aria-label={`Unit of the amount for ${rule.label}`}
                defaultValue="micro"
                className="rounded-md border border-slate-400 bg-white px-2 py-2 text-base"
              >
                <option value="micro">MICRO</option>
                <option value="base">base units</option>
              </select>
            </div>
            {fieldError("amount")}
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor={id("dailyCap")} className="text-sm font-medium text-slate-800">
              Daily cap
            </label>
            <input
              id={id("dailyCap")}
              name="dailyCap"
              inputMode="numeric"
              defaultValue={rule.dailyCap ?? ""}
              className={inputClass}
              {...invalid("dailyCap")}
            />
            {fieldError("dailyCap")}
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor={id("perTargetDailyCap")} className="text-sm font-medium text-slate-800">
              Per-source daily cap
            </label>
            <input
              id={id("perTargetDailyCap")}
              name="perTargetDailyCap"
              inputMode="numeric"
              defaultValue={rule.perTargetDailyCap ?? ""}
              className={inputClass}
              {...invalid("perTargetDailyCap")}
            />
            {fieldError("perTargetDailyCap")}
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor={id("holdSeconds")} className="text-sm font-medium text-slate-800">
              Hold (seconds)
            </label>
            <input
              id={id("holdSeconds")}
              name="holdSeconds"
              inputMode="numeric"
              defaultValue={String(rule.holdSeconds)}
              required
              className={inputClass}
              {...invalid("holdSeconds")}
            />
            <p className="text-sm text-slate-600">Now: {describeHold(rule.holdSeconds)}</p>
            {fieldError("holdSeconds")}
          </div>
        </div>
        {fieldError("")}
        <div className="flex flex-wrap items-center gap-4">
          <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
            <input type="checkbox" name="isEnabled" defaultChecked={rule.isEnabled} />
            Enabled
          </label>
          <button
            type="submit"
            disabled={navigation.state === "submitting"}
            className="rounded-md bg-brand-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-800 disabled:opacity-70"
          >
            Save {rule.label}
          </button>
          <p role="status" className="text-sm text-brand-800">
            {mine?.isSaved ? "Saved." : ""}
          </p>
        </div>
      </Form>
    </li>
  );
}
