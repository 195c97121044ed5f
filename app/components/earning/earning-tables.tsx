import type { ReactNode } from "react";
import { MicroAmount } from "#app/components/micro-amount.tsx";
import type { EarningActionView, EarningStreamView, PaidShareView } from "./earning-views.ts";

const tableClass = "w-full min-w-[40rem] border-collapse text-left text-sm";
const headClass = "border-b border-slate-300 px-2 py-2 font-semibold text-slate-800";
const cellClass = "border-b border-slate-200 px-2 py-2 align-top text-slate-800";

/** A table that scrolls sideways on a narrow screen instead of squeezing its columns. */
export function ScrollingTable({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="overflow-x-auto" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

function ActionAmount({ action }: { action: EarningActionView }) {
  if (!action.isEnabled) return <span className="text-slate-700">Paused</span>;
  if (!action.isShared) return <MicroAmount amount={action.amount} />;
  return (
    <>
      <MicroAmount amount={action.smallestAmount} showReference={false} /> to{" "}
      <MicroAmount amount={action.amount} />
    </>
  );
}

/** Every rewarded action of one stream: whom it pays, how much, caps, hold and budget. */
export function StreamActionsTable({ stream }: { stream: EarningStreamView }) {
  return (
    <>
      <ScrollingTable label={`What ${stream.label.toLowerCase()} pay`}>
        <table className={tableClass} data-testid={`stream-${stream.stream}`}>
          <caption className="sr-only">
            {stream.label}: what each action pays, whom, how often and when
          </caption>
          <thead>
            <tr>
              <th scope="col" className={headClass}>
                Action
              </th>
              <th scope="col" className={headClass}>
                Pays
              </th>
              <th scope="col" className={headClass}>
                Amount
              </th>
              <th scope="col" className={headClass}>
                Caps
              </th>
              <th scope="col" className={headClass}>
                When it is yours
              </th>
              <th scope="col" className={headClass}>
                Paid from
              </th>
            </tr>
          </thead>
          <tbody>
            {stream.actions.map((action) => (
              <tr key={action.actionKind} data-testid={`action-${action.actionKind}`}>
                <th scope="row" className={`${cellClass} font-medium first-letter:uppercase`}>
                  {action.label}
                </th>
                <td className={cellClass}>{action.paidTo}</td>
                <td className={cellClass}>
                  <ActionAmount action={action} />
                </td>
                <td className={cellClass}>
                  {action.dailyCap === null ? "No daily cap" : `${action.dailyCap} a day`}
                  {action.perTargetCapWords ? `; ${action.perTargetCapWords}` : ""}
                </td>
                <td className={cellClass}>{action.holdWords}</td>
                <td className={cellClass}>
                  the {action.budgetName}
                  {action.isBudgetExhausted ? (
                    <span className="mt-1 block font-medium text-amber-800">
                      Used up for today; it resets at 00:00 UTC.
                    </span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollingTable>
      {stream.actions.some((a) => a.notes.length > 0) ? (
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-slate-700">
          {stream.actions.flatMap((a) =>
            a.notes.map((note) => (
              <li key={`${a.actionKind}:${note}`}>
                <span className="first-letter:uppercase">{a.label}</span>: {note}
              </li>
            )),
          )}
        </ul>
      ) : null}
    </>
  );
}

/** What each achievement, milestone or quest pays: a share of its rule's amount. */
export function PaidSharesTable({
  label,
  what,
  shares,
  testId,
}: {
  label: string;
  /** The first column's heading: "Achievement", "Streak", "Quest". */
  what: string;
  shares: (PaidShareView & { description?: string })[];
  testId: string;
}) {
  const hasDescriptions = shares.some((s) => s.description);
  return (
    <ScrollingTable label={label}>
      <table className={tableClass} data-testid={testId}>
        <caption className="sr-only">{label}</caption>
        <thead>
          <tr>
            <th scope="col" className={headClass}>
              {what}
            </th>
            {hasDescriptions ? (
              <th scope="col" className={headClass}>
                What it takes
              </th>
            ) : null}
            <th scope="col" className={headClass}>
              Pays
            </th>
          </tr>
        </thead>
        <tbody>
          {shares.map((share) => (
            <tr key={share.id} data-testid={`share-${share.id}`}>
              <th scope="row" className={`${cellClass} font-medium`}>
                {share.label}
              </th>
              {hasDescriptions ? <td className={cellClass}>{share.description}</td> : null}
              <td className={cellClass}>
                <MicroAmount amount={share.amount} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollingTable>
  );
}
