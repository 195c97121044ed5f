import { useActionData, useFetcher } from "@remix-run/react";
import { MicroAmount } from "#app/components/micro-amount.tsx";
import type { DisplayAmount } from "#shared/money.ts";
import {
  statusWords,
  type CheckInResult,
  type RewardView,
  type WalletActionData,
} from "./wallet-views.ts";

/**
 * A one-button form: it posts without JavaScript, and with it shows the outcome in place.
 * Once today's check-in is recorded (paid, held or refused) the button is gone until the
 * next UTC day: pressing it again could only replay the same answer.
 */
export function CheckInCard({
  amount,
  today,
}: {
  amount: DisplayAmount | null;
  today: RewardView | null;
}) {
  const fetcher = useFetcher<CheckInResult>({ key: "check-in" });
  const actionData = useActionData<WalletActionData>();
  const isPending = fetcher.state !== "idle";
  const result =
    fetcher.data ?? (actionData && actionData.intent === "check-in" ? actionData : undefined);
  const hasCheckedIn = today !== null || result !== undefined;
  let message: string | null = null;
  if (isPending) {
    message = "Checking in…";
  } else if (result && "message" in result) {
    message = result.message;
  } else if (today) {
    message =
      today.status === "refused"
        ? `Today's check-in was refused: ${today.reason ?? "no reason given."}`
        : `You checked in today (${statusWords[today.status].toLowerCase()}). The next check-in opens at 00:00 UTC.`;
  }
  return (
    <section
      aria-labelledby="check-in-heading"
      className="rounded-lg border border-slate-200 bg-white p-6"
    >
      <h2 id="check-in-heading" className="text-lg font-semibold">
        Daily check-in
      </h2>
      <p className="mt-1 text-sm text-slate-700">
        Check in once a UTC day
        {amount ? (
          <>
            {" "}
            for <MicroAmount amount={amount} />
          </>
        ) : null}
        .
      </p>
      <div className="mt-4 flex flex-wrap items-center gap-4">
        {hasCheckedIn && !isPending ? null : (
          <fetcher.Form method="post">
            <button
              type="submit"
              name="intent"
              value="check-in"
              disabled={isPending}
              className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800 disabled:opacity-70"
            >
              {isPending ? "Checking in…" : "Check in for today"}
            </button>
          </fetcher.Form>
        )}
        <p role="status" data-testid="check-in-outcome" className="text-sm text-slate-800">
          {message}
        </p>
      </div>
    </section>
  );
}
