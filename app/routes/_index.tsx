import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { EarningPaceCard } from "#app/components/earnings/earning-pace-card.tsx";
import { EarningsByStream } from "#app/components/home/earnings-by-stream.tsx";
import { NextSteps } from "#app/components/home/next-steps.tsx";
import { QuestList } from "#app/components/home/quest-list.tsx";
import { RecentRewards } from "#app/components/home/recent-rewards.tsx";
import { StreakCard } from "#app/components/home/streak-card.tsx";
import { Welcome } from "#app/components/home/welcome.tsx";
import { loadHome, streamsComingSoon } from "#app/utils/home.server.ts";

export async function loader({ context }: LoaderFunctionArgs) {
  const user = context.viewer?.user;
  if (!user) return { viewer: null, home: null, comingSoon: streamsComingSoon };
  const { db, rewards } = context.services;
  return {
    viewer: { handle: user.handle, displayName: user.displayName },
    home: await loadHome({ db, rewards }, user.id),
    comingSoon: streamsComingSoon,
  };
}

export default function HomePage() {
  const { viewer, home, comingSoon } = useLoaderData<typeof loader>();
  if (!viewer || !home) return <Welcome comingSoon={comingSoon} />;
  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-wrap items-end justify-between gap-x-4 gap-y-1">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold break-words">Welcome, {viewer.displayName}</h1>
          <p className="text-slate-700">@{viewer.handle}</p>
        </div>
        <Link to="/earning" className="font-semibold text-brand-700 underline">
          How earning works
        </Link>
      </header>
      <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
        <EarningPaceCard pace={home.pace} />
        <StreakCard streak={home.streak} level={home.level.level} />
      </div>
      <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
        <div className="flex min-w-0 flex-col gap-6">
          <NextSteps steps={home.nextSteps} />
          <EarningsByStream streams={home.streams} hasEarnedThisWeek={home.hasEarnedThisWeek} />
          <RecentRewards rewards={home.recentRewards} />
        </div>
        <div className="min-w-0">
          <QuestList quests={home.quests} endsAt={home.questsEnd} />
        </div>
      </div>
    </div>
  );
}
