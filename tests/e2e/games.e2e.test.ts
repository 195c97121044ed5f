import fs from "node:fs";
import type { BrowserContextOptions, Page, Request } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { replayRun } from "#game/engine/replay.ts";
import { rulesOf, type BuiltInGameId } from "#game/games.ts";
import { findMatches, SIZE } from "#game/tide-tiles/rules/tide-tiles.ts";
import { browserSuite, browserSuiteCanRun } from "#tests/support/browser.ts";
import { createUser } from "#tests/support/factories.ts";
import {
  expectNoHorizontalScroll,
  expectNoSeriousAxeViolations,
  phoneViewport,
  saveScreenshot,
  waitForHydration,
} from "#tests/support/page-checks.ts";

const desktop = { width: 1280, height: 900 };
const phone: BrowserContextOptions = { viewport: phoneViewport, hasTouch: true, isMobile: true };
/** Game sizes in canvas pixels, to turn a spot in the game into a spot on the page. */
const canvasSize: Record<BuiltInGameId, { width: number; height: number }> = {
  "river-run": { width: 800, height: 450 },
  "tide-tiles": { width: 600, height: 720 },
  "rapids-rhythm": { width: 480, height: 720 },
};
/** Where Tide Tiles draws its board (tide-tiles-art.ts). */
const board = { x: 36, y: 128, cell: 66 };
const recordedDir = new URL("../games/recorded/", import.meta.url);
/** `RECORD_BROWSER_RUNS=1` rewrites tests/games/recorded/browser-<game>.json from this run. */
const isRecording = process.env.RECORD_BROWSER_RUNS === "1";

type Hook = {
  phase: string;
  tick: number;
  acceptsInput: boolean;
  runId: string | null;
  state: () => unknown;
  events: () => [number, number][];
};
type Submission = { inputs: [number, number][]; claimedScore: number; endedAtTick?: number };

async function hook<T>(page: Page, read: (game: Hook) => T): Promise<T> {
  return page.evaluate(`(${read.toString()})(window.__tributaryGame)`) as Promise<T>;
}

const waitForPhase = (page: Page, phase: string, timeout = 30_000) =>
  page.waitForFunction((want) => window.__tributaryGame?.phase === want, phase, { timeout });

const waitForInput = (page: Page) =>
  page.waitForFunction(() => window.__tributaryGame?.acceptsInput === true, null, {
    timeout: 30_000,
  });

/** A spot in the game's own coordinates, on the page (the canvas is scaled to fit). */
async function spot(page: Page, game: BuiltInGameId, x: number, y: number) {
  const box = (await page.getByTestId("game-frame").boundingBox())!;
  const size = canvasSize[game];
  const scale = Math.min(box.width / size.width, box.height / size.height);
  return {
    x: box.x + (box.width - size.width * scale) / 2 + x * scale,
    y: box.y + (box.height - size.height * scale) / 2 + y * scale,
  };
}

/** The first swap that lines something up (the same search the test bot makes). */
function findMove(tiles: number[]): { row: number; col: number; isDown: boolean } {
  for (let i = 0; i < SIZE * SIZE; i++) {
    for (const isDown of [false, true]) {
      const row = Math.floor(i / SIZE);
      const col = i % SIZE;
      if (isDown ? row === SIZE - 1 : col === SIZE - 1) continue;
      const j = isDown ? i + SIZE : i + 1;
      const swapped = [...tiles];
      [swapped[i], swapped[j]] = [swapped[j]!, swapped[i]!];
      if (findMatches(swapped).size > 0) return { row, col, isDown };
    }
  }
  throw new Error("no move on the board");
}

/** Taps each note's lane as its tick comes (the page's own clock, read every frame). */
async function tapOnTheBeat(
  page: Page,
  notes: [tick: number, lane: number][],
  tap: (lane: number, index: number) => Promise<void>,
) {
  for (const [i, [tick, lane]] of notes.entries()) {
    await page.waitForFunction((due) => (window.__tributaryGame?.tick ?? 0) >= due, tick - 1, {
      polling: "raf",
      timeout: 30_000,
    });
    await tap(lane, i);
  }
}

const cellCentre = (row: number, col: number) => ({
  x: board.x + col * board.cell + board.cell / 2,
  y: board.y + row * board.cell + board.cell / 2,
});

describe.skipIf(!browserSuiteCanRun())(
  "the games in a real browser (Chromium)",
  { timeout: 180_000 },
  () => {
    const suite = browserSuite(desktop);
    // A game left running keeps drawing at 60 frames a second: close each test's pages.
    const pages: Page[] = [];
    afterEach(async () => {
      for (const page of pages.splice(0))
        await page
          .context()
          .close()
          .catch(() => {});
    });
    async function newPage(options: BrowserContextOptions = {}) {
      const page = await suite.newPage(options);
      pages.push(page);
      return page;
    }

    /** A fresh player (past the new-account review), signed in through the form. */
    async function signedInPage(options: BrowserContextOptions = {}) {
      const { user, password } = await createUser(suite.server.db);
      await suite.server.db
        .updateTable("users")
        .set({ created_at: new Date(Date.now() - 60 * 86_400_000) })
        .where("id", "=", user.id)
        .execute();
      const page = await newPage(options);
      const problems: string[] = [];
      page.on("pageerror", (error) => problems.push(error.message));
      page.on("console", (message) => {
        if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
          problems.push(message.text());
        }
      });
      await page.goto(`${suite.server.url}/signin`);
      await waitForHydration(page);
      await page.getByLabel("Email", { exact: true }).fill(user.email);
      await page.getByLabel("Password", { exact: true }).fill(password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => url.pathname === "/");
      return { page, user, problems };
    }

    /** Opens a game's page and waits for its first interactive frame; keeps what the page submits. */
    async function openGame(page: Page, game: BuiltInGameId) {
      const submissions: Submission[] = [];
      page.on("request", (request: Request) => {
        if (
          request.method() === "POST" &&
          /\/games\/runs\/[^/]+$/.test(new URL(request.url()).pathname)
        ) {
          submissions.push(JSON.parse(request.postData() ?? "null") as Submission);
        }
      });
      await page.goto(`${suite.server.url}/games/${game}`);
      await waitForHydration(page);
      await page.waitForFunction(
        () => performance.getEntriesByName("game-interactive").length > 0,
        null,
        {
          timeout: 30_000,
        },
      );
      return submissions;
    }

    async function pendingRewards(userId: UserId) {
      return suite.server.db
        .selectFrom("rewards")
        .select(["status", "action_kind", "amount"])
        .where("user_id", "=", userId)
        .where("action_kind", "=", "game.achievement")
        .execute();
    }

    /**
     * After a run: the results say what the server verified, the run is verified in the
     * database with that score, "First finish" is earned and listed, the wallet shows a
     * pending reward, and the run's log replays to the same result (and is recorded).
     */
    async function expectVerifiedFirstRun(
      page: Page,
      game: BuiltInGameId,
      userId: UserId,
      submissions: Submission[],
    ) {
      await waitForPhase(page, "results", 60_000);
      const status = page.getByTestId("game-status");
      await expect.poll(() => status.innerText()).toMatch(/^Verified score: [\d,]+/);
      const run = await suite.server.db
        .selectFrom("game_runs")
        .selectAll()
        .where("user_id", "=", userId)
        .where("game_id", "=", game)
        .executeTakeFirstOrThrow();
      expect(run.status).toBe("verified");
      const text = await status.innerText();
      expect(text).toContain(`Verified score: ${run.score!.toLocaleString("en")}`);
      expect(text).toMatch(/New achievements: First finish \(\+[\d.]+ MICRO pending\)/);

      expect(submissions).toHaveLength(1);
      const submitted = submissions[0]!;
      expect(submitted.claimedScore).toBe(run.score);
      const rules = rulesOf(game);
      // The server's own seed derives every segment the page fetched while playing.
      const replayed = replayRun(rules, run.seed, submitted.inputs, {
        endedAtTick: submitted.endedAtTick,
      });
      expect(replayed).toEqual({
        ok: true,
        result: { score: run.score, perfect: run.perfect, ticks: run.ticks },
      });
      if (isRecording) {
        const recorded = {
          game,
          rulesVersion: run.rules_version,
          seed: run.seed,
          result: { score: run.score, perfect: run.perfect, ticks: run.ticks },
          ...(submitted.endedAtTick === undefined ? {} : { endedAtTick: submitted.endedAtTick }),
          events: submitted.inputs,
        };
        fs.writeFileSync(
          new URL(`browser-${game}.json`, recordedDir),
          `${JSON.stringify(recorded)}\n`,
        );
      }

      // The page revalidates: the achievement is listed as earned, the wallet shows it pending.
      await page
        .getByTestId("achievements")
        .getByRole("listitem")
        .filter({ hasText: "First finish" })
        // The date it was earned ("Earned 7 Dec"), not what it paid ("Earned 0.01 MICRO").
        .getByText(/^Earned \d{1,2} [A-Z][a-z]{2}/)
        .waitFor();
      await expect
        .poll(() => page.getByRole("banner").getByTestId("header-balance").innerText())
        .toMatch(/\+[\d.]+ pending/);
      const rewards = await pendingRewards(userId);
      expect(rewards.length).toBeGreaterThanOrEqual(1);
      expect(rewards.every((r) => r.status === "held")).toBe(true);
      await expect
        .poll(() => page.getByTestId("own-rank-day").innerText())
        .toMatch(/^Your best today: #\d+ with [\d,]+\.$/);
    }

    it("River Run: Space jumps, a rock ends the run, and the server's verified score, First finish and a pending reward follow", async () => {
      const { page, user, problems } = await signedInPage();
      const submissions = await openGame(page, "river-run");
      await saveScreenshot(page, "games-river-run-1280-start");
      await page.getByTestId("game-frame").focus();
      await page.keyboard.press("Enter");
      await waitForInput(page);
      await page.waitForTimeout(400);
      await page.keyboard.press("Space");
      await page.waitForFunction(() => (window.__tributaryGame?.events().length ?? 0) > 0);
      await page.waitForTimeout(150);
      await saveScreenshot(page, "games-river-run-1280-play");
      // Pausing stops the clock: no tick passes while paused.
      await page.keyboard.press("KeyP");
      await waitForPhase(page, "paused");
      const pausedAt = await hook(page, (game) => game.tick);
      await page.waitForTimeout(400);
      expect(await hook(page, (game) => game.tick)).toBe(pausedAt);
      await page.getByRole("button", { name: "Resume" }).click();
      await waitForPhase(page, "playing");
      await expectVerifiedFirstRun(page, "river-run", user.id, submissions);
      await saveScreenshot(page, "games-river-run-1280-results");
      await expectNoSeriousAxeViolations(page);
      expect(problems).toEqual([]);
    });

    it("Tide Tiles: moves by mouse drag and by keyboard cursor and Enter, then End run, verified by the server", async () => {
      const { page, user, problems } = await signedInPage();
      const submissions = await openGame(page, "tide-tiles");
      await saveScreenshot(page, "games-tide-tiles-1280-start");
      await page.getByTestId("game-frame").focus();
      await page.keyboard.press("Enter");
      let cursor = { row: 0, col: 0 };
      for (let made = 0; made < 8; made++) {
        await waitForInput(page);
        const tiles = await hook(page, (game) => (game.state() as { board: number[] }).board);
        const move = findMove(tiles);
        const to = { row: move.row + (move.isDown ? 1 : 0), col: move.col + (move.isDown ? 0 : 1) };
        if (made % 4 === 0) {
          const from = await spot(
            page,
            "tide-tiles",
            cellCentre(move.row, move.col).x,
            cellCentre(move.row, move.col).y,
          );
          const target = await spot(
            page,
            "tide-tiles",
            cellCentre(to.row, to.col).x,
            cellCentre(to.row, to.col).y,
          );
          await page.mouse.move(from.x, from.y);
          await page.mouse.down();
          await page.mouse.move(target.x, target.y, { steps: 4 });
          await page.mouse.up();
        } else {
          const keys: string[] = [];
          for (; cursor.row < move.row; cursor.row++) keys.push("ArrowDown");
          for (; cursor.row > move.row; cursor.row--) keys.push("ArrowUp");
          for (; cursor.col < move.col; cursor.col++) keys.push("ArrowRight");
          for (; cursor.col > move.col; cursor.col--) keys.push("ArrowLeft");
          for (const key of [...keys, "Enter", move.isDown ? "ArrowDown" : "ArrowRight"]) {
            await page.keyboard.press(key);
          }
        }
        cursor = to;
        await page.waitForFunction((n) => (window.__tributaryGame?.events().length ?? 0) > n, made);
        if (made === 6) await saveScreenshot(page, "games-tide-tiles-1280-play");
      }
      await waitForInput(page);
      await page.getByRole("button", { name: "End run" }).click();
      await expectVerifiedFirstRun(page, "tide-tiles", user.id, submissions);
      expect(submissions[0]!.inputs).toHaveLength(8);
      await saveScreenshot(page, "games-tide-tiles-1280-results");
      expect(problems).toEqual([]);
    });

    it("Rapids Rhythm: D F J K on the beat past the first segment (fetched while playing), then End run; the run ends where it stopped, as the server replays it", async () => {
      const { page, user, problems } = await signedInPage();
      const submissions = await openGame(page, "rapids-rhythm");
      await saveScreenshot(page, "games-rapids-rhythm-1280-start");
      await page.getByTestId("game-frame").focus();
      await page.keyboard.press("Enter");
      await waitForInput(page);
      const notes = await hook(page, (game) =>
        (game.state() as { notes: { tick: number; lane: number }[] }).notes.map(
          (n): [number, number] => [n.tick, n.lane],
        ),
      );
      const keys = ["KeyD", "KeyF", "KeyJ", "KeyK"];
      const segments: { url: string; status: number }[] = [];
      page.on("response", (response) => {
        if (/\/games\/runs\/[^/]+\/segments\/\d+$/.test(new URL(response.url()).pathname)) {
          segments.push({ url: response.url(), status: response.status() });
        }
      });
      await tapOnTheBeat(page, notes.slice(0, 16), async (lane, i) => {
        await page.keyboard.press(keys[lane]!);
        if (i === 9) await saveScreenshot(page, "games-rapids-rhythm-1280-play");
      });
      // Play on past the first 10 s segment: the page fetched segment 1 on its way, and the
      // notes it charts arrived before they were due.
      await page.waitForFunction(() => (window.__tributaryGame?.tick ?? 0) > 700, null, {
        polling: "raf",
        timeout: 30_000,
      });
      expect(segments.some((s) => s.url.endsWith("/segments/1") && s.status === 200)).toBe(true);
      const charted = await hook(
        page,
        (game) => (game.state() as { notes: { tick: number }[] }).notes.at(-1)!.tick,
      );
      expect(charted).toBeGreaterThan(1200);
      await page.getByRole("button", { name: "End run" }).click();
      await expectVerifiedFirstRun(page, "rapids-rhythm", user.id, submissions);
      const played = submissions[0]!.inputs;
      expect(played.length).toBeGreaterThanOrEqual(10);
      // Most taps landed on their notes (the timing of a loaded machine is not a player's).
      const run = await suite.server.db
        .selectFrom("game_runs")
        .select("score")
        .where("user_id", "=", user.id)
        .executeTakeFirstOrThrow();
      expect(run.score).toBeGreaterThan(0);
      await saveScreenshot(page, "games-rapids-rhythm-1280-results");
      expect(problems).toEqual([]);
    });

    it("Rapids Rhythm: Space and the arrows typed into the game never scroll the page, the playfield stays in view, and elsewhere Space still works", async () => {
      const { page, problems } = await signedInPage();
      await openGame(page, "rapids-rhythm");
      const scrollY = () => page.evaluate(() => window.scrollY);
      // The page is taller than the window, and Space typed into the page itself scrolls it.
      expect(
        await page.evaluate(() => document.documentElement.scrollHeight > window.innerHeight),
      ).toBe(true);
      await page.evaluate(() => {
        (document.activeElement as HTMLElement | null)?.blur();
        window.scrollTo(0, 0);
      });
      await page.keyboard.press("Space");
      await expect.poll(scrollY).toBeGreaterThan(0);
      await page.evaluate(() => window.scrollTo(0, 0));

      await page.getByTestId("game-frame").focus();
      await page.keyboard.press("Enter");
      await waitForInput(page);
      const before = await scrollY();
      for (const key of [
        "Space",
        "Space",
        "ArrowDown",
        "Space",
        "ArrowUp",
        "Space",
        "ArrowRight",
      ]) {
        await page.keyboard.press(key);
        await page.waitForTimeout(60);
      }
      await page.waitForTimeout(300);
      expect(await scrollY()).toBe(before);
      expect(await hook(page, (game) => game.phase)).toBe("playing");
      const frame = (await page.getByTestId("game-frame").boundingBox())!;
      expect(frame.y).toBeGreaterThanOrEqual(0);
      // (a pixel's leeway: the stage's height is fractional)
      expect(frame.y + frame.height).toBeLessThanOrEqual(desktop.height + 1);

      // Not swallowed outside the game: Space on the page's Sound button still presses it.
      const sound = page.getByRole("button", { name: /^Sound (on|off)$/ });
      const wasOn = await sound.getAttribute("aria-pressed");
      await sound.focus();
      await page.keyboard.press("Space");
      await expect.poll(() => sound.getAttribute("aria-pressed")).not.toBe(wasOn);
      expect(problems).toEqual([]);
    });

    it("River Run: mashing jump (Space, ↑, W, clicks) through the end of a run keeps the results on screen; Enter or R then plays again", async () => {
      const { page, problems } = await signedInPage();
      await openGame(page, "river-run");
      await page.getByTestId("game-frame").focus();
      await page.keyboard.press("Enter");
      await waitForInput(page);
      const runId = await hook(page, (game) => game.runId);
      expect(runId).not.toBeNull();
      // No jumps: the first rock ends the run. From the crash on, mash every jump control,
      // through the check and for a while after the server's answer shows.
      await page.waitForFunction(
        () => (window.__tributaryGame?.state() as { crashed?: boolean } | null)?.crashed === true,
        null,
        { timeout: 60_000 },
      );
      const corner = await spot(page, "river-run", 120, 120);
      const jumps = ["Space", "ArrowUp", "KeyW", "Space"];
      let resultsSince: number | null = null;
      for (let i = 0; i < 2_000; i++) {
        await page.keyboard.press(jumps[i % jumps.length]!);
        if (i % 5 === 4) await page.mouse.click(corner.x, corner.y);
        await page.waitForTimeout(40);
        const phase = await hook(page, (game) => game.phase);
        if (phase === "results" && resultsSince === null) resultsSince = Date.now();
        if (resultsSince !== null && Date.now() - resultsSince > 2_500) break;
        if (phase !== "results") {
          expect(await hook(page, (game) => game.runId)).toBe(runId);
        }
      }
      expect(resultsSince).not.toBeNull();
      expect(await hook(page, (game) => ({ phase: game.phase, runId: game.runId }))).toEqual({
        phase: "results",
        runId,
      });
      await expect
        .poll(() => page.getByTestId("game-status").innerText())
        .toMatch(/^Verified score/);
      await saveScreenshot(page, "games-river-run-1280-results-after-mashing");

      await page.keyboard.press("KeyR");
      await page.waitForFunction(
        (first) => {
          const game = window.__tributaryGame;
          return game !== undefined && game.runId !== null && game.runId !== first;
        },
        runId,
        { timeout: 30_000 },
      );
      expect(problems).toEqual([]);
    });

    it("a tampered submission (claimed score + 1) is refused by the server with its reason, and earns nothing", async () => {
      const { page, user } = await signedInPage();
      await openGame(page, "river-run");
      await page.route("**/games/runs/*", async (route) => {
        const body = JSON.parse(route.request().postData() ?? "{}") as Submission;
        await route.continue({
          postData: JSON.stringify({ ...body, claimedScore: body.claimedScore + 1 }),
        });
      });
      await page.getByTestId("game-frame").focus();
      await page.keyboard.press("Enter");
      await waitForPhase(page, "results", 60_000);
      const run = await suite.server.db
        .selectFrom("game_runs")
        .selectAll()
        .where("user_id", "=", user.id)
        .executeTakeFirstOrThrow();
      expect(run).toMatchObject({ status: "rejected", rejection_code: "score_mismatch" });
      const expected = replayRun(rulesOf("river-run"), run.seed, []);
      if (!expected.ok) throw new Error("an empty River Run log replays");
      await expect
        .poll(() => page.getByTestId("game-status").innerText())
        .toBe(
          `The server did not accept this run: The run replays to ${expected.result.score} points, not the ${expected.result.score + 1} claimed.`,
        );
      expect(await pendingRewards(user.id)).toEqual([]);
      const earned = await suite.server.db
        .selectFrom("user_achievements")
        .select("achievement_id")
        .where("user_id", "=", user.id)
        .execute();
      expect(earned).toEqual([]);

      // The routes themselves: a cross-site post, a body too large, a signed-out caller.
      const start = await page.request.post(`${suite.server.url}/games/river-run/runs`, {
        headers: { origin: "https://evil.example" },
      });
      expect(start.status()).toBe(403);
      const issued = await page.evaluate(async () => {
        const response = await fetch("/games/river-run/runs", { method: "POST" });
        return (await response.json()) as { runId: string; seed: string };
      });
      const huge = await page.evaluate(async (runId) => {
        const response = await fetch(`/games/runs/${runId}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            inputs: Array.from({ length: 40_000 }, (_, i) => [i, 0]),
            claimedScore: 0,
          }),
        });
        return { status: response.status, body: (await response.json()) as { code: string } };
      }, issued.runId);
      expect(huge).toEqual({ status: 413, body: expect.objectContaining({ code: "too_large" }) });
      const signedOut = await fetch(`${suite.server.url}/games/runs/${issued.runId}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ inputs: [], claimedScore: 0 }),
      });
      expect(signedOut.status).toBe(401);
    });

    it("signed out: the page, how to play and the leaderboards show with an invitation to sign in, and no game code loads", async () => {
      const page = await newPage();
      // Bodies are read as promises and awaited where they are checked: a body still being
      // read when the page navigates or closes is not there any more (null), and must not
      // become an unhandled rejection.
      let pending: Promise<{ url: string; bytes: number } | null>[] = [];
      page.on("response", (response) => {
        if (response.request().resourceType() === "script") {
          pending.push(
            response.body().then(
              (body) => ({ url: response.url(), bytes: body.length }),
              () => null,
            ),
          );
        }
      });
      await page.goto(`${suite.server.url}/games/rapids-rhythm`);
      await waitForHydration(page);
      await page.getByRole("heading", { level: 1, name: "Rapids Rhythm" }).waitFor();
      await page.getByRole("heading", { name: "How to play" }).waitFor();
      await page.getByRole("table", { name: "Today" }).waitFor();
      await page.getByRole("table", { name: "This week" }).waitFor();
      const invite = page.getByRole("link", { name: "Sign in to play" });
      expect(await invite.getAttribute("href")).toBe(
        `/signin?${new URLSearchParams({ redirectTo: "/games/rapids-rhythm" })}`,
      );
      expect(await page.locator("canvas").count()).toBe(0);
      await expectNoSeriousAxeViolations(page);

      // The feed never downloads Phaser or any scene: its scripts stay small.
      pending = [];
      await page.goto(`${suite.server.url}/feed`);
      await waitForHydration(page);
      await page.waitForLoadState("networkidle");
      const scripts = (await Promise.all(pending)).filter((s) => s !== null);
      expect(scripts.some((s) => /start-(river-run|tide-tiles|rapids-rhythm)/.test(s.url))).toBe(
        false,
      );
      expect(Math.max(...scripts.map((s) => s.bytes))).toBeLessThan(500_000);
      const unknown = await page.goto(`${suite.server.url}/games/no-such-game`);
      expect(unknown?.status()).toBe(404);
    });

    describe("at phone width, with touch", () => {
      it("River Run: tap to start, tap to jump; the page fits the screen and passes axe", async () => {
        const { page, user, problems } = await signedInPage(phone);
        const submissions = await openGame(page, "river-run");
        await expectNoHorizontalScroll(page);
        const frame = (await page.getByTestId("game-frame").boundingBox())!;
        expect(frame.width).toBeLessThanOrEqual(phoneViewport.width);
        await saveScreenshot(page, "games-river-run-390-start");
        await expectNoSeriousAxeViolations(page);
        const middle = await spot(page, "river-run", 400, 200);
        await page.touchscreen.tap(middle.x, middle.y);
        await waitForInput(page);
        await page.waitForTimeout(300);
        await page.touchscreen.tap(middle.x, middle.y);
        await page.waitForFunction(() => (window.__tributaryGame?.events().length ?? 0) > 0);
        await saveScreenshot(page, "games-river-run-390-play");
        await waitForPhase(page, "results", 60_000);
        await expect
          .poll(() => page.getByTestId("game-status").innerText())
          .toMatch(/^Verified score/);
        expect(submissions[0]!.inputs.length).toBeGreaterThan(0);
        expect(await pendingRewards(user.id)).not.toEqual([]);
        await saveScreenshot(page, "games-river-run-390-results");
        expect(problems).toEqual([]);
      });

      it("Tide Tiles: tap one tile and then its neighbour to swap", async () => {
        const { page, problems } = await signedInPage(phone);
        const submissions = await openGame(page, "tide-tiles");
        await expectNoHorizontalScroll(page);
        await saveScreenshot(page, "games-tide-tiles-390-start");
        const middle = await spot(page, "tide-tiles", 300, 360);
        await page.touchscreen.tap(middle.x, middle.y);
        for (let made = 0; made < 3; made++) {
          await waitForInput(page);
          const tiles = await hook(page, (game) => (game.state() as { board: number[] }).board);
          const move = findMove(tiles);
          const first = cellCentre(move.row, move.col);
          const second = cellCentre(
            move.row + (move.isDown ? 1 : 0),
            move.col + (move.isDown ? 0 : 1),
          );
          const a = await spot(page, "tide-tiles", first.x, first.y);
          const b = await spot(page, "tide-tiles", second.x, second.y);
          await page.touchscreen.tap(a.x, a.y);
          await page.touchscreen.tap(b.x, b.y);
          await page.waitForFunction(
            (n) => (window.__tributaryGame?.events().length ?? 0) > n,
            made,
          );
        }
        await saveScreenshot(page, "games-tide-tiles-390-play");
        await page.getByRole("button", { name: "End run" }).click();
        await waitForPhase(page, "results", 60_000);
        await expect
          .poll(() => page.getByTestId("game-status").innerText())
          .toMatch(/^Verified score/);
        expect(submissions[0]!.inputs).toHaveLength(3);
        await saveScreenshot(page, "games-tide-tiles-390-results");
        expect(problems).toEqual([]);
      });

      it("Rapids Rhythm: the four lanes are touch buttons", async () => {
        const { page, problems } = await signedInPage(phone);
        const submissions = await openGame(page, "rapids-rhythm");
        await expectNoHorizontalScroll(page);
        await saveScreenshot(page, "games-rapids-rhythm-390-start");
        const middle = await spot(page, "rapids-rhythm", 240, 360);
        await page.touchscreen.tap(middle.x, middle.y);
        await waitForInput(page);
        const notes = await hook(page, (game) =>
          (game.state() as { notes: { tick: number; lane: number }[] }).notes.map(
            (n): [number, number] => [n.tick, n.lane],
          ),
        );
        const lanes = await Promise.all(
          [0, 1, 2, 3].map((lane) => spot(page, "rapids-rhythm", 40 + lane * 100 + 50, 640)),
        );
        await tapOnTheBeat(page, notes.slice(0, 6), async (lane) => {
          await page.touchscreen.tap(lanes[lane]!.x, lanes[lane]!.y);
        });
        await saveScreenshot(page, "games-rapids-rhythm-390-play");
        await page.getByRole("button", { name: "End run" }).click();
        await waitForPhase(page, "results", 60_000);
        await expect
          .poll(() => page.getByTestId("game-status").innerText())
          .toMatch(/^Verified score/);
        const lanesTapped = new Set(submissions[0]!.inputs.map(([, lane]) => lane));
        expect(lanesTapped.size).toBeGreaterThan(1);
        await saveScreenshot(page, "games-rapids-rhythm-390-results");
        expect(problems).toEqual([]);
      });
    });
  },
);
