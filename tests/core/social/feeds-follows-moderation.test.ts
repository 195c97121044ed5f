import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { verifyLedger } from "#core/ledger/verify-ledger.ts";
import { discoverFeed, followingFeed, hashtagFeed, profileFeed } from "#core/social/feeds.ts";
import { follow, listConnections, mute, unfollow } from "#core/social/follows.ts";
import { like } from "#core/social/likes.ts";
import { decideReport, getReportsByIds, listOpenReports, report } from "#core/social/moderation.ts";
import { createPost } from "#core/social/posts.ts";
import type { SocialServices } from "#core/social/social-services.ts";
import type { Post } from "#core/social/social-types.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";
import { person, rewardStatus, socialServices } from "./social-support.ts";

describe.each(testBackends())("feeds, follows and moderation on %s", (backend) => {
  let testDb: TestDb;
  let deps: SocialServices;
  beforeAll(async () => {
    testDb = await openTestDb(backend, { poolSize: 20 });
    deps = socialServices(testDb.db);
  });
  afterAll(async () => {
    const report = await verifyLedger(testDb.db);
    expect(report.violations).toEqual([]);
    await testDb.close();
  });

  async function post(authorId: UserId, body: string): Promise<Post> {
    const created = await createPost(deps, authorId, { body });
    if (!created.ok) throw new Error(created.error.message);
    return created.value.post;
  }

  async function allPages(
    load: (after: string | null) => ReturnType<typeof followingFeed>,
  ): Promise<Post[]> {
    const seen: Post[] = [];
    let after: string | null = null;
    for (let i = 0; i < 50; i++) {
      const page = await load(after);
      if (!page.ok) throw new Error(page.error.message);
      seen.push(...page.value.items);
      after = page.value.nextCursor;
      if (!after) break;
    }
    return seen;
  }

  it("following pays the followee once, counts both ways, and cannot target oneself or nobody", async () => {
    const ada = await person(testDb.db, "Ada");
    const bob = await person(testDb.db, "Bob");
    const first = await follow(deps, bob.id, ada.id);
    expect(first.ok && first.value).toMatchObject({ following: true, followerCount: 1 });
    expect(first.ok && first.value.reward).toMatchObject({
      actionKind: "follow.received",
      status: "held",
      memo: "Bob followed you",
    });
    const again = await follow(deps, bob.id, ada.id);
    expect(again.ok && again.value.followerCount).toBe(1);
    const counts = await testDb.db
      .selectFrom("users")
      .select(["id", "follower_count", "following_count"])
      .where("id", "in", [ada.id, bob.id])
      .execute();
    expect(
      Object.fromEntries(counts.map((c) => [c.id, [c.follower_count, c.following_count]])),
    ).toEqual({
      [ada.id]: [1, 0],
      [bob.id]: [0, 1],
    });
    const self = await follow(deps, ada.id, ada.id);
    expect(!self.ok && self.error.code).toBe("self_action");
    const nobody = await follow(deps, ada.id, "00000000-0000-4000-8000-000000000000" as UserId);
    expect(!nobody.ok && nobody.error.code).toBe("not_found");

    await unfollow(deps, bob.id, ada.id);
    expect(await rewardStatus(testDb.db, `follow.received:${ada.id}:${bob.id}`)).toBe("reversed");
    const refollow = await follow(deps, bob.id, ada.id);
    expect(refollow.ok && refollow.value.reward).toMatchObject({
      status: "reversed",
      isReplay: true,
    });
    const followers = await listConnections(testDb.db, ada.id, "followers", { limit: 10 });
    expect(followers.items).toEqual([bob.id]);
  });

  it("two people following each other at the same moment both land", async () => {
    const ada = await person(testDb.db);
    const bob = await person(testDb.db);
    const results = await Promise.all([follow(deps, ada.id, bob.id), follow(deps, bob.id, ada.id)]);
    expect(results.every((r) => r.ok)).toBe(true);
    const counts = await testDb.db
      .selectFrom("users")
      .select(["follower_count", "following_count"])
      .where("id", "in", [ada.id, bob.id])
      .execute();
    expect(counts).toEqual([
      { follower_count: 1, following_count: 1 },
      { follower_count: 1, following_count: 1 },
    ]);
  });

  it("the Following feed shows followees' posts and one's own, newest first, paged without gaps or repeats", async () => {
    const reader = await person(testDb.db);
    const ada = await person(testDb.db);
    const stranger = await person(testDb.db);
    await follow(deps, reader.id, ada.id);
    const expected: bigint[] = [];
    for (let i = 0; i < 7; i++) {
      expected.push((await post(i % 2 ? reader.id : ada.id, `post ${i}`)).id);
      await post(stranger.id, `noise ${i}`);
    }
    const posts = await allPages((after) =>
      followingFeed(testDb.db, reader.id, { limit: 3, after }),
    );
    expect(posts.map((p) => p.id)).toEqual(expected.reverse());

    await mute(testDb.db, reader.id, ada.id);
    const muted = await allPages((after) =>
      followingFeed(testDb.db, reader.id, { limit: 3, after }),
    );
    expect(muted.every((p) => p.authorId === reader.id)).toBe(true);
  });

  it("Discover ranks by engagement with time decay, leaves out own, muted and already seen posts, and never runs dry", async () => {
    const viewer = await person(testDb.db);
    const quiet = await person(testDb.db);
    const loud = await person(testDb.db);
    const muted = await person(testDb.db);
    await sql`update posts set hidden_at = now() where hidden_at is null`.execute(testDb.db);
    const quietPost = await post(quiet.id, "nobody likes me");
    const loudPost = await post(loud.id, "everybody likes me");
    await post(muted.id, "you will not see me");
    await post(viewer.id, "my own");
    for (let i = 0; i < 3; i++) {
      const fan = await person(testDb.db);
      await like(deps, fan.id, { kind: "post", id: loudPost.id });
    }
    await mute(testDb.db, viewer.id, muted.id);

    const first = await discoverFeed(testDb.db, viewer.id, { limit: 10 });
    if (!first.ok) throw new Error(first.error.message);
    expect(first.value.items.map((p) => p.id)).toEqual([loudPost.id, quietPost.id]);
    // Within the grace period a reload shows the same page.
    const reload = await discoverFeed(testDb.db, viewer.id, { limit: 10 });
    expect(reload.ok && reload.value.items.map((p) => p.id)).toEqual([loudPost.id, quietPost.id]);

    // Seen a while ago: new posts come first, then what was seen, so the feed never runs dry.
    await sql`update post_seen set seen_at = now() - interval '1 hour' where user_id = ${viewer.id}`.execute(
      testDb.db,
    );
    const fresh = await post(quiet.id, "something new");
    const paged = await allPages((after) =>
      discoverFeed(testDb.db, viewer.id, { limit: 1, after }),
    );
    expect(paged.map((p) => p.id)).toEqual([fresh.id, loudPost.id, quietPost.id]);

    const signedOut = await discoverFeed(testDb.db, null, { limit: 10 });
    expect(signedOut.ok && signedOut.value.items.length).toBe(5);
  });

  it("hashtag and profile feeds page newest first; a bad cursor or tag is refused", async () => {
    const ada = await person(testDb.db);
    const tag = `t${Date.now().toString(36)}`;
    const ids = [];
    for (let i = 0; i < 5; i++)
      ids.push((await post(ada.id, `number ${i} #${tag.toUpperCase()}`)).id);
    const tagged = await allPages((after) =>
      hashtagFeed(testDb.db, `#${tag}`, { limit: 2, after }),
    );
    expect(tagged.map((p) => p.id)).toEqual([...ids].reverse());
    const theirs = await allPages((after) => profileFeed(testDb.db, ada.id, { limit: 2, after }));
    expect(theirs.map((p) => p.id)).toEqual([...ids].reverse());

    for (const after of [
      "garbage",
      Buffer.from('["1","2"]').toString("base64url"),
      Buffer.from('["-5"]').toString("base64url"),
    ]) {
      const bad = await followingFeed(testDb.db, ada.id, { limit: 2, after });
      expect(!bad.ok && bad.error.code).toBe("invalid");
      const badDiscover = await discoverFeed(testDb.db, ada.id, { limit: 2, after });
      expect(!badDiscover.ok && badDiscover.error.code).toBe("invalid");
    }
    const badTag = await hashtagFeed(testDb.db, "no spaces allowed", { limit: 2 });
    expect(!badTag.ok && badTag.error.code).toBe("invalid");
  });

  it("a report reaches the queue once; an admin hides the post, which leaves the feeds and loses its held rewards", async () => {
    const author = await person(testDb.db);
    const reporter = await person(testDb.db);
    const second = await person(testDb.db);
    const admin = { id: (await person(testDb.db)).id, isAdmin: true };
    const bad = await post(author.id, "buy followers at spam.example #spam");
    await like(deps, reporter.id, { kind: "post", id: bad.id });

    const filed = await report(testDb.db, reporter.id, { kind: "post", id: bad.id }, "spam");
    const dup = await report(testDb.db, reporter.id, { kind: "post", id: bad.id }, "spam again");
    expect(filed.ok && dup.ok && dup.value.id === filed.value.id).toBe(true);
    await report(testDb.db, second.id, { kind: "post", id: bad.id }, "also spam");
    const own = await report(testDb.db, author.id, { kind: "post", id: bad.id }, "oops");
    expect(!own.ok && own.error.code).toBe("self_action");
    const empty = await report(testDb.db, second.id, { kind: "user", id: author.id }, " ");
    expect(!empty.ok && empty.error.code).toBe("invalid");

    const notAdmin = await listOpenReports(testDb.db, { isAdmin: false }, { limit: 10 });
    expect(!notAdmin.ok && notAdmin.error.code).toBe("forbidden");
    const queue = await listOpenReports(testDb.db, admin, { limit: 100 });
    expect(
      queue.ok &&
        queue.value.items.filter((r) => r.target.kind === "post" && r.target.id === bad.id),
    ).toHaveLength(2);
    if (!filed.ok) return;
    expect(
      (await decideReport(testDb.db, { id: reporter.id, isAdmin: false }, filed.value.id, "hide"))
        .ok,
    ).toBe(false);
    const decided = await decideReport(testDb.db, admin, filed.value.id, "hide", "spam link");
    expect(decided.ok && decided.value).toMatchObject({
      status: "hidden",
      decisionNote: "spam link",
    });
    const twice = await decideReport(testDb.db, admin, filed.value.id, "dismiss");
    expect(!twice.ok && twice.error.code).toBe("invalid");

    expect(await rewardStatus(testDb.db, `post.created:post:${bad.id}`)).toBe("reversed");
    expect(await rewardStatus(testDb.db, `like.received:post:${bad.id}:${reporter.id}`)).toBe(
      "reversed",
    );
    expect(await rewardStatus(testDb.db, `like.given:post:${bad.id}:${reporter.id}`)).toBe(
      "reversed",
    );
    const spam = await hashtagFeed(testDb.db, "spam", { limit: 10 });
    expect(spam.ok && spam.value.items.map((p) => p.id)).not.toContain(bad.id);
    const open = await listOpenReports(testDb.db, admin, { limit: 100 });
    expect(
      open.ok && open.value.items.some((r) => r.target.kind === "post" && r.target.id === bad.id),
    ).toBe(false);
    const liked = await like(deps, second.id, { kind: "post", id: bad.id });
    expect(!liked.ok && liked.error.code).toBe("not_found");

    expect(await getReportsByIds(testDb.db, admin, [filed.value.id])).toHaveLength(1);
    expect(await getReportsByIds(testDb.db, { isAdmin: false }, [filed.value.id])).toEqual([]);
    expect(await getReportsByIds(testDb.db, null, [filed.value.id])).toEqual([]);
  });

  it("hiding a person hides their profile and everything they posted", async () => {
    const troll = await person(testDb.db);
    const reporter = await person(testDb.db);
    const admin = { id: reporter.id, isAdmin: true };
    const p = await post(troll.id, "trolling");
    const filed = await report(
      testDb.db,
      reporter.id,
      { kind: "user", id: troll.id },
      "harassment",
    );
    if (!filed.ok) throw new Error(filed.error.message);
    expect((await decideReport(testDb.db, admin, filed.value.id, "hide")).ok).toBe(true);
    const row = await testDb.db
      .selectFrom("posts")
      .select("hidden_at")
      .where("id", "=", p.id)
      .executeTakeFirstOrThrow();
    expect(row.hidden_at).not.toBeNull();
    const followed = await follow(deps, reporter.id, troll.id);
    expect(!followed.ok && followed.error.code).toBe("not_found");
  });
});
