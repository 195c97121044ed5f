import { Link } from "@remix-run/react";
import { MicroAmount } from "#app/components/micro-amount.tsx";
import type { RecentRewardView } from "./home-views.ts";

const statusTone: Record<RecentRewardView["status"], string> = {
  available: "bg-brand-50 text-brand-800",
  held: "bg-amber-50 text-amber-900",
  refused: "bg-red-50 text-red-800",
  reversed: "bg-slate-100 text-slate-700",
};

/** The latest few rewards, newest first, and the way to the whole history in the wallet. */
export function RecentRewards({ rewards }: { rewards: RecentRewardView[] }) {
  return (
    <section
      aria-labelledby="recent-rewards-heading"
      data-testid="recent-rewards"
      className="rounded-lg border border-slate-200 bg-white p-4"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-x-3">
        <h2 id="recent-rewards-heading" className="text-lg font-semibold text-slate-900">
          Recent rewards
        </h2>
        <Link to="/wallet" className="text-sm font-semibold text-brand-700 underline">
          All in your wallet
        </Link>
      </div>
      {rewards.length === 0 ? (
        <p className="mt-2 text-sm text-slate-700">
          No rewards yet. Check in, post or play a game: what it earns shows up here at once.
        </p>
      ) : (
        <ul className="mt-3 divide-y divide-slate-100">
          {rewards.map((reward) => (
            <li key={reward.id} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2">
              <div className="min-w-0 flex-1">
                <p className="font-medium break-words text-slate-900">{reward.memo}</p>
                <p className="text-xs text-slate-600">
                  {reward.stream} ·{" "}
                  <time dateTime={reward.at.iso} title={reward.at.full}>
                    {reward.at.ago}
                  </time>
                </p>
              </div>
              <div className="flex items-baseline gap-2 text-sm">
                <MicroAmount
                  amount={reward.amount}
                  isSigned
                  className={
                    reward.status === "refused" || reward.status === "reversed"
                      ? "text-slate-600 line-through"
                      : "font-semibold text-slate-900"
                  }
                />
                <span
                  className={`rounded-full px-2 py-0.5 text-xs font-medium ${statusTone[reward.status]}`}
                >
                  {reward.statusWords}
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
