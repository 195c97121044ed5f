import { parseWithZod } from "@conform-to/zod/v4";
import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { LinkedWallet } from "#app/components/linked-wallet.tsx";
import { SettlementPanel } from "#app/components/settlement-panel.tsx";
import {
  ActivationNotice,
  type ActivationView,
} from "#app/components/wallet/activation-notice.tsx";
import { BalanceTotals } from "#app/components/wallet/balance-totals.tsx";
import { CheckInCard } from "#app/components/wallet/check-in-card.tsx";
import { RewardAppeals } from "#app/components/wallet/reward-appeals.tsx";
import { WalletHistory } from "#app/components/wallet/wallet-history.tsx";
import type {
  AppealResult,
  CheckInResult,
  RewardView,
} from "#app/components/wallet/wallet-views.ts";
import { displayAmount } from "#shared/money.ts";
import { loadSettlementView } from "#app/utils/settlement.server.ts";
import { requireViewer } from "#app/utils/viewer.server.ts";
import { loadWalletLinkView } from "#app/utils/wallet-link.server.ts";
import { activationStepWords, getActivationStatus } from "#core/integrity/activation.ts";
import { checkIn, checkInKey, CHECK_IN_KIND, describeCheckIn } from "#core/rewards/check-in.ts";
import { getRewardByKey, listRewards, type RewardRecord } from "#core/rewards/reward-queries.ts";
import { appealReward, getRewardRule } from "#core/rewards/reward.service.ts";
import { ROW_ID_TEXT, isRowId } from "#core/row-id.ts";
import { getWalletSummary, listWalletEntries } from "#core/wallet/wallet.service.ts";
import { APPEAL_MESSAGE_MAX_LENGTH, APPEAL_MESSAGE_MIN_LENGTH } from "#shared/text-limits.ts";

export const meta: MetaFunction = () => [{ title: "Wallet · Tributary" }];

const HISTORY_PAGE = 20;
const ATTENTION_LIMIT = 20;

function rewardView(reward: RewardRecord): RewardView {
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

export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  const { db } = context.services;
  const userId = viewer.user.id;
  const afterParam = new URL(request.url).searchParams.get("after");
  // A cursor is a transfer id; anything else is an old or hand-made link: start over.
  const after =
    afterParam && ROW_ID_TEXT.test(afterParam) && isRowId(BigInt(afterParam))
      ? BigInt(afterParam)
      : null;

  // Independent reads: on Postgres they run side by side.
  const [summary, entries, attention, today, rule, walletLink, settlement, activation] =
    await Promise.all([
      getWalletSummary(db, userId),
      listWalletEntries(db, userId, { limit: HISTORY_PAGE + 1, after }),
      listRewards(db, userId, { limit: ATTENTION_LIMIT, filter: "needs_attention" }),
      getRewardByKey(db, checkInKey(userId)),
      getRewardRule(db, CHECK_IN_KIND),
      loadWalletLinkView(db, userId),
      loadSettlementView(context.services, userId),
      getActivationStatus(db, userId),
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
    activation: (activation && !activation.isActivated
      ? { missing: activation.missing.map((step) => activationStepWords[step]) }
      : null) satisfies ActivationView,
  };
}

const appealMessage = `Explain your appeal in ${APPEAL_MESSAGE_MIN_LENGTH}–${APPEAL_MESSAGE_MAX_LENGTH} characters.`;
const appealInput = z.object({
  rewardId: z
    .string({ error: "That is not one of your rewards." })
    .regex(ROW_ID_TEXT, "That is not one of your rewards."),
  message: z
    .string({ error: appealMessage })
    .trim()
    .min(APPEAL_MESSAGE_MIN_LENGTH, appealMessage)
    .max(APPEAL_MESSAGE_MAX_LENGTH, appealMessage),
});

export async function action({ context, request }: ActionFunctionArgs) {
  const viewer = requireViewer(context, request);
  const { services } = context;
  const formData = await request.formData();
  const intent = formData.get("intent");

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
    // Echoed back so the page knows which of its appeal forms the reply is for.
    const rewardId = String(formData.get("rewardId") ?? "");
    const submission = parseWithZod(formData, { schema: appealInput });
    if (submission.status !== "success") {
      return data({ intent, rewardId, result: submission.reply() } satisfies AppealResult, {
        status: 400,
      });
    }
    const { value } = submission;
    const result = await appealReward(
      services.db,
      viewer.user.id,
      BigInt(value.rewardId),
      value.message,
    );
    if (!result.ok) {
      const reply = submission.reply({ formErrors: [result.error.message] });
      return data({ intent, rewardId, result: reply } satisfies AppealResult, {
        status: result.error.code === "not_found" ? 404 : 400,
      });
    }
    return { intent, rewardId, result: submission.reply() } satisfies AppealResult;
  }

  return data(
    { intent: "unknown" as const, message: "That form is not one this page knows." },
    { status: 400 },
  );
}

export default function WalletPage() {
  const { totals, checkIn, history, attention, walletLink, settlement, activation } =
    useLoaderData<typeof loader>();
  return (
    <div className="flex flex-col gap-8">
      <h1 className="text-2xl font-semibold">Wallet</h1>
      <ActivationNotice activation={activation} />
      <BalanceTotals totals={totals} />
      <LinkedWallet view={walletLink} />
      <SettlementPanel view={settlement} />
      <CheckInCard amount={checkIn.amount} today={checkIn.today} />
      <RewardAppeals rewards={attention} />
      <WalletHistory history={history} />
    </div>
  );
}
