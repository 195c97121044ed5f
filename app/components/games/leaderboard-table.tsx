import { Link } from "@remix-run/react";
import { Avatar } from "#app/components/social/avatar.tsx";
import type { PersonSummary } from "#app/components/social/types.ts";

/** One period's board as the game page's loader sends it. */
export type LeaderboardView = {
  period: "day" | "week";
  label: string;
  entries: { rank: number; score: number; isViewer: boolean; person: PersonSummary | null }[];
  viewer: { rank: number; score: number } | null;
};

/** The top of one period's board, and the viewer's own place when they are signed in. */
export function LeaderboardTable({
  board,
  isSignedIn,
}: {
  board: LeaderboardView;
  isSignedIn: boolean;
}) {
  const viewerIsListed = board.entries.some((entry) => entry.isViewer);
  return (
    <div data-testid={`leaderboard-${board.period}`}>
      <table className="w-full table-fixed text-sm">
        <caption className="mb-1 text-left font-semibold text-slate-900">{board.label}</caption>
        <thead>
          <tr className="text-left text-xs text-slate-600">
            <th scope="col" className="w-11 py-1 pl-1 font-medium">
              Rank
            </th>
            <th scope="col" className="py-1 font-medium">
              Player
            </th>
            <th scope="col" className="w-16 py-1 pr-1 text-right font-medium">
              Best
            </th>
          </tr>
        </thead>
        <tbody>
          {board.entries.length === 0 ? (
            <tr>
              <td colSpan={3} className="py-2 text-slate-600">
                No verified runs yet{board.period === "day" ? " today" : " this week"}.
              </td>
            </tr>
          ) : (
            board.entries.map((entry) => (
              <tr
                key={entry.rank + (entry.person?.handle ?? "")}
                className={entry.isViewer ? "bg-brand-50 font-semibold" : ""}
              >
                <td className="py-1 pl-1 tabular-nums">{entry.rank}</td>
                <td className="py-1">
                  {entry.person ? (
                    <span className="flex min-w-0 items-center gap-2">
                      <Avatar person={entry.person} size="sm" />
                      <Link
                        to={`/u/${entry.person.handle}`}
                        className="min-w-0 truncate text-slate-900 hover:underline"
                      >
                        {entry.person.displayName}
                      </Link>
                      {entry.isViewer ? <span className="sr-only">(you)</span> : null}
                    </span>
                  ) : (
                    <span className="text-slate-600">A hidden player</span>
                  )}
                </td>
                <td className="py-1 pr-1 text-right tabular-nums">
                  {entry.score.toLocaleString("en")}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      {isSignedIn ? (
        <p className="mt-1 text-xs text-slate-700" data-testid={`own-rank-${board.period}`}>
          {board.viewer
            ? `Your best ${board.period === "day" ? "today" : "this week"}: #${board.viewer.rank} with ${board.viewer.score.toLocaleString("en")}${viewerIsListed ? "" : " (outside the top 10)"}.`
            : `You have no verified run ${board.period === "day" ? "today" : "this week"} yet.`}
        </p>
      ) : null}
    </div>
  );
}
