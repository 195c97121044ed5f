import { parseWithZod } from "@conform-to/zod/v4";
import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { EarningPaceCard } from "#app/components/earnings/earning-pace-card.tsx";
import { LinkedWallet } from "#app/components/linked-wallet.tsx";
import { SettlementPanel } from "#app/components/settlement-panel.tsx";
import {
  ActivationNotice,
  type ActivationView,
} from "#app/components/wallet/activation-notice.tsx";
import { BalanceTotals } from "#app/components/wallet/balance-totals.tsx";
import { CheckInCard } from "#app/components/wallet/check-in-card.tsx";
import { streamParam } from "#app/components/wallet/history-filter.server.ts";
import { HeldRewardGroups } from "#app/components/wallet/held-reward-groups.tsx";
import { WalletHistory } from "#app/components/wallet/wallet-history.tsx";
import type {
  AppealResult,
  CheckInResult,
  HeldGroupView,
  RewardView,
} from "#app/components/wallet/wallet-views.ts";
import { displayAmount } from "#shared/money.ts";
import { loadEarningPace } from "#app/utils/earning-pace.server.ts";
import { loadSettlementView } from "#app/utils/settlement.server.ts";
import { requireViewer } from "#app/utils/viewer.server.ts";
import { loadWalletLinkView } from "#app/utils/wallet-link.server.ts";
import { activationStepWords, getActivationStatus } from "#core/integrity/activation.ts";
import { checkIn, checkInKey, CHECK_IN_KIND, describeCheckIn } from "#core/rewards/check-in.ts";
import {
  appealRewardGroup,
  listHeldRewardGroups,
  listRecentAppealDecisions,
  type HeldRewardGroup,
} from "#core/rewards/reward-groups.ts";
import { getRewardByKey, type RewardRecord } from "#core/rewards/reward-queries.ts";
import { getRewardRule } from "#core/rewards/reward.service.ts";
import { rewardStreams, rewardStreamWords } from "#core/rewards/reward-streams.ts";
import { ROW_ID_TEXT, isRowId } from "#core/row-id.ts";
import { getWalletSummary, listWalletEntries } from "#core/wallet/wallet.service.ts";
import { APPEAL_MESSAGE_MAX_LENGTH, APPEAL_MESSAGE_MIN_LENGTH } from "#shared/text-limits.ts";

export const meta: MetaFunction = () => [{ title: "Wallet · Tributary" }];

const HISTORY_PAGE = 20;

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

function groupView(group: HeldRewardGroup): HeldGroupView {
  return {
    key: group.key,
    status: group.status,
    title: group.title,
    explanation: group.explanation,
    count: group.count,
    total: displayAmount(group.total),
    earliestRelease: group.earliestRelease?.toISOString() ?? null,
    isAppealable: group.isAppealable,
    unappealedCount: group.unappealedCount,
    openAppealCount: group.openAppealCount,
    deniedAppealCount: group.deniedAppealCount,
    latestAppealMessage: group.latestAppealMessage,
    latestDenialReason: group.latestDenialReason,
    rewards: group.rewards.map(rewardView),
  };
}

export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  const { db } = context.services;
  const userId = viewer.user.id;
  const url = new URL(request.url);
  const afterParam = url.searchParams.get("after");
  // A cursor is a transfer id; anything else is an old or hand-made link: start over.
  const after =
    afterParam && ROW_ID_TEXT.test(afterParam) && isRowId(BigInt(afterParam))
      ? BigInt(afterParam)
      : null;
  const stream = streamParam(url);

  // Independent reads: on Postgres they run side by side.
  const [
    summary,
    pace,
    entries,
    groups,
    decisions,
    today,
    rule,
    walletLink,
    settlement,
    activation,
  ] = await Promise.all([
    getWalletSummary(db, userId),
    loadEarningPace(db, userId),
    listWalletEntries(db, userId, { limit: HISTORY_PAGE + 1, after, stream }),
    listHeldRewardGroups(db, userId),
    listRecentAppealDecisions(db, userId),
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
    pace,
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
        streamLabel: entry.stream ? rewardStreamWords[entry.stream].label : null,
      })),
      olderCursor: entries.length > HISTORY_PAGE ? page.at(-1)!.transferId.toString() : null,
      isFirstPage: after === null,
      stream,
      streams: rewardStreams.map((value) => ({ value, label: rewardStreamWords[value].label })),
    },
    held: {
      groups: groups.map(groupView),
      decisions: decisions.map((decision) => ({
        status: decision.status,
        decisionReason: decision.decisionReason,
        count: decision.count,
        total: displayAmount(decision.total),
        decidedAt: decision.decidedAt.toISOString(),
      })),
    },
    walletLink,
    settlement,
    activation: (activation && !activation.isActivated
      ? { missing: activation.missing.map((step) => activationStepWords[step]) }
      : null) satisfies ActivationView,
  };
}

const appealMessage = `Explain your appeal in ${APPEAL_MESSAGE_MIN_LENGTH}–${APPEAL_MESSAGE_MAX_LENGTH} characters.`;
const notYourGroup = "That is not a group of rewards in your wallet.";
const appealInput = z.object({
  groupKey: z.string({ error: notYourGroup }).max(60, notYourGroup),
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

  if (intent === "appeal-group") {
    // Echoed back so the page knows which of its appeal forms the reply is for.
    const groupKey = String(formData.get("groupKey") ?? "").slice(0, 60);
    const submission = parseWithZod(formData, { schema: appealInput });
    if (submission.status !== "success") {
      return data(
        {
          intent,
          groupKey,
          appealedCount: null,
          result: submission.reply(),
        } satisfies AppealResult,
        { status: 400 },
      );
    }
    const { value } = submission;
    const result = await appealRewardGroup(
      services.db,
      viewer.user.id,
      value.groupKey,
      value.message,
    );
    if (!result.ok) {
      const reply = submission.reply({ formErrors: [result.error.message] });
      return data({ intent, groupKey, appealedCount: null, result: reply } satisfies AppealResult, {
        status: result.error.code === "not_found" ? 404 : 400,
      });
    }
    return {
      intent,
      groupKey,
      appealedCount: result.value.appealedCount,
      result: submission.reply({ resetForm: true }),
    } satisfies AppealResult;
  }

  return data(
    { intent: "unknown" as const, message: "That form is not one this page knows." },
    { status: 400 },
  );
}

export default function WalletPage() {
  const { totals, pace, checkIn, history, held, walletLink, settlement, activation } =
    useLoaderData<typeof loader>();
  return (
    <div className="flex flex-col gap-8">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <h1 className="text-2xl font-semibold">Wallet</h1>
        <Link to="/earning" className="text-sm font-medium text-brand-700 underline">
          How earning works
        </Link>
      </div>
      <ActivationNotice activation={activation} />
      <BalanceTotals totals={totals} />
      <EarningPaceCard pace={pace} />
      <CheckInCard amount={checkIn.amount} today={checkIn.today} />
      <HeldRewardGroups groups={held.groups} decisions={held.decisions} />
      <LinkedWallet view={walletLink} />
      <SettlementPanel view={settlement} />
      <WalletHistory history={history} />
    </div>
  );
}
