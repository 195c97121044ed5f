import { hashPassword } from "#core/auth/password-hash.ts";
import { createRewardEvents } from "#core/rewards/reward-events.ts";
import { createComment } from "#core/social/comments.ts";
import { follow } from "#core/social/follows.ts";
import { like } from "#core/social/likes.ts";
import { report } from "#core/social/moderation.ts";
import { createPost, repost } from "#core/social/posts.ts";
import type { SocialServices } from "#core/social/social-services.ts";
import type { Post } from "#core/social/social-types.ts";
import { DEMO_PASSWORD } from "./demo-users.ts";
import type { SeedContext } from "./seed-demo-data.ts";
import { claimSeedStep } from "./seed-claim.ts";
import { insertDemoUserUnlessPresent, listDemoUsers } from "./demo.repository.ts";

/** More people, so the feeds feel alive; same password as the other demo accounts. */
export const demoSocialUsers = [
  { handle: "lin", displayName: "Lin Wei", bio: "Bakes bread, builds budgets. #savings" },
  { handle: "noor", displayName: "Noor Haddad", bio: "Speedrunner. Tile puzzles at midnight." },
  { handle: "sam", displayName: "Sam Okafor", bio: "Photos of rivers. Tributaries, mostly." },
  { handle: "tomas", displayName: "Tomás Ruiz", bio: "New here — say hi!" },
] as const;

// No links: they take trust level 1, which takes days of activity, and every demo account
// starts on the day the demo is seeded (at trust level 0).
const posts: { by: string; body: string }[] = [
  {
    by: "ada",
    body: "Welcome to Tributary! Every like, comment and follow here earns a little. #welcome",
  },
  {
    by: "grace",
    body: "Linked my wallet and claimed my first MICRO on chain today. Small, but mine. #settlement",
  },
  { by: "kofi", body: "Morning run done, check-in done, coffee next. #streak #coffee" },
  {
    by: "mei",
    body: "Made a budget sheet for micro rewards. Ask me and I'll share a copy. #savings",
  },
  { by: "lin", body: "Sourdough day 3. The starter has a name now: Penny. #baking" },
  { by: "noor", body: "New personal best on the tile puzzle. @kofi your move. #games" },
  { by: "sam", body: "The river at dawn, where three streams meet. Fitting, right? #photography" },
  { by: "tomas", body: "Hello Tributary! First post. What should I follow? #welcome" },
  {
    by: "grace",
    body: "Tip: rewards stay pending for a day, so an accidental like can still be undone. #tips",
  },
  {
    by: "ada",
    body: "Reading the ledger rules: every base unit accounted for, nothing paid twice. #transparency",
  },
  { by: "mei", body: "@lin that bread looks amazing. Recipe please? #baking" },
  { by: "kofi", body: "Coffee count this week: 9. Reward count: considerably more. #coffee" },
];

const follows: [string, string][] = [
  ["grace", "ada"],
  ["kofi", "ada"],
  ["mei", "ada"],
  ["lin", "mei"],
  ["mei", "lin"],
  ["noor", "kofi"],
  ["kofi", "noor"],
  ["sam", "grace"],
  ["tomas", "ada"],
  ["tomas", "sam"],
  ["ada", "grace"],
  ["ada", "mei"],
  ["grace", "kofi"],
  ["lin", "sam"],
  ["noor", "ada"],
];

/** Posts, follows, likes, comments, a repost and one open report for the moderators. */
export async function seedDemoSocial({ db, rewards }: SeedContext): Promise<void> {
  // Creating posts is not idempotent.
  if (!(await claimSeedStep(db, "social:demo-social:claimed"))) return;

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const user of demoSocialUsers) {
    await insertDemoUserUnlessPresent(db, {
      handle: user.handle,
      email: `${user.handle}@demo.tributary.test`,
      displayName: user.displayName,
      bio: user.bio,
      passwordHash,
      isAdmin: false,
      createdAt: new Date(Date.now() - 45 * 24 * 60 * 60 * 1000),
    });
  }
  const rows = await listDemoUsers(db);
  const id = (handle: string) => {
    const row = rows.find((r) => r.handle === handle);
    if (!row) throw new Error(`demo social: no demo user @${handle}`);
    return row.id;
  };
  const deps: SocialServices = { db, rewards, rewardEvents: createRewardEvents() };
  const must = <T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }) => {
    if (!result.ok) throw new Error(`demo social: ${result.error.message}`);
    return result.value;
  };

  for (const [follower, followee] of follows) must(await follow(deps, id(follower), id(followee)));
  const created: Post[] = [];
  for (const p of posts)
    created.push(must(await createPost(deps, id(p.by), { body: p.body })).post);
  const handles = rows.map((r) => r.handle);
  // Likes: each post liked by a few people (everyone but its author, spread by index).
  for (const [i, post] of created.entries()) {
    const likers = handles.filter((h, j) => id(h) !== post.authorId && (i + j) % 3 !== 0);
    for (const liker of likers.slice(0, 2 + (i % 5))) {
      must(await like(deps, id(liker), { kind: "post", id: post.id }));
    }
  }
  const welcome = created[7]!;
  const first = must(
    await createComment(deps, id("ada"), {
      postId: welcome.id,
      body: "Welcome, Tomás! Try #games and follow @sam for river photos.",
    }),
  );
  must(
    await createComment(deps, id("tomas"), {
      postId: welcome.id,
      parentId: first.comment.id,
      body: "Thanks Ada, following now!",
    }),
  );
  must(
    await createComment(deps, id("lin"), {
      postId: created[10]!.id,
      body: "Flour, water, salt, patience. Mostly patience.",
    }),
  );
  must(await repost(deps, id("kofi"), created[1]!.id));
  must(
    await report(
      db,
      id("grace"),
      { kind: "post", id: created[11]!.id },
      "Demo report: is this an ad for coffee?",
    ),
  );
}
