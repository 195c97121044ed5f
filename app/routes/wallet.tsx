import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useActionData, useFetcher, useLoaderData } from "@remix-run/react";
import { useId } from "react";
import { z } from "zod";
import { LinkedWallet } from "#app/components/linked-wallet.tsx";
import { MicroAmount } from "#app/components/micro-amount.tsx";
import { SettlementPanel } from "#app/components/settlement-panel.tsx";
import { type DisplayAmount, displayAmount } from "#shared/money.ts";
import { APPEAL_MESSAGE_MAX_LENGTH, APPEAL_MESSAGE_MIN_LENGTH } from "#shared/text-limits.ts";
import { loadSettlementView } from "#app/utils/settlement.server.ts";
import { requireViewer } from "#app/utils/viewer.server.ts";
import { loadWalletLinkView } from "#app/utils/wallet-link.server.ts";
import { checkIn, checkInKey, CHECK_IN_KIND, describeCheckIn } from "#core/rewards/check-in.ts";
import { getRewardByKey, listRewards, type RewardRecord } from "#core/rewards/reward-queries.ts";
import { appealReward, getRewardRule } from "#core/rewards/reward.service.ts";
import { getWalletSummary, listWalletEntries } from "#core/wallet/wallet.service.ts";

export const meta: MetaFunction = () => [{ title: "Wallet · Tributary" }];

const HISTORY_PAGE = 20;
const ATTENTION_LIMIT = 20;

// A fixed zone so the server's HTML and the browser's hydration print the same text.
const dateFormat = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});
const formatDate = (iso: string) => `${dateFormat.format(new Date(iso))} UTC`;

const statusWords: Record<RewardRecord["status"], string> = {
  held: "Held",
  available: "Paid",
  refused: "Refused",
  reversed: "Undone",
};

const balanceWords = {
  pending: "Pending",
  available: "Available",
  invested: "Invested",
  settled: "Settled",
} as const;

function rewardView(reward: RewardRecord) {
  return {
    id: reward.id.toString(),
    memo: reward.memo,
    amount: displayAmount(reward.amount),
    status: reward.status,
    reason: reward.reason?.message ?? null,
    holdUntil: reward.holdUntil?.toISOString() ?? null,
    createdAt: reward.createdAt.toISOString(),
    isAppealable:
      (reward.status === "held" || reward.status === "refused") && reward.appeal === null,
    appeal: reward.appeal
      ? {
          status: reward.appeal.status,
          message: reward.appeal.message,
          decisionReason: reward.appeal.decisionReason,
        }
      : null,
  };
}

type RewardView = ReturnType<typeof rewardView>;

export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  const { db } = context.services;
  const userId = viewer.user.id;
  const afterParam = new URL(request.url).searchParams.get("after");
  // A cursor is a transfer id; anything else is an old or hand-made link: start over.
  const after = afterParam && /^[1-9][0-9]{0,18}$/.test(afterParam) ? BigInt(afterParam) : null;

  // Independent reads: on Postgres they run side by side.
  const [summary, entries, attention, today, rule, walletLink, settlement] = await Promise.all([
    getWalletSummary(db, userId),
    listWalletEntries(db, userId, { limit: HISTORY_PAGE + 1, after }),
    listRewards(db, userId, { limit: ATTENTION_LIMIT, filter: "needs_attention" }),
    getRewardByKey(db, checkInKey(userId)),
    getRewardRule(db, CHECK_IN_KIND),
    loadWalletLinkView(db, userId),
    loadSettlementView(context.services, userId),
  ]);

  const page = entries.slice(0, HISTORY_PAGE);
  return {
    totals: {
      available: displayAmount(summary.available),
      pending: displayAmount(summary.pending),
      invested: displayAmount(summary.invested),
      settled: displayAmount(summary.settled),
      nextUnlockAt: summary.nextUnlockAt?.toISOString() ?? null,
    },
    checkIn: {
      amount: rule ? displayAmount(rule.amount) : null,
      today: today ? rewardView(today) : null,
    },
    history: {
      entries: page.map((entry) => ({
        id: entry.transferId.toString(),
        amount: displayAmount(entry.amount),
        balance: entry.balance,
        memo: entry.memo,
        createdAt: entry.createdAt.toISOString(),
      })),
      olderCursor: entries.length > HISTORY_PAGE ? page.at(-1)!.transferId.toString() : null,
      isFirstPage: after === null,
    },
    attention: attention.map(rewardView),
    walletLink,
    settlement,
  };
}

const appealMessage = `Explain your appeal in ${APPEAL_MESSAGE_MIN_LENGTH}–${APPEAL_MESSAGE_MAX_LENGTH} characters.`;
const appealInput = z.object({
  rewardId: z.string().regex(/^[1-9][0-9]{0,18}$/, "That is not one of your rewards."),
  message: z
    .string({ error: appealMessage })
    .trim()
    .min(APPEAL_MESSAGE_MIN_LENGTH, appealMessage)
    .max(APPEAL_MESSAGE_MAX_LENGTH, appealMessage),
});

export type CheckInResult = {
  intent: "check-in";
  status: RewardRecord["status"];
  isReplay: boolean;
  message: string;
  amount: DisplayAmount;
};
export type AppealResult = {
  intent: "appeal";
  rewardId: string;
  isSaved: boolean;
  error: string | null;
};

export async function action({ context, request }: ActionFunctionArgs) {
  const viewer = requireViewer(context, request);
  const { services } = context;
  const form = await request.formData();
  const intent = form.get("intent");

  if (intent === "check-in") {
    const result = await checkIn(services.rewards, viewer.user.id);
    // Every expected refusal is a reward with a reason; an error here is a broken setup.
    if (!result.ok) throw new Error(`check-in failed: ${result.error.message}`);
    const outcome = result.value;
    return {
      intent: "check-in",
      status: outcome.status,
      isReplay: outcome.isReplay,
      message: describeCheckIn(outcome),
      amount: displayAmount(outcome.amount),
    } satisfies CheckInResult;
  }

  if (intent === "appeal") {
    const rewardId = String(form.get("rewardId") ?? "");
    const parsed = appealInput.safeParse({ rewardId, message: form.get("message") });
    if (!parsed.success) {
      const error = parsed.error.issues[0]?.message ?? "Check the appeal and try again.";
      return data({ intent: "appeal", rewardId, isSaved: false, error } satisfies AppealResult, {
        status: 400,
      });
    }
    const result = await appealReward(
      services.db,
      viewer.user.id,
      BigInt(parsed.data.rewardId),
      parsed.data.message,
    );
    if (!result.ok) {
      const status = result.error.code === "not_found" ? 404 : 400;
      return data(
        {
          intent: "appeal",
          rewardId,
          isSaved: false,
          error: result.error.message,
        } satisfies AppealResult,
        { status },
      );
    }
    return { intent: "appeal", rewardId, isSaved: true, error: null } satisfies AppealResult;
  }

  return data(
    { intent: "unknown" as const, message: "That form is not one this page knows." },
    { status: 400 },
  );
}

export default function WalletPage() {
  const { totals, checkIn, history, attention, walletLink, settlement } =
    useLoaderData<typeof loader>();
  return (
    <div className="flex flex-col gap-8">
      <h1 className="text-2xl font-semibold">Wallet</h1>
      <Totals totals={totals} />
      <LinkedWallet view={walletLink} />
      <SettlementPanel view={settlement} />
      <CheckInCard amount={checkIn.amount} today={checkIn.today} />
      <AttentionList rewards={attention} />
      <History history={history} />
    </div>
  );
}

function Totals({ totals }: { totals: ReturnType<typeof useLoaderData<typeof loader>>["totals"] }) {
  const cards = [
    { key: "available", label: "Available", amount: totals.available, note: "Yours to use now" },
    {
      key: "pending",
      label: "Pending",
      amount: totals.pending,
      note: totals.nextUnlockAt ? `unlocks ${formatDate(totals.nextUnlockAt)}` : "Nothing on hold",
    },
    { key: "invested", label: "Invested", amount: totals.invested, note: "In yield vaults" },
    { key: "settled", label: "Settled", amount: totals.settled, note: "Settled on chain" },
  ] as const;
  return (
    <section aria-labelledby="totals-heading">
      <h2 id="totals-heading" className="sr-only">
        Balances
      </h2>
      <dl className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {cards.map((card) => (
          <div
            key={card.key}
            data-testid={`total-${card.key}`}
            className="rounded-lg border border-slate-200 bg-white p-4"
          >
            <dt className="text-sm font-medium text-slate-700">{card.label}</dt>
            <dd className="mt-1 text-xl font-semibold break-all text-slate-900">
              <MicroAmount amount={card.amount} />
            </dd>
            <dd className="mt-1 text-sm text-slate-600">{card.note}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function CheckInCard({
  amount,
  today,
}: {
  amount: DisplayAmount | null;
  today: RewardView | null;
}) {
  const fetcher = useFetcher<CheckInResult>({ key: "check-in" });
  const actionData = useActionData<typeof action>();
  const isPending = fetcher.state !== "idle";
  const result =
    fetcher.data ?? (actionData && actionData.intent === "check-in" ? actionData : undefined);
  let message: string | null = null;
  if (isPending) {
    message = amount ? `Checking in… +${amount.micro} MICRO on its way.` : "Checking in…";
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
      <fetcher.Form method="post" className="mt-4 flex flex-wrap items-center gap-4">
        <button
          type="submit"
          name="intent"
          value="check-in"
          disabled={isPending}
          className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800 disabled:opacity-70"
        >
          {isPending ? "Checking in…" : "Check in for today"}
        </button>
        <p role="status" data-testid="check-in-outcome" className="text-sm text-slate-800">
          {message}
        </p>
      </fetcher.Form>
    </section>
  );
}

function AttentionList({ rewards }: { rewards: RewardView[] }) {
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
            <AttentionItem key={reward.id} reward={reward} />
          ))}
        </ul>
      )}
    </section>
  );
}

function AttentionItem({ reward }: { reward: RewardView }) {
  const fetcher = useFetcher<AppealResult>({ key: `appeal-${reward.id}` });
  const actionData = useActionData<typeof action>();
  const result =
    fetcher.data ??
    (actionData && actionData.intent === "appeal" && actionData.rewardId === reward.id
      ? actionData
      : undefined);
  const fieldId = useId();
  const errorId = `${fieldId}-error`;
  const error = result && "error" in result ? result.error : null;
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
            <span className="font-medium">
              Appeal{" "}
              {reward.appeal.status === "open"
                ? "waiting for a decision"
                : reward.appeal.status === "approved"
                  ? "approved"
                  : "denied"}
            </span>
            : “{reward.appeal.message}”
          </p>
          {reward.appeal.decisionReason ? (
            <p className="mt-1">Decision: {reward.appeal.decisionReason}</p>
          ) : null}
        </div>
      ) : reward.isAppealable ? (
        <fetcher.Form method="post" className="mt-2 flex flex-col gap-2">
          <input type="hidden" name="rewardId" value={reward.id} />
          <label htmlFor={fieldId} className="text-sm font-medium text-slate-800">
            Appeal “{reward.memo}”: why should it be reviewed?
          </label>
          <textarea
            id={fieldId}
            name="message"
            rows={2}
            required
            minLength={APPEAL_MESSAGE_MIN_LENGTH}
            maxLength={APPEAL_MESSAGE_MAX_LENGTH}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            className="rounded-md border border-slate-400 bg-white px-3 py-2 text-base aria-[invalid=true]:border-red-700"
          />
          {error ? (
            <p id={errorId} className="text-sm text-red-800">
              {error}
            </p>
          ) : null}
          <div>
            <button
              type="submit"
              name="intent"
              value="appeal"
              disabled={fetcher.state !== "idle"}
              className="rounded-md border border-brand-700 px-3 py-1.5 text-sm font-semibold text-brand-800 hover:bg-brand-50 disabled:opacity-70"
            >
              {fetcher.state !== "idle" ? "Sending…" : "Appeal"}
            </button>
          </div>
        </fetcher.Form>
      ) : null}
    </li>
  );
}

function History({
  history,
}: {
  history: ReturnType<typeof useLoaderData<typeof loader>>["history"];
}) {
  return (
    <section
      aria-labelledby="history-heading"
      className="rounded-lg border border-slate-200 bg-white p-6"
    >
      <h2 id="history-heading" className="text-lg font-semibold">
        History
      </h2>
      {history.entries.length === 0 ? (
        <p className="mt-2 text-sm text-slate-700">
          {history.isFirstPage ? "No rewards yet." : "No older entries."}
        </p>
      ) : (
        <ul className="mt-3 divide-y divide-slate-200" data-testid="history">
          {history.entries.map((entry) => (
            <li key={entry.id} className="flex flex-wrap justify-between gap-x-4 py-2 text-sm">
              <div className="min-w-0">
                <p className="font-medium break-words">{entry.memo}</p>
                <p className="text-slate-600">
                  {formatDate(entry.createdAt)} · {balanceWords[entry.balance]}
                </p>
              </div>
              <MicroAmount amount={entry.amount} isSigned className="font-medium break-all" />
            </li>
          ))}
        </ul>
      )}
      <nav aria-label="History pages" className="mt-4 flex gap-4 text-sm">
        {history.isFirstPage ? null : (
          <Link to="/wallet" className="font-medium text-brand-700 underline">
            Newest
          </Link>
        )}
        {history.olderCursor ? (
          <Link
            to={`/wallet?${new URLSearchParams({ after: history.olderCursor })}`}
            className="font-medium text-brand-700 underline"
            preventScrollReset
          >
            Older
          </Link>
        ) : null}
      </nav>
    </section>
  );
}
