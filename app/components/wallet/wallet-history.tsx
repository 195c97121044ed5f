import { Link } from "@remix-run/react";
import { MicroAmount } from "#app/components/micro-amount.tsx";
import { formatDate, type WalletHistory as History } from "./wallet-views.ts";

const balanceWords = {
  pending: "Pending",
  available: "Available",
  invested: "Invested",
  settled: "Settled",
} as const;

/** One page of the ledger's entries, newest first, paged by plain links. */
export function WalletHistory({ history }: { history: History }) {
  return (
    <section
      aria-labelledby="history-heading"
      className="rounded-lg border border-slate-200 bg-white p-6"
    >
      <h2 id="history-heading" className="text-lg font-semibold">
        History
      </h2>
      {history.entries.length === 0 ? (
        <p className="mt-2 text-sm text-slate-700">
          {history.isFirstPage ? "No rewards yet." : "No older entries."}
        </p>
      ) : (
        <ul className="mt-3 divide-y divide-slate-200" data-testid="history">
          {history.entries.map((entry) => (
            <li key={entry.id} className="flex flex-wrap justify-between gap-x-4 py-2 text-sm">
              <div className="min-w-0">
                <p className="font-medium break-words">{entry.memo}</p>
                <p className="text-slate-600">
                  {formatDate(entry.createdAt)} · {balanceWords[entry.balance]}
                </p>
              </div>
              <MicroAmount amount={entry.amount} isSigned className="font-medium break-all" />
            </li>
          ))}
        </ul>
      )}
      <nav aria-label="History pages" className="mt-4 flex gap-4 text-sm">
        {history.isFirstPage ? null : (
          <Link to="/wallet" className="font-medium text-brand-700 underline">
            Newest
          </Link>
        )}
        {history.olderCursor ? (
          <Link
            to={`/wallet?${new URLSearchParams({ after: history.olderCursor })}`}
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
