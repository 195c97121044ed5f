import { Link } from "@remix-run/react";
import { MicroAmount } from "#app/components/micro-amount.tsx";
import type { NextStepView } from "./home-views.ts";

/** What to do next: concrete steps worked out from where the person stands, each a link. */
export function NextSteps({ steps }: { steps: NextStepView[] }) {
  return (
    <section
      aria-labelledby="next-steps-heading"
      data-testid="next-steps"
      className="rounded-lg border border-brand-600 bg-white p-4"
    >
      <h2 id="next-steps-heading" className="text-lg font-semibold text-slate-900">
        What to do next
      </h2>
      {steps.length === 0 ? (
        <p className="mt-2 text-sm text-slate-700">
          You are all caught up. Browse the{" "}
          <Link to="/feed?tab=discover" className="font-semibold text-brand-700 underline">
            Discover feed
          </Link>{" "}
          or beat your best in a{" "}
          <Link to="/games" className="font-semibold text-brand-700 underline">
            game
          </Link>
          .
        </p>
      ) : (
        <ol className="mt-3 space-y-2">
          {steps.map((step) => (
            <li key={step.kind} data-step={step.kind}>
              <Link
                to={step.href}
                className="block rounded-md border border-slate-200 px-3 py-2 hover:border-brand-600 hover:bg-brand-50"
              >
                <span className="flex flex-wrap items-baseline justify-between gap-x-3">
                  <span className="font-semibold break-words text-brand-800">{step.title}</span>
                  {step.pays ? (
                    <span className="text-sm text-slate-700">
                      pays <MicroAmount amount={step.pays} showReference={false} />
                    </span>
                  ) : null}
                </span>
                <span className="mt-0.5 block text-sm break-words text-slate-700">
                  {step.detail}
                </span>
              </Link>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
