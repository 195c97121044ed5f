import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { requestRun, requestVerdict } from "#app/utils/run-submission.client.ts";
import type { BuiltInGameId } from "#game/games.ts";
import { GameBridge, type GamePhase, type RunVerdict } from "#game/shared/game-bridge.ts";
import { loadSoundPreference } from "#game/shared/sound.ts";
import type { RunningGame } from "#game/shared/start-game.ts";
import { gameScenes, stageSize } from "./game-scenes.ts";
import { requestSegment } from "./run-segments.client.ts";

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
export function GameStage({ gameId }: { gameId: BuiltInGameId }) {
  const { look, load } = gameScenes[gameId];
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
      void requestRun(gameId).then((answer) =>
        answer.isIssued
          ? events.emit("run-issued", answer.run)
          : events.emit("run-refused", { message: answer.message }),
      );
    });
    events.on("segment-requested", ({ runId, segment }) => {
      void requestSegment(runId, segment, () => isCancelled).then((revealed) => {
        if (revealed && !isCancelled) events.emit("segment-revealed", revealed);
      });
    });
    events.on("run-finished", ({ runId, submission }) => {
      void requestVerdict(runId, submission).then((answer) => {
        if (isCancelled) return;
        setVerdict(answer);
        events.emit("run-verdict", answer);
        // Leaderboards, achievements and the header's balance follow the new run.
        if (answer.ok) revalidate.current();
      });
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

  // A run starting keeps the whole playfield on screen (the page may have been scrolled).
  useEffect(() => {
    if (phase === "starting") frame.current?.scrollIntoView({ block: "nearest" });
  }, [phase]);

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
        className="game-backdrop relative overflow-hidden rounded-2xl shadow-md ring-brand-700 outline-none focus-visible:ring-4"
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
