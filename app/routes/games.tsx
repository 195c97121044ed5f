import { formatDay } from "#shared/dates.ts";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { MicroAmount } from "#app/components/micro-amount.tsx";
import { getHubSummary } from "#core/gamification/progress.service.ts";
import { listGames } from "#core/games/game-directory.ts";
import {
  getEarningGuide,
  questAmount,
  streakBonusAmount,
  type EarningGuide,
} from "#core/rewards/earning-guide.ts";
import { displayAmount } from "#shared/money.ts";

export const meta: MetaFunction = () => [{ title: "Games · Tributary" }];

/** Badge art is our own SVG from core; an image keeps it out of the page's markup. */
const svgImage = (svg: string) => `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`;

/** A game's card with the least and most one of its achievements pays (from the live rule). */
function gameCard(guide: EarningGuide, game: { id: string; title: string; description: string }) {
  const amounts = (guide.games.find((g) => g.gameId === game.id)?.achievements ?? []).map(
    (a) => a.amount,
  );
  const pays =
    amounts.length === 0
      ? null
      : {
          least: displayAmount(amounts.reduce((x, y) => (y < x ? y : x))),
          most: displayAmount(amounts.reduce((x, y) => (y > x ? y : x))),
        };
  return { id: game.id, title: game.title, description: game.description, pays };
}

const orNull = (amount: bigint | null) => (amount === null ? null : displayAmount(amount));

export async function loader({ context }: LoaderFunctionArgs) {
  const { db } = context.services;
  const viewer = context.viewer;
  const guide = await getEarningGuide(db);
  if (!viewer) {
    const games = await listGames(db);
    return { games: games.map((game) => gameCard(guide, game)), hub: null };
  }
  const hub = await getHubSummary(context.services, viewer.user.id);
  const { level, streak, quests, trust } = hub.progress;
  return {
    games: hub.games.map((game) => gameCard(guide, game)),
    hub: {
      level: {
        level: level.level,
        xp: level.xp,
        xpIntoLevel: level.xpIntoLevel,
        xpForLevel: level.xpForLevel,
        nextLevelAt: level.nextLevelAt,
      },
      trust: { name: trust.name, next: trust.next?.name ?? null },
      streak: {
        length: streak.length,
        isTodayDone: streak.isTodayDone,
        freezesLeftThisWeek: streak.freezesLeftThisWeek,
        nextMilestone: streak.nextMilestone,
        nextBonus:
          streak.nextMilestone === null
            ? null
            : orNull(streakBonusAmount(guide, streak.nextMilestone)),
      },
      quests: quests.map((q) => ({
        id: q.quest.id,
        title: q.quest.title,
        description: q.quest.description,
        progress: q.progress,
        target: q.target,
        isCompleted: q.isCompleted,
        pays: orNull(questAmount(guide, q.quest.id)),
      })),
      achievements: hub.recentAchievements.map((a) => ({
        id: a.id,
        title: a.title,
        gameId: a.gameId,
        earnedAt: formatDay(a.earnedAt),
      })),
      badges: hub.earnedBadges.slice(0, 12).map((b) => ({
        id: b.id,
        title: b.title,
        description: b.description,
        art: svgImage(b.art),
        earnedAt: b.earnedAt ? formatDay(b.earnedAt) : null,
      })),
    },
  };
}

function Meter({ value, max, label }: { value: number; max: number; label: string }) {
  const percent = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 100;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={Math.min(value, max)}
      className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
    >
      <div className="h-full rounded-full bg-brand-700" style={{ width: `${percent}%` }} />
    </div>
  );
}

export default function GamesHub() {
  const { games, hub } = useLoaderData<typeof loader>();
  const titleOf = new Map(games.map((g) => [g.id, g.title]));
  return (
    <div className="space-y-8">
      <header>
        <h1 className="text-2xl font-bold text-slate-900">Games</h1>
        <p className="mt-1 text-slate-700">
          Play, earn verified achievements, and watch everything you do on Tributary add up.{" "}
          <Link to="/earning#games" className="font-medium text-brand-800 underline">
            What each achievement pays
          </Link>
        </p>
      </header>

      {hub ? (
        <section aria-labelledby="progress-heading" className="grid gap-4 sm:grid-cols-3">
          <h2 id="progress-heading" className="sr-only">
            Your progress
          </h2>
          <div className="rounded-lg border border-slate-200 bg-white p-4">
            <p className="text-sm text-slate-600">Level</p>
            <p className="text-3xl font-bold text-slate-900">{hub.level.level}</p>
            <Meter
              value={hub.level.xpIntoLevel}
              max={hub.level.xpForLevel ?? hub.level.xpIntoLevel}
              label="Progress to the next level"
            />
            <p className="mt-2 text-sm text-slate-700">
              {hub.level.nextLevelAt === null
                ? `${hub.level.xp} XP — the top level`
                : `${hub.level.xp} XP · next level at ${hub.level.nextLevelAt} XP`}
            </p>
            <p className="mt-1 text-sm text-slate-700">
              Trust: {hub.trust.name}
              {hub.trust.next ? ` (next: ${hub.trust.next})` : ""}
            </p>
          </div>
          <div className="rounded-lg border border-slate-200 bg-white p-4">
            <p className="text-sm text-slate-600">Daily streak</p>
            <p className="text-3xl font-bold text-slate-900">
              {hub.streak.length} {hub.streak.length === 1 ? "day" : "days"}
            </p>
            <p className="mt-2 text-sm text-slate-700">
              {hub.streak.isTodayDone
                ? "Today counts already."
                : "Any rewarded action today keeps it going."}
            </p>
            <p className="mt-1 text-sm text-slate-700">
              Freezes left this week: {hub.streak.freezesLeftThisWeek}
            </p>
            {hub.streak.nextMilestone ? (
              <p className="mt-1 text-sm text-slate-700" data-testid="next-streak-bonus">
                Next bonus at {hub.streak.nextMilestone} days
                {hub.streak.nextBonus ? (
                  <>
                    : <MicroAmount amount={hub.streak.nextBonus} />
                  </>
                ) : null}
              </p>
            ) : null}
          </div>
          <div className="rounded-lg border border-slate-200 bg-white p-4">
            <p className="text-sm text-slate-600">Recent achievements</p>
            {hub.achievements.length === 0 ? (
              <p className="mt-2 text-sm text-slate-700">None yet — finish a run to earn one.</p>
            ) : (
              <ul className="mt-2 space-y-1 text-sm text-slate-800">
                {hub.achievements.map((a) => (
                  <li key={a.id}>
                    <span className="font-medium">{a.title}</span>{" "}
                    <span className="text-slate-600">
                      in {titleOf.get(a.gameId) ?? a.gameId} · {a.earnedAt}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </section>
      ) : (
        <p className="rounded-lg border border-slate-200 bg-white p-4 text-slate-800">
          <Link to="/signin?redirectTo=/games" className="font-semibold text-brand-700 underline">
            Sign in
          </Link>{" "}
          to play for rewards, keep a streak and take on weekly quests.
        </p>
      )}

      <section aria-labelledby="games-heading">
        <h2 id="games-heading" className="text-lg font-semibold text-slate-900">
          Play
        </h2>
        <ul className="mt-3 grid gap-4 sm:grid-cols-3">
          {games.map((game) => (
            <li key={game.id} className="rounded-lg border border-slate-200 bg-white p-4">
              <h3 className="font-semibold text-slate-900">
                <Link to={`/games/${game.id}`} className="hover:underline">
                  {game.title}
                </Link>
              </h3>
              <p className="mt-1 text-sm text-slate-700">{game.description}</p>
              {game.pays ? (
                <p className="mt-2 text-sm text-slate-700" data-testid={`pays-${game.id}`}>
                  Achievements pay <MicroAmount amount={game.pays.least} showReference={false} /> to{" "}
                  <MicroAmount amount={game.pays.most} /> each, once.
                </p>
              ) : null}
              <Link
                to={`/games/${game.id}`}
                className="mt-3 inline-block rounded-md bg-brand-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-800"
                aria-label={`Play ${game.title}`}
              >
                Play
              </Link>
            </li>
          ))}
        </ul>
      </section>

      {hub ? (
        <section aria-labelledby="quests-heading">
          <h2 id="quests-heading" className="text-lg font-semibold text-slate-900">
            This week&apos;s quests
          </h2>
          <ul className="mt-3 grid gap-3 sm:grid-cols-2">
            {hub.quests.map((quest) => (
              <li key={quest.id} className="rounded-lg border border-slate-200 bg-white p-4">
                <p className="font-medium text-slate-900">
                  {quest.title}
                  {quest.isCompleted ? " ✓" : ""}
                </p>
                <p className="text-sm text-slate-700">{quest.description}</p>
                <div className="mt-2">
                  <Meter
                    value={quest.progress}
                    max={quest.target}
                    label={`${quest.title} progress`}
                  />
                </div>
                <p className="mt-1 text-sm text-slate-600">
                  {quest.progress} of {quest.target}
                  {quest.pays ? (
                    <>
                      {" · "}
                      {quest.isCompleted ? "earned " : "pays "}
                      <MicroAmount amount={quest.pays} />
                    </>
                  ) : null}
                </p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {hub && hub.badges.length > 0 ? (
        <section aria-labelledby="badges-heading">
          <h2 id="badges-heading" className="text-lg font-semibold text-slate-900">
            Your badges
          </h2>
          <ul className="mt-3 flex flex-wrap gap-3">
            {hub.badges.map((badge) => (
              <li
                key={badge.id}
                className="flex w-40 flex-col items-center rounded-lg border border-slate-200 bg-white p-3 text-center"
              >
                <img src={badge.art} alt="" width={48} height={48} />
                <span className="mt-2 text-sm font-medium text-slate-900">{badge.title}</span>
                <span className="text-xs text-slate-600">{badge.earnedAt}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
