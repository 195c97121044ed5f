import { useActionData } from "@remix-run/react";
import { RewardDecisionForm } from "#app/components/reward-decision-form.tsx";
import type { QueuedRewardView, ReviewActionData } from "./review-queue-views.ts";

/** A reward held for review, its signals, and the form that approves or reverses it with a reason. */
export function ReviewDecision({ reward }: { reward: QueuedRewardView }) {
  const actionData = useActionData<ReviewActionData>();
  const reply =
    actionData?.intent === "decide-review" && actionData.rewardId === reward.rewardId
      ? actionData.result
      : undefined;
  return (
    <RewardDecisionForm
      intent="decide-review"
      reward={reward}
      reply={reply}
      approveLabel="Approve and release"
      refusal={{ decision: "reverse", label: "Reverse" }}
      details={
        <ul className="mt-1 flex flex-col gap-1 text-sm text-slate-800">
          {reward.signals.map((signal) => (
            <li key={signal.code} className={signal.isCleared ? "text-slate-500 line-through" : ""}>
              <span className="font-mono text-xs">{signal.code}</span> — {signal.message}
              {signal.isCleared ? " (cleared)" : ""}
            </li>
          ))}
        </ul>
      }
    />
  );
}
