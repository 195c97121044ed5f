import { MicroAmount } from "#app/components/micro-amount.tsx";
import type { DisplayAmount } from "#shared/money.ts";

/** The earning pace as loaders send it (app/utils/earning-pace.server.ts' loadEarningPace). */
export type EarningPaceView = {
  today: DisplayAmount;
  thisWeek: DisplayAmount;
  /** Recurring streams' last seven days × 365 / 7; one-off bonuses left out. */
  yearAtPace: DisplayAmount;
  /** Every stream, in the one order, zeros included. */
  byStream: {
    stream: string;
    label: string;
    description: string;
    today: DisplayAmount;
    thisWeek: DisplayAmount;
  }[];
  /** The last seven UTC days, oldest first; `day` is YYYY-MM-DD. */
  daily: { day: string; amount: DisplayAmount }[];
  /** ISO time the figures were read at. */
  asOf: string;
};

/**
 * Today, this week and "at this pace, a year": the three numbers that give micro amounts
 * a scale. `headingLevel` fits the card into the page's heading order.
 */
export function EarningPaceCard({
  pace,
  headingLevel = 2,
  className = "",
}: {
  pace: EarningPaceView;
  headingLevel?: 2 | 3;
  className?: string;
}) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const figures = [
    { key: "today", label: "Today", amount: pace.today },
    { key: "week", label: "This week", amount: pace.thisWeek },
    { key: "year", label: "At this pace, a year", amount: pace.yearAtPace },
  ] as const;
  return (
    <section
      aria-labelledby="earning-pace-heading"
      data-testid="earning-pace"
      className={`rounded-lg border border-slate-200 bg-white p-4 ${className}`}
    >
      <Heading id="earning-pace-heading" className="text-lg font-semibold text-slate-900">
        Your earning pace
      </Heading>
      <dl className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-3">
        {figures.map((figure) => (
          <div key={figure.key} data-testid={`pace-${figure.key}`} className="min-w-0">
            <dt className="text-sm font-medium text-slate-700">{figure.label}</dt>
            <dd className="mt-1 text-lg font-semibold break-words text-slate-900">
              <MicroAmount amount={figure.amount} />
            </dd>
          </div>
        ))}
      </dl>
      <p className="mt-3 text-sm text-slate-600">
        Today counts from midnight UTC; the week is the last seven days. The year is this week × 365
        ÷ 7, without one-off bonuses such as the welcome bonus.
      </p>
    </section>
  );
}
