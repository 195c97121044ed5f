import { getFormProps, getTextareaProps, useForm } from "@conform-to/react";
import { useActionData, useFetcher } from "@remix-run/react";
import { FieldErrors } from "#app/components/form-field.tsx";
import { MicroAmount } from "#app/components/micro-amount.tsx";
import { APPEAL_MESSAGE_MAX_LENGTH, APPEAL_MESSAGE_MIN_LENGTH } from "#shared/text-limits.ts";
import {
  formatDate,
  statusWords,
  type AppealDecisionView,
  type AppealResult,
  type HeldGroupView,
  type WalletActionData,
} from "./wallet-views.ts";

const rewardsWord = (count: number) => (count === 1 ? "1 reward" : `${count} rewards`);

/**
 * Held and refused rewards, one line per reason; one appeal per group where a person
 * decides. A group's rewards are listed in a <details>, so the page stays short.
 */
export function HeldRewardGroups({
  groups,
  decisions,
}: {
  groups: HeldGroupView[];
  decisions: AppealDecisionView[];
}) {
  return (
    <section
      aria-labelledby="held-heading"
      className="rounded-lg border border-slate-200 bg-white p-6"
    >
      <h2 id="held-heading" className="text-lg font-semibold">
        Held and refused rewards
      </h2>
      {groups.length === 0 ? (
        <p className="mt-2 text-sm text-slate-700">
          Nothing is held or refused. If something is, it shows here with what happens next.
        </p>
      ) : (
        <ul className="mt-3 divide-y divide-slate-200" data-testid="held-groups">
          {groups.map((group) => (
            <HeldGroupItem key={group.key} group={group} />
          ))}
        </ul>
      )}
      {decisions.length > 0 ? (
        <>
          <h3 className="mt-4 font-semibold">Appeal decisions (last 30 days)</h3>
          <ul className="mt-1 flex flex-col gap-1 text-sm" data-testid="appeal-decisions">
            {decisions.map((decision) => (
              <li key={`${decision.status}-${decision.decidedAt}-${decision.decisionReason}`}>
                <span className="font-medium">
                  Appeal {decision.status} for {rewardsWord(decision.count)}
                </span>{" "}
                (<MicroAmount amount={decision.total} />, {formatDate(decision.decidedAt)})
                {decision.decisionReason ? <> — Decision: {decision.decisionReason}</> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

const appealWords = {
  open: "appeal waiting",
  approved: "appeal approved",
  denied: "appeal denied",
};

function HeldGroupItem({ group }: { group: HeldGroupView }) {
  const shown = group.rewards.length;
  return (
    <li className="py-3" data-testid={`held-group-${group.key}`}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-4">
        <p className="font-medium">
          {group.title} · {rewardsWord(group.count)}
        </p>
        <MicroAmount amount={group.total} className="font-medium" />
      </div>
      <p className="text-sm text-slate-700">
        {group.explanation}
        {group.earliestRelease ? ` The first releases ${formatDate(group.earliestRelease)}.` : ""}
      </p>
      {group.openAppealCount > 0 ? (
        <p className="mt-1 text-sm text-slate-800">
          <span className="font-medium">Appeal waiting for a decision</span> (
          {rewardsWord(group.openAppealCount)})
          {group.latestAppealMessage ? <>: “{group.latestAppealMessage}”</> : null}
        </p>
      ) : null}
      {group.deniedAppealCount > 0 ? (
        <p className="mt-1 text-sm text-slate-800">
          <span className="font-medium">Appeal denied</span> ({rewardsWord(group.deniedAppealCount)}
          ){group.latestDenialReason ? <> — Decision: {group.latestDenialReason}</> : null}
        </p>
      ) : null}
      {group.isAppealable && group.unappealedCount > 0 ? <GroupAppealForm group={group} /> : null}
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer font-medium text-brand-700">
          {shown === group.count
            ? `Show ${shown === 1 ? "it" : `all ${shown}`}`
            : `Show the newest ${shown} of ${group.count}`}
        </summary>
        <ul className="mt-1 divide-y divide-slate-100">
          {group.rewards.map((reward) => (
            <li key={reward.id} className="py-1.5" data-testid={`reward-${reward.id}`}>
              <div className="flex flex-wrap justify-between gap-x-4">
                <span className="break-words">{reward.memo}</span>
                <MicroAmount amount={reward.amount} />
              </div>
              <p className="text-slate-600">
                {formatDate(reward.createdAt)} · {statusWords[reward.status]}
                {reward.reason ? ` — ${reward.reason}` : ""}
                {reward.appeal ? ` · ${appealWords[reward.appeal.status]}` : ""}
              </p>
            </li>
          ))}
        </ul>
      </details>
    </li>
  );
}

function GroupAppealForm({ group }: { group: HeldGroupView }) {
  const formId = `appeal-${group.key.replace(":", "-")}`;
  const fetcher = useFetcher<AppealResult>({ key: formId });
  const actionData = useActionData<WalletActionData>();
  // Without JavaScript the page's own action answers; it names the group it was for.
  const reply =
    fetcher.data ??
    (actionData?.intent === "appeal-group" && actionData.groupKey === group.key
      ? actionData
      : undefined);
  const [form, fields] = useForm<{ groupKey: string; message: string }>({
    id: formId,
    lastResult: reply?.result,
  });
  // One message under the box, whichever part of the form it is about.
  const errors = [
    ...(fields.message.errors ?? []),
    ...(fields.groupKey.errors ?? []),
    ...(form.errors ?? []),
  ];
  const hasErrors = errors.length > 0;
  const { key, ...textareaProps } = getTextareaProps(fields.message);
  const isPending = fetcher.state !== "idle";
  const what =
    group.openAppealCount > 0
      ? `the ${rewardsWord(group.unappealedCount)} not yet appealed`
      : group.unappealedCount === 1
        ? "this reward"
        : `these ${group.unappealedCount} rewards`;
  return (
    <details className="mt-2" open={hasErrors || undefined}>
      <summary className="cursor-pointer text-sm font-semibold text-brand-800">
        Appeal {what}
      </summary>
      <fetcher.Form method="post" {...getFormProps(form)} className="mt-2 flex flex-col gap-2">
        <input type="hidden" name="groupKey" value={group.key} />
        <label htmlFor={fields.message.id} className="text-sm font-medium text-slate-800">
          Why should a person look at {what} again?
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
            value="appeal-group"
            disabled={isPending}
            className="rounded-md border border-brand-700 px-3 py-1.5 text-sm font-semibold text-brand-800 hover:bg-brand-50 disabled:opacity-70"
          >
            {isPending ? "Sending…" : "Send one appeal"}
          </button>
        </div>
      </fetcher.Form>
    </details>
  );
}
