import { getFormProps, getTextareaProps, useForm } from "@conform-to/react";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { FieldErrors } from "#app/components/form-field.tsx";
import { MicroAmount } from "#app/components/micro-amount.tsx";
import { APPEAL_REASON_MAX_LENGTH, APPEAL_REASON_MIN_LENGTH } from "#shared/text-limits.ts";
import type { QueuedRewardView, ReviewActionData } from "./review-queue-views.ts";

/** A reward held for review, its signals, and the form that approves or reverses it with a reason. */
export function ReviewDecision({ reward }: { reward: QueuedRewardView }) {
  const actionData = useActionData<ReviewActionData>();
  const navigation = useNavigation();
  const reply =
    actionData?.intent === "decide-review" && actionData.rewardId === reward.rewardId
      ? actionData.result
      : undefined;
  const [form, fields] = useForm<{ rewardId: string; decision: string; reason: string }>({
    id: `decide-review-${reward.rewardId}`,
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
  return (
    <li
      className="rounded-lg border border-slate-200 bg-white p-4"
      data-testid={`review-${reward.rewardId}`}
    >
      <p className="font-medium">
        @{reward.userHandle} · {reward.memo} · <MicroAmount amount={reward.amount} />
      </p>
      <ul className="mt-1 flex flex-col gap-1 text-sm text-slate-800">
        {reward.signals.map((signal) => (
          <li key={signal.code} className={signal.isCleared ? "text-slate-500 line-through" : ""}>
            <span className="font-mono text-xs">{signal.code}</span> — {signal.message}
            {signal.isCleared ? " (cleared)" : ""}
          </li>
        ))}
      </ul>
      <Form method="post" {...getFormProps(form)} className="mt-3 flex flex-col gap-2">
        <input type="hidden" name="intent" value="decide-review" />
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
            Approve and release
          </button>
          <button
            type="submit"
            name="decision"
            value="reverse"
            disabled={navigation.state === "submitting"}
            className="rounded-md border border-red-800 px-3 py-1.5 text-sm font-semibold text-red-800 hover:bg-red-50 disabled:opacity-70"
          >
            Reverse
          </button>
        </div>
      </Form>
    </li>
  );
}
