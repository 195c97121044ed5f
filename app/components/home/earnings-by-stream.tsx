import { MicroAmount } from "#app/components/micro-amount.tsx";
import type { StreamBar } from "./home-views.ts";

/** One bar: its width is a share of the widest week, so streams compare at a glance. */
function Bar({ width, tone }: { width: number; tone: "today" | "week" }) {
  return (
    <div className="h-3 w-full overflow-hidden rounded-full bg-slate-100">
      <div
        className={`h-full rounded-full ${tone === "today" ? "bg-amber-500" : "bg-brand-600"}`}
        style={{ width: `${width}%` }}
      />
    </div>
  );
}

/**
 * Today's and this week's earnings by stream: bars for the eye (hidden from screen
 * readers) and the same figures as a table that screen readers read.
 */
export function EarningsByStream({
  streams,
  hasEarnedThisWeek,
}: {
  streams: StreamBar[];
  hasEarnedThisWeek: boolean;
}) {
  return (
    <section
      aria-labelledby="streams-chart-heading"
      data-testid="earnings-by-stream"
      className="rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 id="streams-chart-heading" className="text-lg font-semibold text-slate-900">
        Earnings by stream
      </h2>
      {hasEarnedThisWeek ? null : (
        <p className="mt-1 text-sm text-slate-700">
          Nothing earned in the last seven days yet: every stream starts with one action below.
        </p>
      )}
      <figure className="mt-3">
        <figcaption className="sr-only">
          Earnings by stream, today and over the last seven days
        </figcaption>
        <div aria-hidden="true">
          <p className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700">
            <span className="flex items-center gap-1.5">
              <span className="inline-block h-2.5 w-4 rounded-full bg-amber-500" /> Today
            </span>
            <span className="flex items-center gap-1.5">
              <span className="inline-block h-2.5 w-4 rounded-full bg-brand-600" /> This week (7
              days)
            </span>
          </p>
          <ul className="mt-3 space-y-4">
            {streams.map((s) => (
              <li key={s.stream}>
                <p className="text-sm font-medium text-slate-900">
                  {s.label} <span className="font-normal text-slate-600">· {s.description}</span>
                </p>
                <div className="mt-1.5 grid grid-cols-[auto_minmax(4rem,1fr)_7rem] items-center gap-x-3 gap-y-1 text-xs text-slate-700">
                  <span>Today</span>
                  <Bar width={s.todayWidth} tone="today" />
                  <MicroAmount amount={s.today} showReference={false} className="text-right" />
                  <span>Week</span>
                  <Bar width={s.weekWidth} tone="week" />
                  <MicroAmount amount={s.thisWeek} showReference={false} className="text-right" />
                </div>
              </li>
            ))}
          </ul>
        </div>
        <table className="sr-only" data-testid="earnings-by-stream-table">
          <caption>Earnings by stream</caption>
          <thead>
            <tr>
              <th scope="col">Stream</th>
              <th scope="col">Today</th>
              <th scope="col">Last 7 days</th>
            </tr>
          </thead>
          <tbody>
            {streams.map((s) => (
              <tr key={s.stream}>
                <th scope="row">{s.label}</th>
                <td>
                  <MicroAmount amount={s.today} />
                </td>
                <td>
                  <MicroAmount amount={s.thisWeek} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </figure>
    </section>
  );
}
