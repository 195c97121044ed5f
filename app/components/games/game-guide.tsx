import type { BuiltInGameId } from "#game/games.ts";

export type GameGuide = {
  summary: string;
  steps: string[];
  keys: [keys: string, does: string][];
  touch: string;
  perfect: string;
};

/** How each game plays, in words: the page shows them beside the game, for everyone. */
export const gameGuides: Record<BuiltInGameId, GameGuide> = {
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

/** The "How to play" card: the rules, the keys, touch, and what a perfect run is. */
export function HowToPlay({ guide }: { guide: GameGuide }) {
  return (
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
        Every run is checked by the server, which replays your moves from the same start: only the
        score it finds counts.
      </p>
    </section>
  );
}
