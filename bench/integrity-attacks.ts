/**
 * The scripted attackers of `npm run bench:integrity`. Each has one source address of its own
 * (the server sees it; nothing is spoofed), may clear its cookies between accounts, and prices
 * every action it attempts as a naive platform would pay it, including the actions of accounts
 * the platform refused to create (a naive platform would have let them in).
 */
import { builtInAchievements } from "#core/games/game-catalog.ts";
import { questCatalogue } from "#core/gamification/quests.ts";
import { gamificationKinds } from "#core/gamification/xp-table.ts";
import { playRapidsRhythm, playRiverRun, playTideTiles } from "#game/bots.ts";
import type { BuiltInGameId } from "#game/games.ts";
import {
  checkIn,
  createComment,
  createPost,
  follow,
  likePost,
  readQuests,
  startRun,
  submitRun,
  unfollow,
  unlikePost,
} from "./integrity-actions.ts";
import { Scenario } from "./integrity-tally.ts";
import { openAccount, tally, type Account, type World } from "./integrity-world.ts";

const QUEST_KIND = gamificationKinds.questReward;

/** Each attacker's one address: its own /24, so one attacker's limits do not hit another. */
const attackerAddress = (index: number) => `127.${20 + index}.0.1`;

async function openAccounts(
  world: World,
  scenario: Scenario,
  address: string,
  prefix: string,
  count: number,
): Promise<(Account | null)[]> {
  const accounts: (Account | null)[] = [];
  // One after another, as fast as the door answers: a script, not a crowd.
  for (let i = 0; i < count; i++) {
    const handle = `${prefix}${i}_${world.tag}`;
    accounts.push(
      await openAccount(world, scenario, address, handle, `${handle}@mail-${prefix}.example.com`),
    );
  }
  const opened = accounts.filter(Boolean).length;
  scenario.note(`opened ${opened} of ${count} accounts from ${address}`);
  return accounts;
}

async function postMany(scenario: Scenario, account: Account | null, count: number, tag: string) {
  const ids: (string | null)[] = [];
  for (let i = 0; i < count; i++) {
    if (!account) {
      ids.push(null);
      continue;
    }
    const post = await createPost(account.client, `${tag} post ${i} by ${account.handle}`);
    tally(scenario, "createPost", post);
    ids.push(post.id);
  }
  return ids;
}

/** Sign-up farm: many accounts from one address, the device cookie dropped each time. */
export async function signupFarm(world: World, index: number, count: number): Promise<Scenario> {
  const scenario = new Scenario(
    "signup_farm",
    `${count} sign-ups from one address (cookies dropped each time), each verifying its email and checking in`,
    ["account.welcome", "checkin.daily"],
    world.rules,
  );
  const address = attackerAddress(index);
  const kinds = ["gmail.com", "mailinator.com", "farm-mail.example.net"];
  let opened = 0;
  for (let i = 0; i < count; i++) {
    scenario.attempt("account.welcome");
    scenario.attempt("checkin.daily");
    const handle = `sf${i}_${world.tag}`;
    const domain = kinds[i % kinds.length]!;
    const email =
      domain === "gmail.com" ? `farmer.bench+${handle}@gmail.com` : `${handle}@${domain}`;
    const account = await openAccount(world, scenario, address, handle, email);
    if (!account) continue;
    opened++;
    tally(scenario, "checkIn", await checkIn(account.client));
  }
  scenario.note(`opened ${opened} of ${count} accounts from ${address}`);
  return scenario;
}

/** Like ring: a few accounts, each liking every post of every other. */
export async function likeRing(
  world: World,
  index: number,
  members: number,
  postsEach: number,
): Promise<Scenario> {
  const scenario = new Scenario(
    "like_ring",
    `${members} accounts post ${postsEach} each and like every post of every other member`,
    ["like.received", "like.given"],
    world.rules,
  );
  const accounts = await openAccounts(world, scenario, attackerAddress(index), "lr", members);
  const posts = await Promise.all(accounts.map((a) => postMany(scenario, a, postsEach, "ring")));
  await Promise.all(
    accounts.map(async (liker, l) => {
      for (let author = 0; author < members; author++) {
        if (author === l) continue;
        for (const postId of posts[author]!) {
          scenario.attempt("like.received");
          scenario.attempt("like.given");
          if (liker && postId) tally(scenario, "likePost", await likePost(liker.client, postId));
        }
      }
    }),
  );
  return scenario;
}

/** Sockpuppet farm: one main account, puppets that follow it, like and comment on its posts. */
export async function sockpuppetFarm(
  world: World,
  index: number,
  puppets: number,
  posts: number,
): Promise<Scenario> {
  const scenario = new Scenario(
    "sockpuppet_farm",
    `1 main account posts ${posts}; ${puppets} puppets each follow it, like every post and comment twice`,
    ["like.received", "like.given", "follow.received", "comment.created"],
    world.rules,
  );
  const accounts = await openAccounts(world, scenario, attackerAddress(index), "sp", puppets + 1);
  const main = accounts[0]!;
  const postIds = await postMany(scenario, main, posts, "main");
  await Promise.all(
    accounts.slice(1).map(async (puppet) => {
      scenario.attempt("follow.received");
      if (puppet && main) tally(scenario, "follow", await follow(puppet.client, main.id));
      for (const [i, postId] of postIds.entries()) {
        scenario.attempt("like.received");
        scenario.attempt("like.given");
        if (puppet && postId) tally(scenario, "likePost", await likePost(puppet.client, postId));
        if (i < 2) {
          scenario.attempt("comment.created");
          if (puppet && postId) {
            const said = await createComment(puppet.client, postId, `So true! (${puppet.handle})`);
            tally(scenario, "createComment", said);
          }
        }
      }
    }),
  );
  return scenario;
}

/** Like/unlike cycling: like, unlike, like again… on one post, ending liked. */
export async function likeCycling(world: World, index: number, cycles: number) {
  const scenario = new Scenario(
    "like_unlike_cycling",
    `one account likes and unlikes another's post ${cycles} times (ending liked)`,
    ["like.received", "like.given"],
    world.rules,
  );
  const [poster, cycler] = await openAccounts(world, scenario, attackerAddress(index), "lc", 2);
  const [postId] = await postMany(scenario, poster!, 1, "cycle");
  for (let i = 0; i < cycles; i++) {
    scenario.attempt("like.received");
    scenario.attempt("like.given");
    if (!cycler || !postId) continue;
    if (i > 0) tally(scenario, "unlikePost", await unlikePost(cycler.client, postId));
    tally(scenario, "likePost", await likePost(cycler.client, postId));
  }
  return scenario;
}

/** Follow/unfollow cycling on one account, ending followed. */
export async function followCycling(world: World, index: number, cycles: number) {
  const scenario = new Scenario(
    "follow_unfollow_cycling",
    `one account follows and unfollows another ${cycles} times (ending followed)`,
    ["follow.received"],
    world.rules,
  );
  const [target, cycler] = await openAccounts(world, scenario, attackerAddress(index), "fc", 2);
  for (let i = 0; i < cycles; i++) {
    scenario.attempt("follow.received");
    if (!cycler || !target) continue;
    if (i > 0) tally(scenario, "unfollow", await unfollow(cycler.client, target.id));
    tally(scenario, "follow", await follow(cycler.client, target.id));
  }
  return scenario;
}

/** Quest farming: like 10 posts, collect the quest, unlike all 10. */
export async function questFarming(world: World, index: number, farmers: number) {
  const quest = questCatalogue["like-10"]!;
  const goal = quest.goal.kind === "actions" ? quest.goal.target : 10;
  const scenario = new Scenario(
    "quest_farming",
    `${farmers} accounts each like ${goal} posts of an accomplice, collect the "${quest.title}" quest, then unlike all ${goal}`,
    [QUEST_KIND, "like.given", "like.received"],
    world.rules,
  );
  const accounts = await openAccounts(world, scenario, attackerAddress(index), "qf", farmers + 1);
  const postIds = await postMany(scenario, accounts[0]!, goal, "quest");
  let questOffered = false;
  await Promise.all(
    accounts.slice(1).map(async (farmer) => {
      scenario.attempt(QUEST_KIND, 1, quest.rewardShareThousandths);
      for (const postId of postIds) {
        scenario.attempt("like.given");
        scenario.attempt("like.received");
        if (farmer && postId) tally(scenario, "likePost", await likePost(farmer.client, postId));
      }
      if (!farmer) return;
      const quests = await readQuests(farmer.client);
      if (quests.some((q) => q.id === quest.id)) questOffered = true;
      for (const postId of postIds) {
        if (postId) tally(scenario, "unlikePost", await unlikePost(farmer.client, postId));
      }
      await readQuests(farmer.client);
    }),
  );
  if (!questOffered) scenario.note(`"${quest.id}" is not among this week's quests`);
  return scenario;
}

/** What a naive platform pays a run: every achievement its result reaches (not the streak). */
function naiveAchievementShares(
  gameId: BuiltInGameId,
  result: { score: number; perfect: boolean },
) {
  return builtInAchievements(gameId)
    .filter(
      (a) =>
        a.kind === "first_finish" ||
        (a.kind === "score_at_least" && a.threshold !== null && result.score >= a.threshold) ||
        (a.kind === "perfect_run" && result.perfect),
    )
    .map((a) => a.shareThousandths);
}

const bots: Record<BuiltInGameId, (seed: string) => ReturnType<typeof playTideTiles>> = {
  "river-run": (seed) => playRiverRun(seed),
  "tide-tiles": (seed) => playTideTiles(seed),
  "rapids-rhythm": (seed) => playRapidsRhythm(seed),
};

/** A bot that starts a run and submits the best run it can compute, at once. */
export async function instantBots(
  world: World,
  index: number,
  gameId: BuiltInGameId,
  accountsCount: number,
) {
  const scenario = new Scenario(
    `instant_bot_${gameId.replace(/-/g, "_")}`,
    `${accountsCount} fresh accounts each start a ${gameId} run and submit a computed run at once`,
    ["game.achievement"],
    world.rules,
  );
  const prefix = { "river-run": "br", "tide-tiles": "bt", "rapids-rhythm": "bh" }[gameId];
  const accounts = await openAccounts(
    world,
    scenario,
    attackerAddress(index),
    prefix,
    accountsCount,
  );
  const elapsed: number[] = [];
  for (const account of accounts) {
    if (!account) {
      // A naive platform: the run this account would have played (a perfect one, on a seed).
      for (const s of naiveAchievementShares(gameId, bots[gameId]("naive").result)) {
        scenario.attempt("game.achievement", 1, s);
      }
      continue;
    }
    const t0 = performance.now();
    const started = await startRun(account.client, gameId);
    tally(scenario, "startRun", started);
    if (!started.run) continue;
    const { events, result } = bots[gameId](started.run.seed);
    for (const s of naiveAchievementShares(gameId, result)) {
      scenario.attempt("game.achievement", 1, s);
    }
    const submitted = await submitRun(account.client, started.run.id, events, result.score);
    elapsed.push(performance.now() - t0);
    tally(scenario, "submitRun", submitted);
  }
  if (elapsed.length) {
    scenario.note(
      `submitted ${Math.round(Math.max(...elapsed))} ms or less after startRun (score of a computed run)`,
    );
  }
  return scenario;
}

/** The same action sent many times at once. */
export async function concurrentDuplicates(world: World, index: number, copies: number) {
  const scenario = new Scenario(
    "concurrent_duplicates",
    `${copies} simultaneous copies each of checkIn, likePost and follow`,
    ["checkin.daily", "like.given", "like.received", "follow.received"],
    world.rules,
  );
  const [author, duper] = await openAccounts(world, scenario, attackerAddress(index), "cd", 2);
  const [postId] = await postMany(scenario, author!, 1, "dup");
  scenario.attempt("checkin.daily", copies);
  scenario.attempt("like.given", copies);
  scenario.attempt("like.received", copies);
  scenario.attempt("follow.received", copies);
  if (!duper || !author || !postId) return scenario;
  const all = <T>(work: () => Promise<T>) => Promise.all(Array.from({ length: copies }, work));
  for (const outcome of await all(() => checkIn(duper.client))) tally(scenario, "checkIn", outcome);
  for (const outcome of await all(() => likePost(duper.client, postId))) {
    tally(scenario, "likePost", outcome);
  }
  for (const outcome of await all(() => follow(duper.client, author.id))) {
    tally(scenario, "follow", outcome);
  }
  return scenario;
}
