import { getFormProps, getTextareaProps, useForm } from "@conform-to/react";
import { useActionData, useFetcher } from "@remix-run/react";
import { FieldErrors } from "#app/components/form-field.tsx";
import { MicroAmount } from "#app/components/micro-amount.tsx";
import {
  formatDate,
  statusWords,
  type AppealResult,
  type RewardView,
  type WalletActionData,
} from "./wallet-views.ts";
import { APPEAL_MESSAGE_MAX_LENGTH, APPEAL_MESSAGE_MIN_LENGTH } from "#shared/text-limits.ts";

/** Held, refused and appealed rewards, each held or refused one with its appeal form. */
export function RewardAppeals({ rewards }: { rewards: RewardView[] }) {
  return (
    <section
      aria-labelledby="attention-heading"
      className="rounded-lg border border-slate-200 bg-white p-6"
    >
      <h2 id="attention-heading" className="text-lg font-semibold">
        Held, refused and appealed rewards
      </h2>
      {rewards.length === 0 ? (
        <p className="mt-2 text-sm text-slate-700">
          Nothing is held or refused. Rewards that are will show here, and you can appeal them.
        </p>
      ) : (
        <ul className="mt-3 divide-y divide-slate-200">
          {rewards.map((reward) => (
            <RewardAppealItem key={reward.id} reward={reward} />
          ))}
        </ul>
      )}
    </section>
  );
}

const appealWords = { open: "waiting for a decision", approved: "approved", denied: "denied" };

function RewardAppealItem({ reward }: { reward: RewardView }) {
  return (
    <li className="py-3" data-testid={`reward-${reward.id}`}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-4">
        <p className="font-medium">{reward.memo}</p>
        <MicroAmount amount={reward.amount} className="font-medium" />
      </div>
      <p className="text-sm text-slate-700">
        {statusWords[reward.status]}
        {reward.status === "held" && reward.holdUntil
          ? ` until ${formatDate(reward.holdUntil)}`
          : ""}
        {reward.reason ? ` — ${reward.reason}` : ""}
      </p>
      {reward.appeal ? (
        <div className="mt-2 rounded-md bg-slate-50 p-3 text-sm">
          <p>
            <span className="font-medium">Appeal {appealWords[reward.appeal.status]}</span>: “
            {reward.appeal.message}”
          </p>
          {reward.appeal.decisionReason ? (
            <p className="mt-1">Decision: {reward.appeal.decisionReason}</p>
          ) : null}
        </div>
      ) : reward.isAppealable ? (
        <AppealForm rewardId={reward.id} memo={reward.memo} />
      ) : null}
    </li>
  );
}

function AppealForm({ rewardId, memo }: { rewardId: string; memo: string }) {
  const fetcher = useFetcher<AppealResult>({ key: `appeal-${rewardId}` });
  const actionData = useActionData<WalletActionData>();
  // Without JavaScript the page's own action answers; it names the reward it was for.
  const reply =
    fetcher.data ??
    (actionData?.intent === "appeal" && actionData.rewardId === rewardId ? actionData : undefined);
  const [form, fields] = useForm<{ rewardId: string; message: string }>({
    id: `appeal-${rewardId}`,
    lastResult: reply?.result,
  });
  // One message under the box, whichever part of the form it is about.
  const errors = [
    ...(fields.message.errors ?? []),
    ...(fields.rewardId.errors ?? []),
    ...(form.errors ?? []),
  ];
  const hasErrors = errors.length > 0;
  const { key, ...textareaProps } = getTextareaProps(fields.message);
  const isPending = fetcher.state !== "idle";
  return (
    <fetcher.Form method="post" {...getFormProps(form)} className="mt-2 flex flex-col gap-2">
      <input type="hidden" name="rewardId" value={rewardId} />
      <label htmlFor={fields.message.id} className="text-sm font-medium text-slate-800">
        Appeal “{memo}”: why should it be reviewed?
      </label>
      <textarea
        key={key}
        {...textareaProps}
        rows={2}
        required
        minLength={APPEAL_MESSAGE_MIN_LENGTH}
        maxLength={APPEAL_MESSAGE_MAX_LENGTH}
        aria-invalid={hasErrors ? true : undefined}
        aria-describedby={hasErrors ? fields.message.errorId : undefined}
        className="rounded-md border border-slate-400 bg-white px-3 py-2 text-base aria-[invalid=true]:border-red-700"
      />
      <FieldErrors id={fields.message.errorId} errors={hasErrors ? errors : undefined} />
      <div>
        <button
          type="submit"
          name="intent"
          value="appeal"
          disabled={isPending}
          className="rounded-md border border-brand-700 px-3 py-1.5 text-sm font-semibold text-brand-800 hover:bg-brand-50 disabled:opacity-70"
        >
          {isPending ? "Sending…" : "Appeal"}
        </button>
      </div>
    </fetcher.Form>
  );
}
