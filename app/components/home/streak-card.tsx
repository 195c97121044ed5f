import { Link } from "@remix-run/react";
import { MicroAmount } from "#app/components/micro-amount.tsx";
import type { StreakView } from "./home-views.ts";

/** The daily streak: how long, whether today counts yet, and what the next milestone pays. */
export function StreakCard({ streak, level }: { streak: StreakView; level: number }) {
  const days = `${streak.length} ${streak.length === 1 ? "day" : "days"}`;
  return (
    <section
      aria-labelledby="streak-heading"
      data-testid="home-streak"
      className="rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 id="streak-heading" className="text-lg font-semibold text-slate-900">
        Daily streak
      </h2>
      <p className="mt-1 text-3xl font-bold text-slate-900">{days}</p>
      <p className="mt-2 text-sm text-slate-700">
        {streak.isTodayDone
          ? "Today counts already."
          : streak.length > 0
            ? "Any rewarded action today keeps it going."
            : "Any rewarded action today starts one."}
      </p>
      {streak.nextMilestone !== null ? (
        <p className="mt-1 text-sm text-slate-700">
          Bonus at {streak.nextMilestone} days
          {streak.nextMilestonePays ? (
            <>
              : <MicroAmount amount={streak.nextMilestonePays} />
            </>
          ) : null}
          .
        </p>
      ) : null}
      <p className="mt-1 text-sm text-slate-700">
        Freezes left this week: {streak.freezesLeftThisWeek} · Level {level}
      </p>
      <Link
        to="/games"
        className="mt-2 inline-block text-sm font-semibold text-brand-700 underline"
      >
        Your progress
      </Link>
    </section>
  );
}
