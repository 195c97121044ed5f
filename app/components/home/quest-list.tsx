import { Link } from "@remix-run/react";
import { MicroAmount } from "#app/components/micro-amount.tsx";
import type { QuestView } from "./home-views.ts";

function Meter({ value, max, label }: { value: number; max: number; label: string }) {
  const percent = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 100;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={Math.min(value, max)}
      className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
    >
      <div className="h-full rounded-full bg-brand-700" style={{ width: `${percent}%` }} />
    </div>
  );
}

/** This week's quests, each with its progress and what finishing it pays. */
export function QuestList({ quests, endsAt }: { quests: QuestView[]; endsAt: string }) {
  return (
    <section
      aria-labelledby="home-quests-heading"
      data-testid="home-quests"
      className="rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 id="home-quests-heading" className="text-lg font-semibold text-slate-900">
        This week&apos;s quests
      </h2>
      <p className="mt-1 text-sm text-slate-600">Until {endsAt}.</p>
      {quests.length === 0 ? (
        <p className="mt-2 text-sm text-slate-700">No quests this week.</p>
      ) : (
        <ul className="mt-3 space-y-3">
          {quests.map((quest) => (
            <li key={quest.id}>
              <div className="flex flex-wrap items-baseline justify-between gap-x-3">
                <p className="font-medium text-slate-900">
                  <Link to={quest.href} className="hover:underline">
                    {quest.title}
                  </Link>
                  {quest.isCompleted ? (
                    <span className="ml-1 text-sm font-normal text-brand-700">done ✓</span>
                  ) : null}
                </p>
                {quest.pays ? (
                  <p className="text-sm text-slate-700">
                    Pays <MicroAmount amount={quest.pays} showReference={false} />
                  </p>
                ) : null}
              </div>
              <div className="mt-1.5">
                <Meter
                  value={quest.progress}
                  max={quest.target}
                  label={`${quest.title} progress`}
                />
              </div>
              <p className="mt-1 text-sm text-slate-600">
                {quest.progress} of {quest.target}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
