import {
  getFormProps,
  getInputProps,
  getSelectProps,
  useForm,
  type FieldMetadata,
} from "@conform-to/react";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { PaidSharesTable } from "#app/components/earning/earning-tables.tsx";
import { FieldErrors } from "#app/components/form-field.tsx";
import { MicroAmount } from "#app/components/micro-amount.tsx";
import type { RewardsAdminActionData, RuleView } from "./rewards-admin-views.ts";

type RuleFields = {
  amount: string;
  amountUnit: "micro" | "base";
  dailyCap: string;
  perTargetDailyCap: string;
  holdSeconds: string;
  isEnabled: boolean;
};

const inputClass =
  "w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-base aria-[invalid=true]:border-red-700";

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

/** One reward rule's settings, saved on their own. */
export function RewardRuleForm({ rule }: { rule: RuleView }) {
  const actionData = useActionData<RewardsAdminActionData>();
  const navigation = useNavigation();
  const mine =
    actionData?.intent === "update-rule" && actionData.actionKind === rule.actionKind
      ? actionData
      : undefined;
  const [form, fields] = useForm<RuleFields>({
    id: `rule-${rule.actionKind}`,
    lastResult: mine?.result,
    defaultValue: {
      amount: rule.amount.micro,
      amountUnit: "micro",
      dailyCap: rule.dailyCap === null ? "" : String(rule.dailyCap),
      perTargetDailyCap: rule.perTargetDailyCap === null ? "" : String(rule.perTargetDailyCap),
      holdSeconds: String(rule.holdSeconds),
      isEnabled: rule.isEnabled,
    },
  });
  return (
    <li
      className="rounded-lg border border-slate-200 bg-white p-4"
      data-testid={`rule-${rule.actionKind}`}
    >
      <Form method="post" {...getFormProps(form)} className="flex flex-col gap-3">
        <input type="hidden" name="intent" value="update-rule" />
        <input type="hidden" name="actionKind" value={rule.actionKind} />
        <div className="flex flex-wrap items-baseline justify-between gap-x-4">
          <h3 className="font-semibold first-letter:uppercase">
            {rule.label} <span className="font-normal text-slate-600">({rule.actionKind})</span>
          </h3>
          <p className="text-sm text-slate-700">
            {rule.shares.length > 0 ? "Pays at most " : "Pays "}
            <MicroAmount amount={rule.amount} /> from the {rule.budgetId} budget
          </p>
        </div>
        {rule.shares.length > 0 ? <DerivedShares rule={rule} /> : null}
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-5">
          <div className="flex flex-col gap-1 lg:col-span-2">
            <label htmlFor={fields.amount.id} className="text-sm font-medium text-slate-800">
              Amount
            </label>
            <div className="flex gap-2">
              <RuleInput field={fields.amount} inputMode="decimal" isRequired />
              <select
                {...getSelectProps(fields.amountUnit)}
                key={fields.amountUnit.key}
                aria-label={`Unit of the amount for ${rule.label}`}
                className="rounded-md border border-slate-400 bg-white px-2 py-2 text-base"
              >
                <option value="micro">MICRO</option>
                <option value="base">base units</option>
              </select>
            </div>
            <FieldErrors id={fields.amount.errorId} errors={fields.amount.errors} />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor={fields.dailyCap.id} className="text-sm font-medium text-slate-800">
              Daily cap
            </label>
            <RuleInput field={fields.dailyCap} inputMode="numeric" />
            <FieldErrors id={fields.dailyCap.errorId} errors={fields.dailyCap.errors} />
          </div>
          <div className="flex flex-col gap-1">
            <label
              htmlFor={fields.perTargetDailyCap.id}
              className="text-sm font-medium text-slate-800"
            >
              Per-source daily cap
            </label>
            <RuleInput field={fields.perTargetDailyCap} inputMode="numeric" />
            <FieldErrors
              id={fields.perTargetDailyCap.errorId}
              errors={fields.perTargetDailyCap.errors}
            />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor={fields.holdSeconds.id} className="text-sm font-medium text-slate-800">
              Hold (seconds)
            </label>
            <RuleInput field={fields.holdSeconds} inputMode="numeric" isRequired />
            <p className="text-sm text-slate-600">Now: {describeHold(rule.holdSeconds)}</p>
            <FieldErrors id={fields.holdSeconds.errorId} errors={fields.holdSeconds.errors} />
          </div>
        </div>
        <FieldErrors id={form.errorId} errors={form.errors} />
        <div className="flex flex-wrap items-center gap-4">
          <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
            <CheckboxInput field={fields.isEnabled} />
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

function RuleInput({
  field,
  inputMode,
  isRequired = false,
}: {
  field: FieldMetadata<string>;
  inputMode: "decimal" | "numeric";
  isRequired?: boolean;
}) {
  const { key, ...inputProps } = getInputProps(field, { type: "text", ariaAttributes: true });
  return (
    <input
      key={key}
      {...inputProps}
      inputMode={inputMode}
      required={isRequired}
      className={inputClass}
    />
  );
}

function CheckboxInput({ field }: { field: FieldMetadata<boolean> }) {
  const { key, ...inputProps } = getInputProps(field, { type: "checkbox" });
  return <input key={key} {...inputProps} />;
}

/** What each achievement, milestone or quest paid under this rule earns: a share of its amount. */
function DerivedShares({ rule }: { rule: RuleView }) {
  return (
    <details className="rounded-md border border-slate-200 p-3 text-sm">
      <summary className="cursor-pointer font-medium text-slate-800">
        The amount is the most one reward pays; each of the {rule.shares.length} below pays a share
        of it
      </summary>
      <div className="mt-2">
        <PaidSharesTable
          label={`What each pays under ${rule.label}`}
          what="Pays for"
          shares={rule.shares}
          testId={`derived-${rule.actionKind}`}
        />
      </div>
    </details>
  );
}
