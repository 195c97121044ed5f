import { MicroAmount } from "#app/components/micro-amount.tsx";
import { formatDate, type WalletTotals } from "./wallet-views.ts";

export function BalanceTotals({ totals }: { totals: WalletTotals }) {
  const cards = [
    { key: "available", label: "Available", amount: totals.available, note: "Yours to use now" },
    {
      key: "pending",
      label: "Pending",
      amount: totals.pending,
      note: totals.nextUnlockAt ? `unlocks ${formatDate(totals.nextUnlockAt)}` : "Nothing on hold",
    },
    {
      key: "invested",
      label: "Invested",
      amount: totals.invested,
      note: "Pooled investing is coming",
    },
    { key: "settled", label: "Settled", amount: totals.settled, note: "Settled on chain" },
  ] as const;
  return (
    <section aria-labelledby="totals-heading">
      <h2 id="totals-heading" className="sr-only">
        Balances
      </h2>
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {cards.map((card) => (
          <div
            key={card.key}
            data-testid={`total-${card.key}`}
            className="rounded-lg border border-slate-200 bg-white p-4"
          >
            <dt className="text-sm font-medium text-slate-700">{card.label}</dt>
            <dd className="mt-1 text-xl font-semibold break-words text-slate-900">
              <MicroAmount amount={card.amount} unitMayWrap />
            </dd>
            <dd className="mt-1 text-sm text-slate-600">{card.note}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
