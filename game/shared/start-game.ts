import Phaser from "phaser";
import { Boot } from "./boot.ts";
import type { GameBridge, GamePhase } from "./game-bridge.ts";
import { GameSession, type GameLook } from "./game-session.ts";
import { Menu } from "./menu.ts";
import { Over } from "./over.ts";

export type GameArt = {
  /** Draws every texture the game uses (nothing is downloaded). */
  makeTextures: (scene: Phaser.Scene) => void;
  /** The title screen's picture. */
  drawBackdrop: (scene: Phaser.Scene) => void;
};

export type RunningGame = { destroy: () => void };

/**
 * A read-only window on the running game for browser tests and curious players:
 * copies of the rules' state, never the state itself, so it can change nothing.
 */
export type GameTestHook = {
  gameId: string;
  phase: GamePhase;
  runId: string | null;
  tick: number;
  isPaused: boolean;
  /** Whether the game takes input now (not paused, counting down or animating a move). */
  acceptsInput: boolean;
  /** A JSON copy of the rules' state (without its random generator). */
  state: () => unknown;
  /** The moves or inputs recorded so far, copied. */
  events: () => [number, number][];
};

declare global {
  interface Window {
    __tributaryGame?: GameTestHook;
  }
}

/**
 * Keys the games read that a browser also uses to scroll the page (Space, the arrows).
 * While the game has focus they belong to the game; anywhere else they keep their usual
 * meaning (a form field, a button, the page).
 */
const SCROLLING_GAME_KEYS = new Set(["Space", "ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"]);

/**
 * Keeps the page still when the game's keys are pressed with the game focused. Listens on the
 * document, where the event arrives after Phaser has read it on `parent` (Phaser skips an
 * event that is already default-prevented), and only for keys typed into the game itself.
 */
function keepPageStillWhilePlaying(parent: HTMLElement): () => void {
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    if (!SCROLLING_GAME_KEYS.has(event.code)) return;
    if (!(event.target instanceof Node) || !parent.contains(event.target)) return;
    event.preventDefault();
  };
  const doc = parent.ownerDocument;
  doc.addEventListener("keydown", onKeyDown);
  return () => doc.removeEventListener("keydown", onKeyDown);
}

/**
 * Starts one game in `parent`: Boot → Menu → the game's play scene → Over, all talking to
 * the page only through `bridge`. Keyboard input is read from `parent` (focusable), so
 * keys typed elsewhere on the page never move the game, and the game's keys typed into it
 * never scroll the page.
 */
export function startGame(
  parent: HTMLElement,
  bridge: GameBridge,
  look: GameLook,
  art: GameArt,
  makePlayScene: (session: GameSession) => Phaser.Scene,
): RunningGame {
  const session = new GameSession(bridge, look);
  const releaseKeys = keepPageStillWhilePlaying(parent);
  const game = new Phaser.Game({
    type: Phaser.AUTO,
    parent,
    width: look.width,
    height: look.height,
    backgroundColor: look.colors.background,
    banner: false,
    audio: { noAudio: true },
    disableContextMenu: true,
    scale: { mode: Phaser.Scale.FIT, autoCenter: Phaser.Scale.CENTER_BOTH },
    input: { keyboard: { target: parent }, activePointers: 4 },
    render: { antialias: true },
    scene: [
      new Boot(art.makeTextures),
      new Menu(session, art.drawBackdrop),
      makePlayScene(session),
      new Over(session),
    ],
  });
  const copy = (value: unknown) =>
    JSON.parse(
      JSON.stringify(value, (key, v: unknown) => (key === "rng" ? undefined : v)),
    ) as unknown;
  window.__tributaryGame = {
    gameId: look.id,
    get phase() {
      return session.phase;
    },
    get runId() {
      return session.run?.runId ?? null;
    },
    get tick() {
      return session.driver?.tick ?? 0;
    },
    get isPaused() {
      return session.driver?.isPaused ?? false;
    },
    get acceptsInput() {
      return session.acceptsInput();
    },
    state: () => (session.driver ? copy(session.driver.state) : null),
    events: () => (session.driver ? (copy(session.driver.events) as [number, number][]) : []),
  };
  return {
    destroy() {
      if (window.__tributaryGame?.gameId === look.id) delete window.__tributaryGame;
      releaseKeys();
      session.close();
      game.destroy(true);
    },
  };
}
