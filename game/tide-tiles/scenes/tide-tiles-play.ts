import Phaser from "phaser";
import type { RunResult } from "../../engine/game-rules.ts";
import type { RunDriverOptions } from "../../engine/run-driver.ts";
import type { GameSession } from "../../shared/game-session.ts";
import { PlayScene } from "../../shared/play-scene.ts";
import { formatScore, textStyle, uiScale } from "../../shared/ui.ts";
import {
  findMatches,
  MOVES,
  moveCode,
  SIZE,
  tideTiles,
  type TideTilesState,
} from "../rules/tide-tiles.ts";
import {
  BOARD_X,
  BOARD_Y,
  CELL,
  cellCentre,
  drawBoardWell,
  TILE_SCALE,
  tileKey,
} from "./tide-tiles-art.ts";
import { WIDTH } from "./tide-tiles-look.ts";

type Cell = { row: number; col: number };

const POP_MS = 160;

const sameCell = (a: Cell, b: Cell) => a.row === b.row && a.col === b.col;
const areNeighbours = (a: Cell, b: Cell) => Math.abs(a.row - b.row) + Math.abs(a.col - b.col) === 1;
const indexOf = (cell: Cell) => cell.row * SIZE + cell.col;

/** The rules' move code for swapping two neighbouring cells. */
function codeFor(a: Cell, b: Cell): number {
  if (a.row === b.row) return moveCode(a.row, Math.min(a.col, b.col), "right");
  return moveCode(Math.min(a.row, b.row), a.col, "down");
}

/** Whether swapping makes a line: checked on a copy, since the rules change their state as they step. */
function makesLine(board: readonly number[], a: Cell, b: Cell): boolean {
  const copy = [...board];
  const [i, j] = [indexOf(a), indexOf(b)];
  [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  return findMatches(copy).size > 0;
}

/**
 * Tide Tiles: every move is one turn of the rules, stepped at once; the scene then plays
 * the swap, the clear and the fall from the board before and after. Mouse and touch drag
 * or tap two neighbours; the keyboard moves a cursor, Enter picks a tile, an arrow swaps.
 */
export class TideTilesPlay extends PlayScene<TideTilesState> {
  protected readonly rules = tideTiles;
  private tiles: Phaser.GameObjects.Image[] = [];
  private marks!: Phaser.GameObjects.Graphics;
  private scoreText!: Phaser.GameObjects.Text;
  private movesText!: Phaser.GameObjects.Text;
  private cascadeText!: Phaser.GameObjects.Text;
  private pips!: Phaser.GameObjects.Graphics;
  private sparkles!: Phaser.GameObjects.Particles.ParticleEmitter;
  private selected: Cell | null = null;
  private cursor: Cell = { row: 0, col: 0 };
  private isCursorShown = false;
  private dragFrom: Cell | null = null;
  private isAnimating = false;
  private shownScore = 0;

  constructor(session: GameSession) {
    super(session, "TideTilesPlay");
  }

  protected override driverOptions(): RunDriverOptions<TideTilesState> {
    return {
      isLegalMove: (state, action) => {
        const index = action >> 1;
        const from = { row: Math.floor(index / SIZE), col: index % SIZE };
        const to =
          action & 1 ? { row: from.row + 1, col: from.col } : { row: from.row, col: from.col + 1 };
        return to.row < SIZE && to.col < SIZE && makesLine(state.board, from, to);
      },
    };
  }

  protected buildWorld() {
    this.selected = null;
    this.dragFrom = null;
    this.isAnimating = false;
    this.isCursorShown = false;
    this.cursor = { row: 0, col: 0 };
    this.shownScore = 0;
    this.add.image(0, 0, "tt-sea").setOrigin(0);
    drawBoardWell(this);
    this.tiles = [];
    for (let i = 0; i < SIZE * SIZE; i++) {
      const { x, y } = cellCentre(Math.floor(i / SIZE), i % SIZE);
      this.tiles.push(this.add.image(x, y, tileKey(0)).setScale(TILE_SCALE).setVisible(false));
    }
    this.marks = this.add.graphics().setDepth(5);
    this.sparkles = this.add
      .particles(0, 0, "spark", {
        speed: { min: 60, max: 200 },
        lifespan: 420,
        scale: { start: 0.6, end: 0 },
        tint: [0xffffff, 0xbae6fd, 0xfef08a],
        emitting: false,
      })
      .setDepth(6);

    // The header hides tiles while they fall in from above the board.
    const header = this.add.graphics().setDepth(10);
    header.fillStyle(0x0b4a60, 1);
    header.fillRect(0, 0, WIDTH, BOARD_Y - 12);
    header.fillStyle(0x000000, 0.18);
    header.fillRect(0, BOARD_Y - 14, WIDTH, 4);
    const k = uiScale(this, 1.45);
    this.add.text(28, 16, "Score", textStyle(15 * k, "#bfe3ee")).setDepth(11);
    this.scoreText = this.add
      .text(28, 18 + 18 * k, "0", textStyle(40 * k, "#ffffff", { weight: "bold" }))
      .setDepth(11);
    this.add
      .text(WIDTH - 28, 16, "Moves left", textStyle(15 * k, "#bfe3ee"))
      .setOrigin(1, 0)
      .setDepth(11);
    this.movesText = this.add
      .text(
        WIDTH - 28,
        18 + 18 * k,
        String(MOVES),
        textStyle(40 * k, "#ffffff", { weight: "bold" }),
      )
      .setOrigin(1, 0)
      .setDepth(11);
    this.pips = this.add.graphics().setDepth(11);
    this.cascadeText = this.add
      .text(WIDTH / 2, 34, "", textStyle(15 * k, "#bfe3ee", { align: "center" }))
      .setOrigin(0.5, 0)
      .setDepth(11);
    this.add
      .text(
        WIDTH / 2,
        BOARD_Y + CELL * SIZE + 22,
        this.sys.game.device.input.touch
          ? "Drag a tile onto a neighbour, or tap two"
          : "Drag a tile onto a neighbour · or arrows and Enter",
        textStyle(15 * k, "#bfe3ee", { align: "center" }),
      )
      .setOrigin(0.5, 0);
  }

  protected bindControls() {
    this.input.keyboard?.on("keydown", (event: KeyboardEvent) => {
      const step: Record<string, [number, number]> = {
        ArrowUp: [-1, 0],
        ArrowDown: [1, 0],
        ArrowLeft: [0, -1],
        ArrowRight: [0, 1],
      };
      const direction = step[event.code];
      if (direction) {
        event.preventDefault();
        if (!this.isAcceptingInput) return;
        this.isCursorShown = true;
        const target = {
          row: Phaser.Math.Clamp(this.cursor.row + direction[0], 0, SIZE - 1),
          col: Phaser.Math.Clamp(this.cursor.col + direction[1], 0, SIZE - 1),
        };
        if (this.selected) {
          const from = this.selected;
          this.selected = null;
          if (!sameCell(target, from)) this.trySwap(from, target);
        } else {
          this.cursor = target;
        }
      } else if (event.code === "Enter" || event.code === "Space") {
        event.preventDefault();
        if (!this.isAcceptingInput || this.isPaused) return;
        this.isCursorShown = true;
        this.toggleSelection(this.cursor);
      }
    });

    this.input.on("pointerdown", (pointer: Phaser.Input.Pointer) => {
      const cell = this.cellAt(pointer.x, pointer.y);
      if (!cell || !this.isAcceptingInput) return;
      this.isCursorShown = false;
      this.cursor = cell;
      if (this.selected && areNeighbours(this.selected, cell)) {
        const from = this.selected;
        this.selected = null;
        this.trySwap(from, cell);
        return;
      }
      this.toggleSelection(cell);
      this.dragFrom = cell;
    });
    this.input.on("pointermove", (pointer: Phaser.Input.Pointer) => {
      if (!this.dragFrom || !pointer.isDown) return;
      const dx = pointer.x - pointer.downX;
      const dy = pointer.y - pointer.downY;
      if (Math.max(Math.abs(dx), Math.abs(dy)) < CELL * 0.4) return;
      const from = this.dragFrom;
      this.dragFrom = null;
      const to =
        Math.abs(dx) > Math.abs(dy)
          ? { row: from.row, col: from.col + Math.sign(dx) }
          : { row: from.row + Math.sign(dy), col: from.col };
      if (to.row < 0 || to.col < 0 || to.row >= SIZE || to.col >= SIZE) return;
      this.selected = null;
      this.trySwap(from, to);
    });
    this.input.on("pointerup", () => {
      this.dragFrom = null;
    });
  }

  protected override isSettled() {
    return !this.isAnimating;
  }

  protected override get isAcceptingInput() {
    return super.isAcceptingInput && !this.isAnimating;
  }

  private toggleSelection(cell: Cell) {
    if (this.selected && sameCell(this.selected, cell)) {
      this.selected = null;
    } else {
      this.selected = cell;
      this.session.synth.play("select");
    }
  }

  private cellAt(x: number, y: number): Cell | null {
    const col = Math.floor((x - BOARD_X) / CELL);
    const row = Math.floor((y - BOARD_Y) / CELL);
    return row >= 0 && col >= 0 && row < SIZE && col < SIZE ? { row, col } : null;
  }

  private trySwap(a: Cell, b: Cell) {
    const driver = this.driver;
    if (!driver || !this.isAcceptingInput) return;
    const before = [...driver.state.board];
    if (!makesLine(before, a, b)) {
      this.session.synth.play("invalid");
      this.wiggle(a, b);
      return;
    }
    const scoreBefore = driver.state.score;
    if (!this.sendMove(codeFor(a, b))) return;
    this.session.synth.play("swap");
    this.cursor = b;
    this.animateMove(a, b, before, driver.state.score - scoreBefore);
  }

  /** A swap that makes no line: the two tiles nudge towards each other and settle back. */
  private wiggle(a: Cell, b: Cell) {
    this.isAnimating = true;
    const ta = this.tiles[indexOf(a)]!;
    const tb = this.tiles[indexOf(b)]!;
    const dx = ((b.col - a.col) * CELL) / 4;
    const dy = ((b.row - a.row) * CELL) / 4;
    this.tweens.add({ targets: ta, x: ta.x + dx, y: ta.y + dy, duration: 70, yoyo: true });
    this.tweens.add({
      targets: tb,
      x: tb.x - dx,
      y: tb.y - dy,
      duration: 70,
      yoyo: true,
      onComplete: () => {
        this.isAnimating = false;
      },
    });
  }

  private animateMove(a: Cell, b: Cell, before: number[], gained: number) {
    const state = this.driver!.state;
    this.isAnimating = true;
    const ia = indexOf(a);
    const ib = indexOf(b);
    const swapped = [...before];
    [swapped[ia], swapped[ib]] = [swapped[ib]!, swapped[ia]!];
    const ta = this.tiles[ia]!;
    const tb = this.tiles[ib]!;
    this.tweens.add({ targets: ta, x: tb.x, y: tb.y, duration: 140, ease: "Sine.easeInOut" });
    this.tweens.add({
      targets: tb,
      x: ta.x,
      y: ta.y,
      duration: 140,
      ease: "Sine.easeInOut",
      onComplete: () => {
        this.tiles[ia] = tb;
        this.tiles[ib] = ta;
        this.clearFirstWave(swapped, state, gained, a, b);
      },
    });
  }

  private clearFirstWave(
    swapped: number[],
    state: Readonly<TideTilesState>,
    gained: number,
    a: Cell,
    b: Cell,
  ) {
    const waves = state.lastWaves;
    const first = new Set(waves[0] ?? []);
    this.session.synth.play("match", 0);
    for (const i of first) {
      const { x, y } = cellCentre(Math.floor(i / SIZE), i % SIZE);
      this.sparkles.explode(4, x, y);
      this.tweens.add({ targets: this.tiles[i]!, scale: 0, alpha: 0, duration: 170 });
    }
    const mid = cellCentre((a.row + b.row) / 2, (a.col + b.col) / 2);
    this.floatText(`+${gained}`, mid.x, mid.y);
    this.time.delayedCall(180, () => this.dropIn(swapped, first, state));
  }

  /** Survivors fall onto the gaps and new tiles wash in from above, column by column. */
  private dropIn(swapped: number[], cleared: Set<number>, state: Readonly<TideTilesState>) {
    const next: Phaser.GameObjects.Image[] = new Array(SIZE * SIZE);
    let longest = 0;
    for (let col = 0; col < SIZE; col++) {
      let write = SIZE - 1;
      const gone: Phaser.GameObjects.Image[] = [];
      for (let row = SIZE - 1; row >= 0; row--) {
        const i = row * SIZE + col;
        const tile = this.tiles[i]!;
        if (cleared.has(i)) {
          gone.push(tile);
          continue;
        }
        next[write * SIZE + col] = tile;
        this.fall(tile, write, write - row, swapped[i]!);
        longest = Math.max(longest, write - row);
        write--;
      }
      // Refills take their kinds from the board after the move; further waves show next.
      gone.forEach((tile, k) => {
        const row = write - k;
        const start = -1 - k;
        tile.setPosition(cellCentre(start, col).x, cellCentre(start, col).y);
        tile.setScale(TILE_SCALE).setAlpha(1);
        next[row * SIZE + col] = tile;
        this.fall(tile, row, row - start, state.board[row * SIZE + col]!);
        longest = Math.max(longest, row - start);
      });
    }
    this.tiles = next;
    const fallMs = 100 + longest * 40;
    this.time.delayedCall(fallMs + 20, () => this.showCascades(state, 1));
  }

  private fall(tile: Phaser.GameObjects.Image, row: number, rows: number, kind: number) {
    tile.setTexture(tileKey(kind)).setData("kind", kind);
    if (rows <= 0) return;
    this.tweens.add({
      targets: tile,
      y: cellCentre(row, 0).y,
      duration: 100 + rows * 40,
      ease: "Bounce.easeOut",
    });
  }

  private showCascades(state: Readonly<TideTilesState>, wave: number) {
    const waves = state.lastWaves;
    if (wave < waves.length) {
      this.session.synth.play("match", wave);
      for (const i of waves[wave]!) {
        const { x, y } = cellCentre(Math.floor(i / SIZE), i % SIZE);
        this.sparkles.explode(3, x, y);
      }
      this.cascadeBanner(`Cascade ×${wave + 1}!`);
      this.time.delayedCall(230, () => this.showCascades(state, wave + 1));
      return;
    }
    // After cascades (or a reshuffle) the board settles on exactly what the rules hold.
    const isChanging = this.syncBoard(state.board, true);
    if (isChanging) this.time.delayedCall(POP_MS + 20, () => (this.isAnimating = false));
    else this.isAnimating = false;
  }

  /** Shows exactly the rules' board; true when some tiles pop in to get there. */
  private syncBoard(board: readonly number[], isAnimated: boolean): boolean {
    let isChanging = false;
    for (let i = 0; i < SIZE * SIZE; i++) {
      const tile = this.tiles[i]!;
      const { x, y } = cellCentre(Math.floor(i / SIZE), i % SIZE);
      const kind = board[i]!;
      const changed = tile.getData("kind") !== kind;
      tile
        .setPosition(x, y)
        .setAlpha(1)
        .setVisible(true)
        .setTexture(tileKey(kind))
        .setData("kind", kind);
      if (changed && isAnimated) {
        isChanging = true;
        tile.setScale(0);
        this.tweens.add({
          targets: tile,
          scale: TILE_SCALE,
          duration: POP_MS,
          ease: "Back.easeOut",
        });
      } else {
        tile.setScale(TILE_SCALE);
      }
    }
    return isChanging;
  }

  protected drawState(state: Readonly<TideTilesState>) {
    if (this.tiles[0] && !this.tiles[0].visible) this.syncBoard(state.board, false);
    if (this.driver?.isOver) this.shownScore = state.score;
    if (this.shownScore !== state.score) {
      this.shownScore += Math.max(1, Math.ceil((state.score - this.shownScore) / 6));
      if (this.shownScore > state.score) this.shownScore = state.score;
    }
    this.scoreText.setText(formatScore(this.shownScore));
    this.movesText.setText(String(state.movesLeft));
    this.cascadeText.setText(
      state.movesMade > 0 ? `Cascades ${state.cascadingMoves} of ${state.movesMade}` : "",
    );
    this.pips.clear();
    const pipsWidth = MOVES * 12;
    for (let i = 0; i < MOVES; i++) {
      this.pips.fillStyle(0xffffff, i < state.movesLeft ? 0.9 : 0.18);
      this.pips.fillCircle(WIDTH / 2 - pipsWidth / 2 + i * 12 + 6, 92, 4);
    }
    this.marks.clear();
    if (this.selected) {
      const { x, y } = cellCentre(this.selected.row, this.selected.col);
      this.marks.lineStyle(5, 0xfde047, 1);
      this.marks.strokeRoundedRect(x - CELL / 2 + 1, y - CELL / 2 + 1, CELL - 2, CELL - 2, 12);
    }
    if (this.isCursorShown && !this.isAnimating) {
      const { x, y } = cellCentre(this.cursor.row, this.cursor.col);
      this.marks.lineStyle(3, 0xffffff, 0.95);
      this.marks.strokeRoundedRect(x - CELL / 2 + 4, y - CELL / 2 + 4, CELL - 8, CELL - 8, 10);
    }
  }

  protected headline(_result: RunResult, state: Readonly<TideTilesState>) {
    return state.movesLeft === 0 ? "Out of moves" : `Ended after ${state.movesMade} moves`;
  }

  private floatText(text: string, x: number, y: number) {
    const label = this.add
      .text(x, y, text, {
        ...textStyle(26, "#ffffff", { weight: "bold" }),
        stroke: "#0b4a60",
        strokeThickness: 5,
      })
      .setOrigin(0.5)
      .setDepth(8);
    this.tweens.add({
      targets: label,
      y: y - 50,
      alpha: 0,
      duration: 800,
      onComplete: () => label.destroy(),
    });
  }

  private cascadeBanner(text: string) {
    const label = this.add
      .text(WIDTH / 2, BOARD_Y + (CELL * SIZE) / 2, text, {
        ...textStyle(40, "#fde047", { weight: "bold" }),
        stroke: "#0b4a60",
        strokeThickness: 7,
      })
      .setOrigin(0.5)
      .setDepth(9)
      .setScale(0.6);
    this.tweens.add({ targets: label, scale: 1, duration: 180, ease: "Back.easeOut" });
    this.tweens.add({
      targets: label,
      alpha: 0,
      delay: 500,
      duration: 300,
      onComplete: () => label.destroy(),
    });
  }
}
