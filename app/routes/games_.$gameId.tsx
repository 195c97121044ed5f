import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation, useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { Avatar } from "#app/components/social/avatar.tsx";
import { personSummary } from "#app/utils/social-cards.server.ts";
import { timeStamp } from "#app/utils/time-stamp.server.ts";
import { listAchievements } from "#core/games/achievements.ts";
import { getLeaderboard, type Leaderboard } from "#core/games/leaderboards.ts";
import { getProfilesByIds } from "#core/profiles/profile.service.ts";
import { isBuiltInGame, type BuiltInGameId } from "#game/games.ts";
import { rapidsRhythmLook } from "#game/rapids-rhythm/scenes/rapids-rhythm-look.ts";
import { riverRunLook } from "#game/river-run/scenes/river-run-look.ts";
import { GameBridge, type GamePhase, type RunVerdict } from "#game/shared/game-bridge.ts";
import type { GameLook } from "#game/shared/game-session.ts";
import { loadSoundPreference } from "#game/shared/sound.ts";
import type { RunningGame } from "#game/shared/start-game.ts";
import { tideTilesLook } from "#game/tide-tiles/scenes/tide-tiles-look.ts";

type StartGame = (parent: HTMLElement, bridge: GameBridge) => RunningGame;

/**
 * Each game's scenes (and Phaser with them) load only here, only in the browser, only
 * once the page has hydrated: the feed and every other page never download them.
 */
const games: Record<BuiltInGameId, { look: GameLook; load: () => Promise<StartGame> }> = {
  "river-run": {
    look: riverRunLook,
    load: () => import("#game/river-run/scenes/start-river-run.ts").then((m) => m.startRiverRun),
  },
  "tide-tiles": {
    look: tideTilesLook,
    load: () => import("#game/tide-tiles/scenes/start-tide-tiles.ts").then((m) => m.startTideTiles),
  },
  "rapids-rhythm": {
    look: rapidsRhythmLook,
    load: () =>
      import("#game/rapids-rhythm/scenes/start-rapids-rhythm.ts").then((m) => m.startRapidsRhythm),
  },
};

type Guide = {
  summary: string;
  steps: string[];
  keys: [keys: string, does: string][];
  touch: string;
  perfect: string;
};

const guides: Record<BuiltInGameId, Guide> = {
  "river-run": {
    summary:
      "An endless runner along the river bank: jump the rocks, grab the coins and go as far as you can in two minutes.",
    steps: [
      "Rocks come at you faster and faster; jump over each one.",
      "Coins float over some rocks: each is worth 25 points, every 10 metres one more.",
      "One touch of a rock ends the run.",
    ],
    keys: [
      ["Space, ↑ or W", "Jump"],
      ["P or Esc", "Pause and resume"],
      ["M", "Sound on or off"],
    ],
    touch: "Tap anywhere on the game to jump.",
    perfect: "Run the whole two minutes without a crash.",
  },
  "tide-tiles": {
    summary:
      "A match-3 tile puzzle: swap neighbouring tiles to line up three or more of a kind in twenty moves.",
    steps: [
      "Swap two neighbouring tiles to make a line of three or more of the same shell.",
      "Lines clear, tiles fall, new ones wash in: a second wave from one move is a cascade and scores double.",
      "A swap that makes no line is not a move: the tiles slide back and it costs nothing.",
    ],
    keys: [
      ["Arrow keys", "Move the cursor"],
      ["Enter or Space", "Pick up the tile, then an arrow swaps it that way"],
      ["P or Esc", "Pause and resume"],
      ["M", "Sound on or off"],
    ],
    touch: "Drag a tile onto its neighbour, or tap one tile and then the other.",
    perfect: "Make every one of the twenty moves set off a cascade.",
  },
  "rapids-rhythm": {
    summary:
      "A reaction game to a steady beat: notes float down four lanes; tap each lane as its note crosses the line.",
    steps: [
      "Hit a note within 33 ms of the line for Perfect (300), within 100 ms for Good (100).",
      "Every ten in a row raises the combo bonus; a miss or a stray tap resets it.",
      "The song lasts about forty seconds.",
    ],
    keys: [
      ["D F J K", "Tap lanes 1 to 4"],
      ["P or Esc", "Pause and resume"],
      ["M", "Sound on or off"],
    ],
    touch: "Tap the lanes themselves: each lane is a big button.",
    perfect: "Hit every note perfectly, with no stray taps.",
  },
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.game.title} · Games · Tributary` : "Games · Tributary" },
];

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

export async function loader({ context, params }: LoaderFunctionArgs) {
  const gameId = params.gameId ?? "";
  if (!isBuiltInGame(gameId)) throw new Response("Not Found", { status: 404 });
  const { db } = context.services;
  const viewerId = context.viewer?.user.id ?? null;
  const [day, week, achievements] = await Promise.all([
    getLeaderboard(db, gameId, "day", viewerId),
    getLeaderboard(db, gameId, "week", viewerId),
    listAchievements(db, viewerId, gameId),
  ]);
  const ids = [...new Set([day, week].flatMap((board) => board.entries.map((e) => e.userId)))];
  const profiles = await getProfilesByIds(db, ids);
  const people = new Map(ids.map((id, i) => [id, profiles[i] ?? null]));
  const boardView = (board: Leaderboard, label: string) => ({
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
    game: { id: gameId, title: games[gameId].look.title },
    isSignedIn: viewerId !== null,
    leaderboards: [boardView(day, "Today"), boardView(week, "This week")],
    achievements: achievements.map((a) => ({
      id: a.id,
      title: a.title,
      description: a.description,
      earned: a.earnedAt ? { ...timeStamp(a.earnedAt), date: dateFormat.format(a.earnedAt) } : null,
    })),
  };
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

export default function GamePage() {
  const { game, isSignedIn, leaderboards, achievements } = useLoaderData<typeof loader>();
  const gameId = game.id as BuiltInGameId;
  const guide = guides[gameId];
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
        <section
          aria-labelledby="how-to-play"
          className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm"
        >
          <h2 id="how-to-play" className="text-lg font-semibold">
            How to play
          </h2>
          <ul className="mt-3 list-disc space-y-1 pl-5 text-sm text-slate-800">
            {guide.steps.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ul>
          <h3 className="mt-4 text-sm font-semibold">Keyboard</h3>
          <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
            {guide.keys.map(([keys, does]) => (
              <div key={keys} className="contents">
                <dt>
                  <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs text-slate-800">
                    {keys}
                  </kbd>
                </dt>
                <dd className="text-slate-700">{does}</dd>
              </div>
            ))}
          </dl>
          <h3 className="mt-4 text-sm font-semibold">Touch</h3>
          <p className="mt-1 text-sm text-slate-700">{guide.touch}</p>
          <h3 className="mt-4 text-sm font-semibold">A perfect run</h3>
          <p className="mt-1 text-sm text-slate-700">{guide.perfect}</p>
          <p className="mt-4 text-xs text-slate-600">
            Every run is checked by the server, which replays your moves from the same start: only
            the score it finds counts.
          </p>
        </section>

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
              : "Sign in to earn them; each pays once."}
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

function LeaderboardTable({
  board,
  isSignedIn,
}: {
  board: LoaderData["leaderboards"][number];
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

function SignInToPlay({ gameId, title }: { gameId: BuiltInGameId; title: string }) {
  const location = useLocation();
  const look = games[gameId].look;
  const redirectTo = `${location.pathname}${location.search}`;
  return (
    <section
      aria-label={`Play ${title}`}
      className="mx-auto flex w-full flex-col items-center justify-center gap-3 rounded-2xl border border-slate-200 bg-gradient-to-br from-brand-700 via-brand-600 to-sky-700 p-8 text-center text-white shadow-sm"
      style={stageSize(look)}
    >
      <p className="text-2xl font-bold">Sign in to play {title}</p>
      <p className="max-w-md text-brand-50">
        Every run is checked by the server, and achievements pay MICRO into your wallet.
      </p>
      <div className="flex flex-wrap justify-center gap-3">
        <Link
          to={`/signin?${new URLSearchParams({ redirectTo })}`}
          className="rounded-full bg-white px-5 py-2 font-semibold text-brand-800 hover:bg-brand-50"
        >
          Sign in to play
        </Link>
        <Link
          to="/signup"
          className="rounded-full border border-white px-5 py-2 font-semibold text-white hover:bg-white/10"
        >
          Create an account
        </Link>
      </div>
    </section>
  );
}

/** The stage keeps the game's shape and fits both the column and the screen's height. */
function stageSize(look: GameLook) {
  const ratio = look.width / look.height;
  return {
    aspectRatio: `${look.width} / ${look.height}`,
    width: `min(100%, ${look.width * 1.25}px, calc(76dvh * ${ratio.toFixed(4)}))`,
  };
}

async function readJson(response: Response): Promise<Record<string, unknown>> {
  try {
    return (await response.json()) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function verdictWords(verdict: RunVerdict): string {
  if (!verdict.ok) return `The server did not accept this run: ${verdict.reason}`;
  const earned = verdict.achievements.map((a) =>
    a.reward ? `${a.title} (${a.reward.text})` : a.title,
  );
  return [
    `Verified score: ${verdict.score.toLocaleString("en")}${verdict.perfect ? ", a perfect run" : ""}.`,
    earned.length ? `New achievements: ${earned.join(", ")}.` : "No new achievements this time.",
  ].join(" ");
}

const phaseWords: Record<GamePhase, string> = {
  menu: "Ready to play.",
  starting: "Getting your run ready…",
  playing: "Playing.",
  paused: "Paused.",
  checking: "Checking your run with the server…",
  results: "",
};

/** The game canvas, its page controls (pause, sound), and what the server said about the run. */
function GameStage({ gameId }: { gameId: BuiltInGameId }) {
  const { look, load } = games[gameId];
  const frame = useRef<HTMLDivElement>(null);
  const bridge = useRef<GameBridge | null>(null);
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  useEffect(() => {
    revalidate.current = revalidator.revalidate;
  });
  const [loadState, setLoadState] = useState<"loading" | "ready" | "failed">("loading");
  const [phase, setPhase] = useState<GamePhase>("menu");
  const [isSoundOn, setSoundOn] = useState(true);
  const [verdict, setVerdict] = useState<RunVerdict | null>(null);

  useEffect(() => {
    const parent = frame.current;
    if (!parent) return;
    let isCancelled = false;
    let running: RunningGame | null = null;
    const events = new GameBridge();
    bridge.current = events;
    setSoundOn(loadSoundPreference());
    events.on("phase-changed", ({ phase }) => setPhase(phase));
    events.on("sound-changed", ({ isOn }) => setSoundOn(isOn));
    events.on("interactive", () => setLoadState("ready"));
    events.on("run-requested", () => {
      setVerdict(null);
      void (async () => {
        try {
          const response = await fetch(`/games/${gameId}/runs`, {
            method: "POST",
            headers: { accept: "application/json" },
          });
          const body = await readJson(response);
          if (response.ok && typeof body.runId === "string" && typeof body.seed === "string") {
            events.emit("run-issued", {
              runId: body.runId,
              seed: body.seed,
              rulesVersion: Number(body.rulesVersion),
            });
          } else {
            events.emit("run-refused", {
              message: String(body.reason ?? "The server could not start a run. Try again."),
            });
          }
        } catch {
          events.emit("run-refused", {
            message: "Could not reach Tributary to start a run. Check your connection.",
          });
        }
      })();
    });
    events.on("run-finished", ({ runId, submission }) => {
      void (async () => {
        let answer: RunVerdict;
        try {
          const response = await fetch(`/games/runs/${encodeURIComponent(runId)}`, {
            method: "POST",
            headers: { "content-type": "application/json", accept: "application/json" },
            body: JSON.stringify(submission),
          });
          const body = await readJson(response);
          answer =
            body.ok === true
              ? {
                  ok: true,
                  runId,
                  score: Number(body.score),
                  perfect: body.perfect === true,
                  achievements: Array.isArray(body.achievements)
                    ? (body.achievements as Extract<RunVerdict, { ok: true }>["achievements"])
                    : [],
                }
              : {
                  ok: false,
                  runId,
                  code: String(body.code ?? response.status),
                  reason: String(body.reason ?? "The server could not check this run."),
                };
        } catch {
          answer = {
            ok: false,
            runId,
            code: "network",
            reason: "Could not reach Tributary to check this run.",
          };
        }
        if (isCancelled) return;
        setVerdict(answer);
        events.emit("run-verdict", answer);
        // Leaderboards, achievements and the header's balance follow the new run.
        if (answer.ok) revalidate.current();
      })();
    });
    load()
      .then((start) => {
        if (isCancelled) return;
        running = start(parent, events);
        parent.focus({ preventScroll: true });
      })
      .catch(() => {
        if (!isCancelled) setLoadState("failed");
      });
    return () => {
      isCancelled = true;
      running?.destroy();
      events.clear();
      bridge.current = null;
    };
  }, [gameId, load]);

  const isRunLive = phase === "playing" || phase === "paused";
  const refocus = () => frame.current?.focus({ preventScroll: true });
  const status =
    loadState === "loading"
      ? "Loading the game…"
      : loadState === "failed"
        ? "The game could not load. Reload the page to try again."
        : verdict && (phase === "results" || phase === "menu")
          ? verdictWords(verdict)
          : phaseWords[phase];

  return (
    <section aria-label={`Play ${look.title}`} className="flex flex-col items-center gap-3">
      <div
        ref={frame}
        tabIndex={0}
        role="application"
        aria-label={`${look.title}. ${look.controls.keyboard}. P pauses.`}
        aria-describedby="how-to-play"
        data-testid="game-frame"
        data-phase={phase}
        className="relative overflow-hidden rounded-2xl bg-slate-900 shadow-md ring-brand-700 outline-none focus-visible:ring-4"
        style={stageSize(look)}
      >
        {loadState !== "ready" ? (
          <p className="absolute inset-0 flex items-center justify-center p-4 text-center text-white">
            {loadState === "failed" ? "The game could not load." : "Loading the game…"}
          </p>
        ) : null}
      </div>
      <div className="flex w-full max-w-xl flex-wrap items-center justify-center gap-2">
        <button
          type="button"
          disabled={!isRunLive}
          onClick={() => {
            bridge.current?.emit("pause-requested", { isPaused: phase !== "paused" });
            if (phase === "paused") refocus();
          }}
          className="rounded-full border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50"
        >
          {phase === "paused" ? "Resume" : "Pause"}
        </button>
        <button
          type="button"
          disabled={!isRunLive}
          onClick={() => bridge.current?.emit("end-requested", {})}
          className="rounded-full border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50"
        >
          End run
        </button>
        <button
          type="button"
          aria-pressed={isSoundOn}
          onClick={() => {
            bridge.current?.emit("sound-requested", { isOn: !isSoundOn });
            refocus();
          }}
          className="rounded-full border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-50"
        >
          Sound {isSoundOn ? "on" : "off"}
        </button>
      </div>
      <p
        role="status"
        data-testid="game-status"
        className={`min-h-6 max-w-2xl text-center text-sm ${
          verdict && !verdict.ok && phase === "results" ? "text-red-800" : "text-slate-800"
        }`}
      >
        {status}
      </p>
    </section>
  );
}
