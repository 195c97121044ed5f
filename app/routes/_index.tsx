import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

export function loader({ context }: LoaderFunctionArgs) {
  const user = context.viewer?.user;
  return { viewer: user ? { handle: user.handle, displayName: user.displayName } : null };
}

const streams = [
  ["Post, like and comment", "Your posts and the likes they earn pay you, not an advertiser."],
  ["Play mini-games", "Verified achievements in browser games mint rewards."],
  ["Answer surveys and gigs", "Small tasks, paid to the last base unit."],
  ["Invest and settle", "Rewards pool into your wallet and settle on chain, claimable by you."],
] as const;

export default function HomePage() {
  const { viewer } = useLoaderData<typeof loader>();
  if (!viewer) {
    return (
      <div className="flex flex-col gap-8">
        <section className="rounded-xl bg-brand-800 px-6 py-10 text-white">
          <h1 className="text-3xl font-bold sm:text-4xl">Be a producer, not a product.</h1>
          <p className="mt-3 max-w-2xl text-lg text-brand-50">
            On Tributary, everyday online actions earn micro income streams that flow into your own
            investment wallet — every base unit accounted for, never lost, never paid twice.
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
        <section aria-labelledby="streams-heading">
          <h2 id="streams-heading" className="text-xl font-semibold">
            Ways to earn
          </h2>
          <ul className="mt-4 grid gap-4 sm:grid-cols-2">
            {streams.map(([title, text]) => (
              <li key={title} className="rounded-lg border border-slate-200 bg-white p-4">
                <h3 className="font-semibold">{title}</h3>
                <p className="mt-1 text-slate-700">{text}</p>
              </li>
            ))}
          </ul>
        </section>
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-6">
      <section>
        <h1 className="text-2xl font-semibold">Welcome, {viewer.displayName}</h1>
        <p className="text-slate-700">@{viewer.handle}</p>
      </section>
      <section
        aria-labelledby="activity-heading"
        className="rounded-lg border border-dashed border-slate-300 bg-white p-6"
      >
        <h2 id="activity-heading" className="text-lg font-semibold">
          Your activity
        </h2>
        <p className="mt-1 text-slate-700">
          Nothing here yet. Posts, games, tasks and the rewards they earn will show up here.
        </p>
      </section>
    </div>
  );
}
