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

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const uncapitalised = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

function capsWords(action: EarningActionView): string {
  const daily = action.dailyCap === null ? "No daily cap" : `${action.dailyCap} a day`;
  return action.perTargetCapWords ? `${daily}; ${action.perTargetCapWords}` : daily;
}

function BudgetCell({ action }: { action: EarningActionView }) {
  return (
    <>
      the {action.budgetName}
      {action.isBudgetExhausted ? (
        <span className="mt-1 block font-medium text-amber-800">
          Used up for today; it resets at 00:00 UTC.
        </span>
      ) : null}
    </>
  );
}

/** The same facts as the table, one card per action, for a phone's width. */
function ActionCards({ stream }: { stream: EarningStreamView }) {
  return (
    <ul className="flex flex-col gap-3 sm:hidden">
      {stream.actions.map((action) => (
        <li
          key={action.actionKind}
          className="rounded-lg border border-slate-200 bg-white p-3 text-sm"
        >
          <p className="font-semibold text-slate-900">{capitalised(action.label)}</p>
          <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-slate-800">
            <dt className="text-slate-600">Pays</dt>
            <dd>{action.paidTo}</dd>
            <dt className="text-slate-600">Amount</dt>
            <dd>
              <ActionAmount action={action} />
            </dd>
            <dt className="text-slate-600">Caps</dt>
            <dd>{capsWords(action)}</dd>
            <dt className="text-slate-600">Yours</dt>
            <dd>{action.holdWords}</dd>
            <dt className="text-slate-600">Paid from</dt>
            <dd>
              <BudgetCell action={action} />
            </dd>
          </dl>
        </li>
      ))}
    </ul>
  );
}

/** Every rewarded action of one stream: whom it pays, how much, caps, hold and budget. */
export function StreamActionsTable({ stream }: { stream: EarningStreamView }) {
  return (
    <>
      <div className="hidden sm:block">
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
                  <th scope="row" className={`${cellClass} font-medium`}>
                    {capitalised(action.label)}
                  </th>
                  <td className={cellClass}>{action.paidTo}</td>
                  <td className={cellClass}>
                    <ActionAmount action={action} />
                  </td>
                  <td className={cellClass}>{capsWords(action)}</td>
                  <td className={cellClass}>{action.holdWords}</td>
                  <td className={cellClass}>
                    <BudgetCell action={action} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollingTable>
      </div>
      <ActionCards stream={stream} />
      {stream.actions.some((a) => a.notes.length > 0) ? (
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-slate-700">
          {stream.actions.flatMap((a) =>
            a.notes.map((note) => (
              <li key={`${a.actionKind}:${note}`}>
                {`${capitalised(a.label)}: ${uncapitalised(note)}`}
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
      <table
        className="w-full min-w-[18rem] border-collapse text-left text-sm"
        data-testid={testId}
      >
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
