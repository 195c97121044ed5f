import { Link } from "@remix-run/react";

/** The streams that pay today; what is still to come is said as such, never claimed. */
const streams = [
  [
    "Post, like and comment",
    "Your posts, comments and the likes and follows they earn pay you, not an advertiser.",
  ],
  ["Play mini-games", "Verified achievements in browser games pay rewards."],
  ["Daily habits", "Check in each day, keep a streak going and finish weekly quests for bonuses."],
  [
    "Settle on chain",
    "Rewards gather in your wallet and settle on chain as MICRO tokens you claim to your own address.",
  ],
] as const;

const listWords = (items: readonly string[]) =>
  items.length <= 1
    ? (items[0] ?? "")
    : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;

/** The signed-out home: what Tributary is, the ways to earn that exist, and the way in. */
export function Welcome({ comingSoon }: { comingSoon: readonly string[] }) {
  return (
    <div className="flex flex-col gap-8">
      <section className="rounded-xl bg-brand-800 px-6 py-10 text-white">
        <h1 className="text-3xl font-bold sm:text-4xl">Be a producer, not a product.</h1>
        <p className="mt-3 max-w-2xl text-lg text-brand-50">
          On Tributary, everyday online actions earn micro income streams that flow into your own
          wallet — every base unit accounted for, never lost, never paid twice.
        </p>
        <div className="mt-6 flex flex-wrap gap-3">
          <Link
            to="/signup"
            className="rounded-md bg-white px-4 py-2 font-semibold text-brand-800 hover:bg-brand-50"
          >
            Create an account
          </Link>
          <Link to="/signin" className="rounded-md px-4 py-2 font-semibold text-white underline">
            I already have one
          </Link>
        </div>
      </section>
      <section aria-labelledby="ways-heading">
        <div className="flex flex-wrap items-baseline justify-between gap-x-4">
          <h2 id="ways-heading" className="text-xl font-semibold">
            Ways to earn
          </h2>
          <Link to="/earning" className="font-semibold text-brand-700 underline">
            How earning works
          </Link>
        </div>
        <ul className="mt-4 grid gap-4 sm:grid-cols-2">
          {streams.map(([title, text]) => (
            <li key={title} className="rounded-lg border border-slate-200 bg-white p-4">
              <h3 className="font-semibold">{title}</h3>
              <p className="mt-1 text-slate-700">{text}</p>
            </li>
          ))}
        </ul>
        {comingSoon.length > 0 ? (
          <p className="mt-4 text-slate-700" data-testid="coming-soon">
            Coming soon: {listWords(comingSoon)}. They do not pay yet.
          </p>
        ) : null}
      </section>
    </div>
  );
}
