import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import {
  PaidSharesTable,
  ScrollingTable,
  StreamActionsTable,
} from "#app/components/earning/earning-tables.tsx";
import type { EarningGuideView } from "#app/components/earning/earning-views.ts";
import { MicroAmount } from "#app/components/micro-amount.tsx";
import { earningGuideView } from "#app/utils/earning-guide.server.ts";
import { getEarningGuide } from "#core/rewards/earning-guide.ts";

export const meta: MetaFunction = () => [
  { title: "How earning works · Tributary" },
  {
    name: "description",
    content:
      "Every action that earns on Tributary, what it pays whom, its caps, holds and budgets.",
  },
];

export async function loader({ context }: LoaderFunctionArgs) {
  const guide = await getEarningGuide(context.services.db);
  return { guide: earningGuideView(guide), isSignedIn: context.viewer !== null };
}

const listWords = (items: readonly string[]) =>
  items.length <= 1
    ? (items[0] ?? "")
    : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;

export default function EarningPage() {
  const { guide, isSignedIn } = useLoaderData<typeof loader>();
  return (
    <div className="flex flex-col gap-8">
      <header className="flex flex-col gap-2">
        <h1 className="text-2xl font-bold text-slate-900">How earning works</h1>
        <p className="max-w-3xl text-slate-700">
          Everything you do here that earns, what it pays and whom, how often, and when it is yours.
          This page is read from the live rules, so it changes the moment an admin changes a rate.
          Amounts are in MICRO, Tributary&apos;s token.
        </p>
        <p className="text-sm text-slate-700">
          {isSignedIn ? (
            <Link to="/wallet" className="font-medium text-brand-800 underline">
              See what you have earned in your wallet
            </Link>
          ) : (
            <>
              <Link to="/signup" className="font-medium text-brand-800 underline">
                Sign up
              </Link>{" "}
              to start earning.
            </>
          )}
        </p>
      </header>

      <nav aria-label="On this page" className="text-sm">
        <ul className="flex flex-wrap gap-x-4 gap-y-1">
          {guide.streams.map((s) => (
            <li key={s.stream}>
              <a href={`#${s.stream}`} className="text-brand-800 underline">
                {s.label}
              </a>
            </li>
          ))}
          <li>
            <a href="#activation" className="text-brand-800 underline">
              Activation
            </a>
          </li>
          <li>
            <a href="#budgets" className="text-brand-800 underline">
              Budgets
            </a>
          </li>
        </ul>
      </nav>

      {guide.streams.map((stream) => (
        <section
          key={stream.stream}
          id={stream.stream}
          aria-labelledby={`${stream.stream}-heading`}
          className="flex flex-col gap-3"
        >
          <h2 id={`${stream.stream}-heading`} className="text-xl font-semibold text-slate-900">
            {stream.label}
          </h2>
          <p className="text-sm text-slate-700">{stream.description}.</p>
          {stream.actions.length === 0 ? (
            <p className="text-sm text-slate-700">Nothing in this stream pays at the moment.</p>
          ) : (
            <StreamActionsTable stream={stream} />
          )}
          {stream.stream === "games" ? <GameAchievements guide={guide} /> : null}
          {stream.stream === "daily" ? <DailyBonuses guide={guide} /> : null}
        </section>
      ))}

      <section id="activation" aria-labelledby="activation-heading" className="flex flex-col gap-2">
        <h2 id="activation-heading" className="text-xl font-semibold text-slate-900">
          Before your account is activated
        </h2>
        <p className="max-w-3xl text-sm text-slate-700">
          A new account is paid only its {listWords(guide.activation.paidBeforeActivation)}, up to{" "}
          <MicroAmount amount={guide.activation.allowance} /> in all. Everything else it earns is
          recorded and held, and the welcome bonus waits too, until the account is activated:
        </p>
        <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-800">
          {guide.activation.steps.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
        <p className="text-sm text-slate-700">Then what was held is released.</p>
      </section>

      <section id="budgets" aria-labelledby="budgets-heading" className="flex flex-col gap-2">
        <h2 id="budgets-heading" className="text-xl font-semibold text-slate-900">
          Budgets
        </h2>
        <p className="max-w-3xl text-sm text-slate-700">
          Every reward is paid from a funded budget, never printed. When a budget runs out, its
          rewards stop and your wallet says why; a daily budget starts again at 00:00 UTC.
        </p>
        <ScrollingTable label="Budgets and what they can still pay today">
          <table className="w-full min-w-[28rem] border-collapse text-left text-sm">
            <caption className="sr-only">Budgets and what they can still pay today</caption>
            <thead>
              <tr>
                <th scope="col" className="border-b border-slate-300 px-2 py-2 font-semibold">
                  Budget
                </th>
                <th scope="col" className="border-b border-slate-300 px-2 py-2 font-semibold">
                  Each day
                </th>
                <th scope="col" className="border-b border-slate-300 px-2 py-2 font-semibold">
                  Left today
                </th>
              </tr>
            </thead>
            <tbody>
              {guide.budgets.map((budget) => (
                <tr key={budget.id} data-testid={`budget-${budget.id}`}>
                  <th
                    scope="row"
                    className="border-b border-slate-200 px-2 py-2 font-medium first-letter:uppercase"
                  >
                    {budget.name}
                  </th>
                  <td className="border-b border-slate-200 px-2 py-2">
                    {budget.dailyAmount ? (
                      <MicroAmount amount={budget.dailyAmount} />
                    ) : (
                      "Funded up front"
                    )}
                  </td>
                  <td className="border-b border-slate-200 px-2 py-2">
                    {budget.isExhausted ? (
                      <span className="font-medium text-amber-800">Used up</span>
                    ) : (
                      <MicroAmount amount={budget.remainingToday} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollingTable>
      </section>

      <p className="rounded-lg border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-700">
        {`Not live yet: ${listWords(guide.comingSoon)} are coming, and will appear here when they pay.`}
      </p>
    </div>
  );
}

function GameAchievements({ guide }: { guide: EarningGuideView }) {
  return (
    <>
      <p className="text-sm text-slate-700">
        Each achievement pays once per person, after the server has replayed your run and checked
        its score.
      </p>
      {guide.games.map((game) => (
        <div key={game.gameId} className="flex flex-col gap-2">
          <h3 className="font-semibold text-slate-900">
            <Link to={`/games/${game.gameId}`} className="hover:underline">
              {game.title}
            </Link>
          </h3>
          <PaidSharesTable
            label={`${game.title} achievements and what each pays`}
            what="Achievement"
            shares={game.achievements}
            testId={`achievements-${game.gameId}`}
          />
        </div>
      ))}
    </>
  );
}

function DailyBonuses({ guide }: { guide: EarningGuideView }) {
  return (
    <>
      <h3 className="font-semibold text-slate-900">Streak bonuses</h3>
      <p className="text-sm text-slate-700">
        A day counts when you do anything rewarded (UTC). Reaching a milestone pays its bonus once
        per streak; one missed day a week is bridged by a freeze.
      </p>
      <PaidSharesTable
        label="Streak milestones and their bonuses"
        what="Milestone"
        shares={guide.streakMilestones}
        testId="streak-milestones"
      />
      <h3 className="font-semibold text-slate-900">This week&apos;s quests</h3>
      <p className="text-sm text-slate-700">
        From {guide.quests.weekStart} to {guide.quests.weekEnd} (UTC). Each quest pays once a week
        when you reach its goal.
      </p>
      <PaidSharesTable
        label="This week's quests and what each pays"
        what="Quest"
        shares={guide.quests.quests.map((q) => ({
          ...q,
          description:
            q.isBonus && q.unlocksAtLevel !== null
              ? `${q.description} (from level ${q.unlocksAtLevel})`
              : q.description,
        }))}
        testId="week-quests"
      />
    </>
  );
}
