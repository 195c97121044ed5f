import { Link, useLocation } from "@remix-run/react";
import type { BuiltInGameId } from "#game/games.ts";
import { gameScenes, stageSize } from "./game-scenes.ts";

/** Where the game would be, for a visitor: an invitation to sign in that comes back here. */
export function SignInToPlay({ gameId, title }: { gameId: BuiltInGameId; title: string }) {
  const location = useLocation();
  const look = gameScenes[gameId].look;
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
