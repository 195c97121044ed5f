import { Link } from "@remix-run/react";
import { MicroAmount } from "#app/components/micro-amount.tsx";
import { formatDate, type WalletHistory as History } from "./wallet-views.ts";

const balanceWords = {
  pending: "Pending",
  available: "Available",
  invested: "Invested",
  settled: "Settled",
} as const;

/** The wallet's address with the history's filter and cursor. */
function historyHref(stream: string | null, after?: string) {
  const params = new URLSearchParams();
  if (stream) params.set("stream", stream);
  if (after) params.set("after", after);
  const query = params.toString();
  return query ? `/wallet?${query}#history-heading` : "/wallet#history-heading";
}

/**
 * One page of the ledger's entries, newest first, paged by plain links; filtered by stream
 * with plain links too, and downloadable as CSV (the whole history, with the same filter).
 */
export function WalletHistory({ history }: { history: History }) {
  const csvHref = `/wallet/history.csv${history.stream ? `?${new URLSearchParams({ stream: history.stream })}` : ""}`;
  const filters = [{ value: null, label: "All" }, ...history.streams];
  return (
    <section
      aria-labelledby="history-heading"
      className="rounded-lg border border-slate-200 bg-white p-6"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-2">
        <h2 id="history-heading" className="text-lg font-semibold">
          History
        </h2>
        <a
          href={csvHref}
          download
          className="text-sm font-medium text-brand-700 underline"
          data-testid="history-csv"
        >
          Download CSV
        </a>
      </div>
      <nav aria-label="Show history of" className="mt-3">
        <ul className="flex flex-wrap gap-2 text-sm">
          {filters.map((filter) => {
            const isCurrent = filter.value === history.stream;
            return (
              <li key={filter.label}>
                <Link
                  to={historyHref(filter.value)}
                  preventScrollReset
                  aria-current={isCurrent ? "page" : undefined}
                  className={
                    isCurrent
                      ? "inline-block rounded-full bg-brand-700 px-3 py-1 font-medium text-white"
                      : "inline-block rounded-full border border-slate-300 px-3 py-1 font-medium text-slate-800 hover:bg-slate-50"
                  }
                >
                  {filter.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      {history.entries.length === 0 ? (
        <p className="mt-3 text-sm text-slate-700">
          {!history.isFirstPage
            ? "No older entries."
            : history.stream
              ? "Nothing from this stream yet."
              : "No rewards yet."}
        </p>
      ) : (
        <ul className="mt-3 divide-y divide-slate-200" data-testid="history">
          {history.entries.map((entry) => (
            <li key={entry.id} className="flex flex-wrap justify-between gap-x-4 py-2 text-sm">
              <div className="min-w-0">
                <p className="font-medium break-words">{entry.memo}</p>
                <p className="text-slate-600">
                  {formatDate(entry.createdAt)} · {balanceWords[entry.balance]}
                  {entry.streamLabel ? ` · ${entry.streamLabel}` : ""}
                </p>
              </div>
              <MicroAmount amount={entry.amount} isSigned className="font-medium break-all" />
            </li>
          ))}
        </ul>
      )}
      <nav aria-label="History pages" className="mt-4 flex gap-4 text-sm">
        {history.isFirstPage ? null : (
          <Link
            to={historyHref(history.stream)}
            className="font-medium text-brand-700 underline"
            preventScrollReset
          >
            Newest
          </Link>
        )}
        {history.olderCursor ? (
          <Link
            to={historyHref(history.stream, history.olderCursor)}
            className="font-medium text-brand-700 underline"
            preventScrollReset
          >
            Older
          </Link>
        ) : null}
      </nav>
    </section>
  );
}
