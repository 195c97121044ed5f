import { useActionData } from "@remix-run/react";
import { RewardDecisionForm } from "#app/components/reward-decision-form.tsx";
import type { AppealView, RewardsAdminActionData } from "./rewards-admin-views.ts";

/** An open appeal with the form that approves or denies it, with a reason the member sees. */
export function AppealDecision({ appeal }: { appeal: AppealView }) {
  const actionData = useActionData<RewardsAdminActionData>();
  const reply =
    actionData?.intent === "decide-appeal" && actionData.rewardId === appeal.rewardId
      ? actionData.result
      : undefined;
  return (
    <RewardDecisionForm
      intent="decide-appeal"
      reward={appeal}
      reply={reply}
      approveLabel="Approve"
      refusal={{ decision: "deny", label: "Deny" }}
      details={
        <>
          <p className="text-sm text-slate-700">
            {appeal.status === "held" ? "Held" : appeal.status === "refused" ? "Refused" : "Paid"}
            {appeal.reason ? ` — ${appeal.reason}` : ""}
          </p>
          <p className="mt-1 text-sm">“{appeal.message}”</p>
        </>
      }
    />
  );
}
