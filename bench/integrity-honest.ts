/**
 * The honest side of `npm run bench:integrity`: long-standing activated accounts (written
 * straight into the database, as a platform that has been running a year has them), and
 * newcomers who sign up through the door, each from an address of their own with their own
 * browser, verify their email, check in, post, like and comment on the established people's
 * posts, and play each game as a person does — in real time, with a human's slips. The
 * established people engage with them the way a community greets newcomers.
 */
import { hashPassword } from "#core/auth/password-hash.ts";
import { playRapidsRhythm, playRiverRun } from "#game/bots.ts";
import { playRun, type RunSeeds } from "#game/engine/replay.ts";
import { createRng } from "#game/engine/rng.ts";
import { rulesOf, type BuiltInGameId } from "#game/games.ts";
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
  revealSegment,
  type IssuedRun,
} from "./integrity-actions.ts";
import type { BrowserClient } from "./integrity-client.ts";
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

/** A person takes about 3 s a move in the puzzle (its animation alone takes ~0.6 s). */
const PUZZLE_SECONDS = 60;

/**
 * How a person plays, through the pure rules: River Run with a human hand and their own
 * reaction (30–34 ticks' lookahead), Rapids Rhythm with a human hand missing every ninth
 * note, Tide Tiles making some move that lines something up (not the first one found).
 */
function playLikeAPerson(gameId: BuiltInGameId, seeds: RunSeeds, person: number) {
  if (gameId === "river-run") return playRiverRun(seeds, 30 + (person % 5));
  if (gameId === "rapids-rhythm") return playRapidsRhythm(seeds, 0, 9);
  const rng = createRng(`puzzle:${String(seeds)}:${person}`);
  return playRun(tideTiles, seeds, (state) => {
    const moves: number[] = [];
    for (let code = 0; code < SIZE * SIZE * 2; code++) {
      const index = code >> 1;
      const other = code & 1 ? index + SIZE : index + 1;
      if (code & 1 ? index >= SIZE * (SIZE - 1) : index % SIZE === SIZE - 1) continue;
      const board = [...state.board];
      [board[index], board[other]] = [board[other]!, board[index]!];
      if (findMatches(board).size > 0) moves.push(code);
    }
    return state.movesLeft > 0 && moves.length ? [moves[rng.int(moves.length)]!] : [];
  });
}

/**
 * Plays a run as real time passes: when the play needs a segment's randomness, asks the
 * server for it (which answers only once real time has reached it), then submits when a
 * person would have finished.
 */
async function playInRealTime(
  scenario: Scenario,
  client: BrowserClient,
  gameId: BuiltInGameId,
  run: IssuedRun,
  startedAt: number,
  person: number,
) {
  const seeds = [run.seed];
  let played: ReturnType<typeof playLikeAPerson>;
  for (;;) {
    try {
      played = playLikeAPerson(gameId, run.segmentTicks ? seeds : run.seed, person);
      break;
    } catch (error) {
      const needsMore = /No seed for the segment/.test(String(error));
      if (!needsMore || seeds.length >= run.segmentCount) throw error;
    }
    seeds.push(await revealSegment(client, run.id, seeds.length));
  }
  const rules = rulesOf(gameId);
  const seconds =
    rules.ticksPerSecond > 0 ? played.result.ticks / rules.ticksPerSecond : PUZZLE_SECONDS;
  const wait = startedAt + seconds * 1000 + 1000 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const submitted = await submitRun(client, run.id, played.events, played.result.score);
  tally(scenario, `submitRun ${gameId}`, submitted);
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
        for (const postId of myPosts) {
          tally(scenario, "established likePost", await likePost(person.client, postId));
        }
        if (k < 3) tally(scenario, "established follow", await follow(person.client, account.id));
        if (k === 0) {
          const said = await createComment(
            person.client,
            myPosts[0]!,
            `Welcome, ${account.handle}!`,
          );
          tally(scenario, "established createComment", said);
        }
      }
      await readQuests(c);
    }),
  );

  // Each run played as real time passes and submitted when a person would have finished it.
  await Promise.all(
    newcomers.flatMap(({ account, runs }, person) =>
      runs.map(({ gameId, run, at }) =>
        playInRealTime(scenario, account.client, gameId, run, at, person),
      ),
    ),
  );
  scenario.note(
    `${newcomers.length} newcomers signed up; ${newcomers.reduce((n, c) => n + c.runs.length, 0)} game runs started`,
  );
  return { scenario, established };
}
