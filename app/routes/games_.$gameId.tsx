import { formatDay } from "#shared/dates.ts";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { gameGuides, HowToPlay } from "#app/components/games/game-guide.tsx";
import { gameScenes } from "#app/components/games/game-scenes.ts";
import { GameStage } from "#app/components/games/game-stage.tsx";
import {
  LeaderboardTable,
  type LeaderboardView,
} from "#app/components/games/leaderboard-table.tsx";
import { SignInToPlay } from "#app/components/games/sign-in-to-play.tsx";
import { MicroAmount } from "#app/components/micro-amount.tsx";
import { personSummary } from "#app/utils/social-cards.server.ts";
import { timeStamp } from "#app/utils/time-stamp.server.ts";
import { listAchievements } from "#core/games/achievements.ts";
import { getLeaderboard, type Leaderboard } from "#core/games/leaderboards.ts";
import { getProfilesByIds } from "#core/profiles/profile.service.ts";
import { achievementAmount, getEarningGuide } from "#core/rewards/earning-guide.ts";
import { isBuiltInGame, type BuiltInGameId } from "#game/games.ts";
import { displayAmount } from "#shared/money.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.game.title} · Games · Tributary` : "Games · Tributary" },
];

const amountView = (amount: bigint | null) => (amount === null ? null : displayAmount(amount));

export async function loader({ context, params }: LoaderFunctionArgs) {
  const gameId = params.gameId ?? "";
  if (!isBuiltInGame(gameId)) throw new Response("Not Found", { status: 404 });
  const { db } = context.services;
  const viewerId = context.viewer?.user.id ?? null;
  const [day, week, achievements, guide] = await Promise.all([
    getLeaderboard(db, gameId, "day", viewerId),
    getLeaderboard(db, gameId, "week", viewerId),
    listAchievements(db, viewerId, gameId),
    getEarningGuide(db),
  ]);
  const ids = [...new Set([day, week].flatMap((board) => board.entries.map((e) => e.userId)))];
  const profiles = await getProfilesByIds(db, ids);
  const people = new Map(ids.map((id, i) => [id, profiles[i] ?? null]));
  const boardView = (board: Leaderboard, label: string): LeaderboardView => ({
    period: board.period,
    label,
    entries: board.entries.map((entry) => {
      const profile = people.get(entry.userId) ?? null;
      return {
        rank: entry.rank,
        score: entry.score,
        isViewer: entry.userId === viewerId,
        person: profile ? personSummary(profile) : null,
      };
    }),
    viewer: board.viewer ? { rank: board.viewer.rank, score: board.viewer.score } : null,
  });
  return {
    game: { id: gameId, title: gameScenes[gameId].look.title },
    isSignedIn: viewerId !== null,
    leaderboards: [boardView(day, "Today"), boardView(week, "This week")],
    achievements: achievements.map((a) => ({
      id: a.id,
      title: a.title,
      description: a.description,
      pays: amountView(achievementAmount(guide, a.id)),
      earned: a.earnedAt ? { ...timeStamp(a.earnedAt), date: formatDay(a.earnedAt) } : null,
    })),
  };
}

export default function GamePage() {
  const { game, isSignedIn, leaderboards, achievements } = useLoaderData<typeof loader>();
  const gameId = game.id as BuiltInGameId;
  const guide = gameGuides[gameId];
  const earnedCount = achievements.filter((a) => a.earned).length;
  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-col gap-1">
        <p className="text-sm">
          <Link to="/games" className="text-brand-700 underline hover:text-brand-800">
            Games
          </Link>
        </p>
        <h1 className="text-3xl font-bold tracking-tight">{game.title}</h1>
        <p className="max-w-3xl text-slate-700">{guide.summary}</p>
      </header>

      {isSignedIn ? (
        <GameStage key={gameId} gameId={gameId} />
      ) : (
        <SignInToPlay gameId={gameId} title={game.title} />
      )}

      <div className="grid gap-6 lg:grid-cols-3">
        <HowToPlay guide={guide} />

        <section
          aria-labelledby="leaderboards"
          className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm"
        >
          <h2 id="leaderboards" className="text-lg font-semibold">
            Leaderboards
          </h2>
          <div className="mt-3 flex flex-col gap-5">
            {leaderboards.map((board) => (
              <LeaderboardTable key={board.period} board={board} isSignedIn={isSignedIn} />
            ))}
          </div>
        </section>

        <section
          aria-labelledby="achievements"
          className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm"
        >
          <h2 id="achievements" className="text-lg font-semibold">
            Achievements
          </h2>
          <p className="text-sm text-slate-600">
            {isSignedIn
              ? `${earnedCount} of ${achievements.length} earned`
              : "Sign in to earn them; each pays once."}{" "}
            <Link to="/earning#games" className="text-brand-800 underline">
              How earning works
            </Link>
          </p>
          <ul className="mt-3 flex flex-col gap-3" data-testid="achievements">
            {achievements.map((achievement) => (
              <li key={achievement.id} className="flex gap-3">
                <span
                  aria-hidden="true"
                  className={`mt-0.5 flex size-8 shrink-0 items-center justify-center rounded-full text-base ${
                    achievement.earned
                      ? "bg-amber-100 text-amber-600"
                      : "border border-dashed border-slate-300 text-slate-400"
                  }`}
                >
                  ★
                </span>
                <div className="min-w-0">
                  <p className="text-sm font-semibold text-slate-900">{achievement.title}</p>
                  <p className="text-sm text-slate-700">{achievement.description}</p>
                  {achievement.pays ? (
                    <p className="text-sm text-slate-800" data-testid={`pays-${achievement.id}`}>
                      {achievement.earned ? "Earned " : "Pays "}
                      <MicroAmount amount={achievement.pays} />
                    </p>
                  ) : null}
                  <p className="text-xs text-slate-600">
                    {achievement.earned ? (
                      <>
                        Earned{" "}
                        <time dateTime={achievement.earned.iso} title={achievement.earned.full}>
                          {achievement.earned.date}
                        </time>
                      </>
                    ) : (
                      "Not earned yet"
                    )}
                  </p>
                </div>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}
