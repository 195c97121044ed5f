import { parseWithZod } from "@conform-to/zod/v4";
import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ReviewDecision } from "#app/components/review-queue/review-decision.tsx";
import type {
  QueuedRewardView,
  ReviewActionData,
  ReviewDecisionResult,
} from "#app/components/review-queue/review-queue-views.ts";
import { requireAdmin } from "#app/utils/viewer.server.ts";
import { decideHeldReward, listReviewQueue } from "#core/integrity/review-queue.ts";
import { displayAmount } from "#shared/money.ts";
import { APPEAL_REASON_MAX_LENGTH, APPEAL_REASON_MIN_LENGTH } from "#shared/text-limits.ts";
import { ROW_ID_TEXT } from "#core/row-id.ts";

export const meta: MetaFunction = () => [{ title: "Review queue · Tributary" }];

const QUEUE_PAGE = 50;

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireAdmin(context, request);
  const queue = await listReviewQueue(context.services.db, { limit: QUEUE_PAGE });
  return {
    total: queue.total,
    rewards: queue.items.map((item): QueuedRewardView => ({
      rewardId: item.rewardId.toString(),
      userHandle: item.handle,
      actionKind: item.actionKind,
      memo: item.memo,
      amount: displayAmount(item.amount),
      createdAt: item.createdAt.toISOString(),
      signals: item.signals.map((s) => ({
        code: s.code,
        message: s.message,
        isCleared: s.clearedAt !== null,
      })),
    })),
  };
}

const reasonMessage = `Give the reason for the decision in ${APPEAL_REASON_MIN_LENGTH}–${APPEAL_REASON_MAX_LENGTH} characters.`;

const decisionInput = z.object({
  rewardId: z
    .string({ error: "That is not a reward." })
    .regex(ROW_ID_TEXT, "That is not a reward."),
  decision: z.enum(["approve", "reverse"], { error: "Approve or reverse." }),
  reason: z.string({ error: reasonMessage }),
});

export async function action({ context, request }: ActionFunctionArgs) {
  const admin = requireAdmin(context, request);
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent !== "decide-review") {
    return data(
      { intent: "unknown" as const, message: "That form is not one this page knows." },
      { status: 400 },
    );
  }
  const rewardId = String(formData.get("rewardId") ?? "");
  const submission = parseWithZod(formData, { schema: decisionInput });
  if (submission.status !== "success") {
    return data(
      {
        intent,
        rewardId,
        result: submission.reply(),
        decided: null,
      } satisfies ReviewDecisionResult,
      { status: 400 },
    );
  }
  const isApproved = submission.value.decision === "approve";
  const result = await decideHeldReward(
    context.services,
    admin.user.id,
    BigInt(submission.value.rewardId),
    { approve: isApproved, reason: submission.value.reason },
  );
  if (!result.ok) {
    const reply = submission.reply({ formErrors: [result.error.message] });
    return data({ intent, rewardId, result: reply, decided: null } satisfies ReviewDecisionResult, {
      status: result.error.code === "not_found" ? 404 : 400,
    });
  }
  return {
    intent,
    rewardId,
    result: submission.reply(),
    decided: result.value.decision,
  } satisfies ReviewDecisionResult;
}

export default function ReviewQueuePage() {
  const { total, rewards } = useLoaderData<typeof loader>();
  const actionData = useActionData<ReviewActionData>();
  const decided =
    actionData && actionData.intent === "decide-review" && actionData.decided
      ? actionData
      : undefined;
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Review queue</h1>
      <p className="text-sm text-slate-700">
        Rewards held because a risk signal fired. A reward leaves the queue by itself when its
        signals clear (an account activates, a ring opens up); bursts and refused game runs wait for
        a decision here. {total === 1 ? "1 reward waits." : `${total} rewards wait.`}
      </p>
      <p role="status" className="text-sm text-brand-800">
        {decided ? `Reward ${decided.decided}; its owner was notified.` : ""}
      </p>
      {rewards.length === 0 ? (
        <p className="text-sm text-slate-700">Nothing is waiting for review.</p>
      ) : (
        <ul className="flex flex-col gap-3">
          {rewards.map((reward) => (
            <ReviewDecision key={reward.rewardId} reward={reward} />
          ))}
        </ul>
      )}
    </div>
  );
}
