import { getFormProps, getTextareaProps, useForm } from "@conform-to/react";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { FieldErrors } from "#app/components/form-field.tsx";
import { MicroAmount } from "#app/components/micro-amount.tsx";
import type { AppealView, RewardsAdminActionData } from "./rewards-admin-views.ts";
import { APPEAL_REASON_MAX_LENGTH, APPEAL_REASON_MIN_LENGTH } from "#shared/text-limits.ts";

/** An open appeal with the form that approves or denies it, with a reason the member sees. */
export function AppealDecision({ appeal }: { appeal: AppealView }) {
  const actionData = useActionData<RewardsAdminActionData>();
  const navigation = useNavigation();
  const reply =
    actionData?.intent === "decide-appeal" && actionData.rewardId === appeal.rewardId
      ? actionData.result
      : undefined;
  const [form, fields] = useForm<{ rewardId: string; decision: string; reason: string }>({
    id: `decide-appeal-${appeal.rewardId}`,
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
      <Form method="post" {...getFormProps(form)} className="mt-3 flex flex-col gap-2">
        <input type="hidden" name="intent" value="decide-appeal" />
        <input type="hidden" name="rewardId" value={appeal.rewardId} />
        <label htmlFor={fields.reason.id} className="text-sm font-medium text-slate-800">
          Reason for @{appeal.userHandle} (they see it)
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
