import { getFormProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { FieldErrors } from "#app/components/form-field.tsx";
import { MicroAmount } from "#app/components/micro-amount.tsx";
import type { DisplayAmount } from "#shared/money.ts";
import { APPEAL_REASON_MAX_LENGTH, APPEAL_REASON_MIN_LENGTH } from "#shared/text-limits.ts";

/**
 * An admin's decision on one reward (an appeal, a held reward in review): who and what, the
 * details the decision rests on, and a form to approve or refuse it with a reason the member
 * sees. The two admin pages differ only in their words and the details they show.
 */
export function RewardDecisionForm({
  intent,
  reward,
  reply,
  details,
  approveLabel,
  refusal,
}: {
  /** The form's `intent`, which also names the form (`decide-appeal-<id>`). */
  intent: "decide-appeal" | "decide-review";
  reward: { rewardId: string; userHandle: string; memo: string; amount: DisplayAmount };
  /** The action's answer when it was about this reward. */
  reply: SubmissionResult<string[]> | undefined;
  details: ReactNode;
  approveLabel: string;
  refusal: { decision: string; label: string };
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm<{ rewardId: string; decision: string; reason: string }>({
    id: `${intent}-${reward.rewardId}`,
    lastResult: reply,
  });
  // One message under the reason, whichever part of the form it is about.
  const errors = [
    ...(fields.reason.errors ?? []),
    ...(fields.decision.errors ?? []),
    ...(fields.rewardId.errors ?? []),
    ...(form.errors ?? []),
  ];
  const hasErrors = errors.length > 0;
  const { key, ...reasonProps } = getTextareaProps(fields.reason);
  const testIdPrefix = intent === "decide-appeal" ? "appeal" : "review";
  return (
    <li
      className="rounded-lg border border-slate-200 bg-white p-4"
      data-testid={`${testIdPrefix}-${reward.rewardId}`}
    >
      <p className="font-medium">
        @{reward.userHandle} · {reward.memo} · <MicroAmount amount={reward.amount} />
      </p>
      {details}
      <Form method="post" {...getFormProps(form)} className="mt-3 flex flex-col gap-2">
        <input type="hidden" name="intent" value={intent} />
        <input type="hidden" name="rewardId" value={reward.rewardId} />
        <label htmlFor={fields.reason.id} className="text-sm font-medium text-slate-800">
          Reason for @{reward.userHandle} (they see it)
        </label>
        <textarea
          key={key}
          {...reasonProps}
          rows={2}
          required
          minLength={APPEAL_REASON_MIN_LENGTH}
          maxLength={APPEAL_REASON_MAX_LENGTH}
          aria-invalid={hasErrors ? true : undefined}
          aria-describedby={hasErrors ? fields.reason.errorId : undefined}
          className="rounded-md border border-slate-400 bg-white px-3 py-2 text-base"
        />
        <FieldErrors id={fields.reason.errorId} errors={hasErrors ? errors : undefined} />
        <div className="flex gap-2">
          <button
            type="submit"
            name="decision"
            value="approve"
            disabled={navigation.state === "submitting"}
            className="rounded-md bg-brand-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-800 disabled:opacity-70"
          >
            {approveLabel}
          </button>
          <button
            type="submit"
            name="decision"
            value={refusal.decision}
            disabled={navigation.state === "submitting"}
            className="rounded-md border border-red-800 px-3 py-1.5 text-sm font-semibold text-red-800 hover:bg-red-50 disabled:opacity-70"
          >
            {refusal.label}
          </button>
        </div>
      </Form>
    </li>
  );
}
