/**
 * The honest side of `npm run bench:integrity`: long-standing activated accounts (written
 * straight into the database, as a platform that has been running a year has them), and
 * newcomers who sign up through the door, each from an address of their own with their own
 * browser, verify their email, check in, post, like and comment on the established people's
 * posts, and play each game as a person does — in real time, with a human's slips. The
 * established people engage with them the way a community greets newcomers.
 */
import { randomInt } from "node:crypto";
import { hashPassword } from "#core/auth/password-hash.ts";
import { playRiverRun } from "#game/bots.ts";
import { playRun } from "#game/engine/replay.ts";
import { rulesOf, type BuiltInGameId } from "#game/games.ts";
import { rapidsRhythm } from "#game/rapids-rhythm/rules/rapids-rhythm.ts";
import { findMatches, SIZE, tideTiles } from "#game/tide-tiles/rules/tide-tiles.ts";
import {
  checkIn,
  createComment,
  createPost,
  follow,
  likePost,
  readQuests,
  signIn,
  startRun,
  submitRun,
  type IssuedRun,
} from "./integrity-actions.ts";
import { Scenario } from "./integrity-tally.ts";
import {
  newClient,
  openAccount,
  PASSWORD,
  tally,
  type Account,
  type World,
} from "./integrity-world.ts";

const DAY_MS = 86_400_000;
const honestAddress = (i: number) => `127.${100 + i}.0.1`;
const establishedAddress = (j: number) => `127.${200 + j}.0.1`;

const firstNames = ["maya", "tomas", "ines", "kofi", "lena", "arjun", "sofia", "emeka", "yuki"];

/** How long a person takes over a run: the game's own time, or ~3 s a move in the puzzle. */
export const humanRunSeconds: Record<BuiltInGameId, number> = {
  "river-run": 120,
  "tide-tiles": 60,
  "rapids-rhythm": Math.ceil(rapidsRhythm.maxTicks / rapidsRhythm.ticksPerSecond),
};

/** Taps each note a few ticks early or late, and misses about one in twelve. */
function playLikeAPerson(gameId: BuiltInGameId, seed: string) {
  if (gameId === "river-run") return playRiverRun(seed, 30 + randomInt(5));
  if (gameId === "rapids-rhythm") {
    const offsets = new Map<number, number>();
    return playRun(rapidsRhythm, seed, (state, tick) => {
      const taps: number[] = [];
      state.notes.forEach((note, i) => {
        if (!offsets.has(i)) offsets.set(i, randomInt(12) === 0 ? 99 : randomInt(-4, 5));
        if (note.tick + offsets.get(i)! === tick) taps.push(note.lane);
      });
      return taps;
    });
  }
  // The puzzle: some move that lines something up, not the first one found.
  return playRun(tideTiles, seed, (state) => {
    const moves: number[] = [];
    for (let code = 0; code < SIZE * SIZE * 2; code++) {
      const index = code >> 1;
      const other = code & 1 ? index + SIZE : index + 1;
      if (code & 1 ? index >= SIZE * (SIZE - 1) : index % SIZE === SIZE - 1) continue;
      const board = [...state.board];
      [board[index], board[other]] = [board[other]!, board[index]!];
      if (findMatches(board).size > 0) moves.push(code);
    }
    return state.movesLeft > 0 && moves.length ? [moves[randomInt(moves.length)]!] : [];
  });
}

/** Long-standing activated accounts, created in the database a year ago, signed in through the door. */
export async function seedEstablished(world: World, count: number): Promise<Account[]> {
  const passwordHash = await hashPassword(PASSWORD);
  const yearAgo = new Date(Date.now() - 400 * DAY_MS);
  const accounts: Account[] = [];
  for (let j = 0; j < count; j++) {
    const handle = `est${j}_${world.tag}`;
    const email = `${handle}@established.example.org`;
    await world.db
      .insertInto("users")
      .values({
        handle,
        email,
        display_name: `Established ${j}`,
        password_hash: passwordHash,
        created_at: yearAgo,
        email_verified_at: yearAgo,
        activated_at: yearAgo,
      })
      .execute();
    const client = newClient(world, establishedAddress(j));
    const signedIn = await signIn(client, { email, password: PASSWORD });
    if (!signedIn.ok || !signedIn.id) {
      throw new Error(`established ${handle} could not sign in: ${signedIn.message}`);
    }
    accounts.push({ id: signedIn.id, handle, email, client });
  }
  return accounts;
}

type Newcomer = { account: Account; runs: { gameId: BuiltInGameId; run: IssuedRun; at: number }[] };

export type HonestResult = { scenario: Scenario; established: Account[] };

/**
 * Newcomers and the community around them. Game runs start first and are submitted once a
 * person would have finished them, while the rest of the session goes on.
 */
export async function honestUsers(
  world: World,
  newcomersCount: number,
  establishedCount: number,
  riverRunners: number,
): Promise<HonestResult> {
  const scenario = new Scenario(
    "honest",
    `${newcomersCount} newcomers (own address and browser each) with ${establishedCount} established accounts around them`,
    [],
    world.rules,
  );
  const established = await seedEstablished(world, establishedCount);
  const establishedPosts: string[] = [];
  for (const person of established) {
    const post = await createPost(person.client, `Morning on the river, says ${person.handle}`);
    if (post.id) establishedPosts.push(post.id);
  }

  const newcomers: Newcomer[] = [];
  await Promise.all(
    Array.from({ length: newcomersCount }, async (_, i) => {
      const name = firstNames[i % firstNames.length]!;
      const handle = `${name}${i}_${world.tag}`;
      const account = await openAccount(
        world,
        scenario,
        honestAddress(i),
        handle,
        `${name}.${i}.${world.tag}@fastmail.com`,
      );
      if (!account) return;
      const games: BuiltInGameId[] =
        i < riverRunners
          ? ["tide-tiles", "rapids-rhythm", "river-run"]
          : ["tide-tiles", "rapids-rhythm"];
      const runs: Newcomer["runs"] = [];
      for (const gameId of games) {
        const started = await startRun(account.client, gameId);
        tally(scenario, "startRun", started);
        if (started.run) runs.push({ gameId, run: started.run, at: Date.now() });
      }
      newcomers.push({ account, runs });
    }),
  );

  // The social part of their first session, and the community answering it.
  await Promise.all(
    newcomers.map(async ({ account }, i) => {
      const c = account.client;
      tally(scenario, "checkIn", await checkIn(c));
      const myPosts: string[] = [];
      for (let p = 0; p < 3; p++) {
        const post = await createPost(c, `Hello from ${account.handle}, note ${p + 1}`);
        tally(scenario, "createPost", post);
        if (post.id) myPosts.push(post.id);
      }
      for (let k = 0; k < 3; k++) {
        const postId = establishedPosts[(i + k) % establishedPosts.length]!;
        tally(scenario, "likePost", await likePost(c, postId));
        if (k < 2) tally(scenario, "createComment", await createComment(c, postId, "Lovely!"));
      }
      for (let k = 0; k < 2; k++) {
        tally(scenario, "follow", await follow(c, established[(i + k) % established.length]!.id));
      }
      // Four established people like each post; three follow; one comments.
      for (let k = 0; k < 4; k++) {
        const person = established[(i + k) % established.length]!;
        for (const postId of myPosts) await likePost(person.client, postId);
        if (k < 3) await follow(person.client, account.id);
        if (k === 0) await createComment(person.client, myPosts[0]!, `Welcome, ${account.handle}!`);
      }
      await readQuests(c);
    }),
  );

  // Each run submitted when a person would have finished it.
  await Promise.all(
    newcomers.flatMap(({ account, runs }) =>
      runs.map(async ({ gameId, run, at }) => {
        const played = playLikeAPerson(gameId, run.seed);
        // A timed run lasts as long as it was played (a crash ends it early); a puzzle ~3 s a move.
        const seconds =
          gameId === "tide-tiles"
            ? humanRunSeconds[gameId]
            : played.result.ticks / rulesOf(gameId).ticksPerSecond;
        const wait = at + seconds * 1000 + 1500 - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const submitted = await submitRun(
          account.client,
          run.id,
          played.events,
          played.result.score,
        );
        tally(scenario, `submitRun ${gameId}`, submitted);
      }),
    ),
  );
  scenario.note(
    `${newcomers.length} newcomers signed up; ${newcomers.reduce((n, c) => n + c.runs.length, 0)} game runs started`,
  );
  return { scenario, established };
}
