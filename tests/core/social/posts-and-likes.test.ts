import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRewardByKey } from "#core/rewards/reward-queries.ts";
import { deleteComment, createComment, listComments } from "#core/social/comments.ts";
import { like, unlike } from "#core/social/likes.ts";
import {
  getNotificationsByIds,
  listNotifications,
  markNotificationsRead,
  unreadNotificationCount,
} from "#core/social/notifications.ts";
import {
  createPost,
  deletePost,
  editPost,
  EDIT_WINDOW_MS,
  repost,
  repostedAmong,
} from "#core/social/posts.ts";
import { segmentText } from "#core/social/post-text.ts";
import { verifyLedger } from "#core/ledger/verify-ledger.ts";
import { decideReport, report } from "#core/social/moderation.ts";
import type { SocialServices } from "#core/social/social-services.ts";
import { earnTrustLevel1 } from "#tests/support/factories.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";
import { count, person, rewardStatus, socialServices } from "./social-support.ts";

describe.each(testBackends())("posts, likes and comments on %s", (backend) => {
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

  it("a post is stored with its hashtags, counts on the profile and pays its author a held reward", async () => {
    const ada = await person(testDb.db);
    await earnTrustLevel1(testDb.db, ada.id);
    const created = await createPost(deps, ada.id, {
      body: "  Morning #Coffee and #coffee at https://example.com  ",
    });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.value.post.body).toBe("Morning #Coffee and #coffee at https://example.com");
    expect(created.value.reward).toMatchObject({ status: "held", actionKind: "post.created" });
    const tags = await testDb.db
      .selectFrom("post_hashtags")
      .select("tag")
      .where("post_id", "=", created.value.post.id)
      .execute();
    expect(tags.map((t) => t.tag)).toEqual(["coffee"]);
    const user = await testDb.db
      .selectFrom("users")
      .select("post_count")
      .where("id", "=", ada.id)
      .executeTakeFirstOrThrow();
    expect(user.post_count).toBe(1);
  });

  it("empty, oversize and non-text posts are refused and nothing is written", async () => {
    const ada = await person(testDb.db);
    for (const body of ["", "   \n ", "x".repeat(501), 42, null, "\u0000\u0001"]) {
      const result = await createPost(deps, ada.id, { body });
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe("invalid");
        expect(result.error.fieldErrors?.body?.[0]).toMatch(/Write something|at most 500/);
      }
    }
    expect(await count(testDb.db, "posts", sql`author_id = ${ada.id}`)).toBe(0);
    // 500 emoji are 500 characters, though 1,000 UTF-16 units.
    expect((await createPost(deps, ada.id, { body: "🌊".repeat(500) })).ok).toBe(true);
  });

  it("links take trust level 1: a new person's post or edit with a link is refused with the reason, and nothing is written", async () => {
    const ada = await person(testDb.db);
    for (const body of [
      "Cheap followers at https://spam.example/buy",
      "see spam-shop.com #deals",
    ]) {
      const refused = await createPost(deps, ada.id, { body });
      if (refused.ok) throw new Error("a link was posted at trust level 0");
      expect(refused.error).toMatchObject({ code: "trust_level_too_low", requiredTrustLevel: 1 });
      expect(refused.error.fieldErrors?.body?.[0]).toMatch(
        /^Links unlock at trust level 1 \(basic\); still to do: active on 2 days; 10 rewarded actions\./,
      );
    }
    expect(await count(testDb.db, "posts", sql`author_id = ${ada.id}`)).toBe(0);
    expect(await count(testDb.db, "post_hashtags", sql`tag = 'deals'`)).toBe(0);
    expect(await count(testDb.db, "rewards", sql`user_id = ${ada.id}`)).toBe(0);

    // Without the link it posts; an edit may not add one.
    const plain = await createPost(deps, ada.id, { body: "Cheap followers, ask me" });
    if (!plain.ok) throw new Error(plain.error.message);
    const edit = await editPost(deps, ada.id, plain.value.post.id, {
      body: "Cheap followers at https://spam.example/buy",
    });
    expect(!edit.ok && edit.error.code).toBe("trust_level_too_low");
    const [unchanged] = await testDb.db
      .selectFrom("posts")
      .select(["body", "edited_at"])
      .where("id", "=", plain.value.post.id)
      .execute();
    expect(unchanged).toEqual({ body: "Cheap followers, ask me", edited_at: null });

    // Trust earned, links post.
    await earnTrustLevel1(testDb.db, ada.id);
    const linked = await createPost(deps, ada.id, { body: "Our bakery: https://bread.example" });
    if (!linked.ok) throw new Error(linked.error.message);

    // Moderators hide one of her posts: trust is lost at once. Her post's link may stay
    // through an edit, but a new link is refused.
    const moderator = await person(testDb.db);
    await testDb.db
      .updateTable("users")
      .set({ is_admin: true })
      .where("id", "=", moderator.id)
      .execute();
    const filed = await report(
      testDb.db,
      moderator.id,
      { kind: "post", id: plain.value.post.id },
      "Spam",
    );
    if (!filed.ok) throw new Error(filed.error.message);
    expect(
      (await decideReport(testDb.db, { id: moderator.id, isAdmin: true }, filed.value.id, "hide"))
        .ok,
    ).toBe(true);
    const kept = await editPost(deps, ada.id, linked.value.post.id, {
      body: "Our bakery, open Sundays: https://bread.example",
    });
    expect(kept.ok).toBe(true);
    const added = await editPost(deps, ada.id, linked.value.post.id, {
      body: "Our bakery: https://bread.example and https://cakes.example",
    });
    expect(!added.ok && added.error.code).toBe("trust_level_too_low");
    const again = await createPost(deps, ada.id, { body: "More at https://bread.example" });
    expect(!again.ok && again.error.fieldErrors?.body?.[0]).toMatch(/nothing of yours hidden/);
  });

  it("script in a post stays text; only http(s) links become links", async () => {
    const segments = segmentText(
      '<script>alert(1)</script> javascript:alert(1) see https://a.example/x"><img>',
    );
    expect(
      segments.filter((s) => s.kind === "link").map((s) => s.kind === "link" && s.href),
    ).toEqual(["https://a.example/x%22%3E%3Cimg%3E"]);
    expect(segments[0]).toEqual({
      kind: "text",
      text: "<script>alert(1)</script> javascript:alert(1) see ",
    });
  });

  it("only the author edits, only within the window; a deleted post's held reward is reversed", async () => {
    const ada = await person(testDb.db);
    const bob = await person(testDb.db);
    const created = await createPost(deps, ada.id, { body: "first #draft" });
    if (!created.ok) throw new Error("post failed");
    const id = created.value.post.id;
    expect((await editPost(deps, bob.id, id, { body: "mine now" })).ok).toBe(false);
    const edited = await editPost(deps, ada.id, id, { body: "second #final" });
    expect(edited.ok && edited.value.editedAt).toBeTruthy();
    const tags = await testDb.db
      .selectFrom("post_hashtags")
      .select("tag")
      .where("post_id", "=", id)
      .execute();
    expect(tags.map((t) => t.tag)).toEqual(["final"]);
    const late = await editPost(
      deps,
      ada.id,
      id,
      { body: "too late" },
      new Date(Date.now() + EDIT_WINDOW_MS + 1000),
    );
    expect(!late.ok && late.error.code).toBe("edit_window_closed");

    expect(!(await deletePost(deps, bob.id, id)).ok).toBe(true);
    expect((await deletePost(deps, ada.id, id)).ok).toBe(true);
    expect((await deletePost(deps, ada.id, id)).ok).toBe(true);
    expect(await rewardStatus(testDb.db, `post.created:post:${id}`)).toBe("reversed");
    const user = await testDb.db
      .selectFrom("users")
      .select("post_count")
      .where("id", "=", ada.id)
      .executeTakeFirstOrThrow();
    expect(user.post_count).toBe(0);
  });

  it("a like pays the author and the liker once; unliking within the hold reverses both; liking again pays nothing", async () => {
    const ada = await person(testDb.db, "Ada");
    const bob = await person(testDb.db, "Bob");
    const post = await createPost(deps, ada.id, { body: "like me" });
    if (!post.ok) throw new Error("post failed");
    const target = { kind: "post", id: post.value.post.id } as const;

    const liked = await like(deps, bob.id, target);
    expect(liked.ok && liked.value).toMatchObject({
      liked: true,
      likeCount: 1,
      reward: { status: "held", actionKind: "like.given" },
    });
    const again = await like(deps, bob.id, target);
    expect(again.ok && again.value.likeCount).toBe(1);
    expect(again.ok && again.value.reward?.isReplay).toBe(true);
    const authorKey = `like.received:post:${target.id}:${bob.id}`;
    const authorReward = await getRewardByKey(testDb.db, authorKey);
    expect(authorReward).toMatchObject({ status: "held", memo: "Bob liked your post" });

    const notes = await listNotifications(testDb.db, ada.id, { limit: 10 });
    expect(notes.items.map((n) => [n.kind, n.actorId, n.rewardId])).toEqual([
      ["like", bob.id, authorReward!.id],
    ]);
    expect(await unreadNotificationCount(testDb.db, ada.id)).toBe(1);

    const unliked = await unlike(deps, bob.id, target);
    expect(unliked.ok && unliked.value).toMatchObject({ liked: false, likeCount: 0 });
    expect(await rewardStatus(testDb.db, authorKey)).toBe("reversed");
    expect(await rewardStatus(testDb.db, `like.given:post:${target.id}:${bob.id}`)).toBe(
      "reversed",
    );

    const relike = await like(deps, bob.id, target);
    expect(relike.ok && relike.value.reward).toMatchObject({ status: "reversed", isReplay: true });
    expect(
      await count(testDb.db, "rewards", sql`idempotency_key like ${`%:post:${target.id}:%`}`),
    ).toBe(2);
    // The cycle notified the author once.
    expect(await unreadNotificationCount(testDb.db, ada.id)).toBe(1);
  });

  it("liking one's own post, or a deleted or missing post, pays nothing and writes nothing", async () => {
    const ada = await person(testDb.db);
    const post = await createPost(deps, ada.id, { body: "mine" });
    if (!post.ok) throw new Error("post failed");
    const own = await like(deps, ada.id, { kind: "post", id: post.value.post.id });
    expect(own.ok && own.value.reward).toBeNull();
    expect(
      await count(testDb.db, "rewards", sql`user_id = ${ada.id} and action_kind like 'like.%'`),
    ).toBe(0);

    await deletePost(deps, ada.id, post.value.post.id);
    const bob = await person(testDb.db);
    const gone = await like(deps, bob.id, { kind: "post", id: post.value.post.id });
    expect(!gone.ok && gone.error.code).toBe("not_found");
    const missing = await like(deps, bob.id, { kind: "post", id: 999_999_999n });
    expect(!missing.ok && missing.error.code).toBe("not_found");
    expect(await count(testDb.db, "post_likes", sql`user_id = ${bob.id}`)).toBe(0);
  });

  it("an author is credited once a day per liker: a ring of likes gains little, a newcomer's first likes pay", async () => {
    const author = await person(testDb.db);
    const fan = await person(testDb.db);
    const other = await person(testDb.db);
    const posts = [];
    for (let i = 0; i < 3; i++) {
      const p = await createPost(deps, author.id, { body: `post ${i}` });
      if (!p.ok) throw new Error("post failed");
      posts.push(p.value.post.id);
    }
    for (const id of posts) await like(deps, fan.id, { kind: "post", id });
    await like(deps, other.id, { kind: "post", id: posts[0]! });
    const { rows } = await sql<{ status: string; n: number }>`
      select status, count(*)::int as n from rewards
      where user_id = ${author.id} and action_kind = 'like.received' group by status order by status`.execute(
      testDb.db,
    );
    expect(rows).toEqual([
      { status: "held", n: 2 },
      { status: "refused", n: 2 },
    ]);
  });

  it("a burst of likes from one account earns a diminishing curation reward", async () => {
    const liker = await person(testDb.db);
    const amounts: bigint[] = [];
    for (let i = 0; i < 12; i++) {
      const author = await person(testDb.db);
      const p = await createPost(deps, author.id, { body: `burst ${i}` });
      if (!p.ok) throw new Error("post failed");
      const liked = await like(deps, liker.id, { kind: "post", id: p.value.post.id });
      if (!liked.ok || !liked.value.reward) throw new Error("like failed");
      amounts.push(liked.value.reward.amount);
    }
    expect(amounts.slice(0, 10).every((a) => a === amounts[0])).toBe(true);
    expect(amounts[10]).toBe(amounts[0]! / 2n);
    expect(amounts[11]).toBe(amounts[0]! / 2n);
  });

  it("concurrent duplicate likes make one like, one count and one reward each", async () => {
    const ada = await person(testDb.db);
    const bob = await person(testDb.db);
    const post = await createPost(deps, ada.id, { body: "race" });
    if (!post.ok) throw new Error("post failed");
    const target = { kind: "post", id: post.value.post.id } as const;
    const results = await Promise.all(Array.from({ length: 12 }, () => like(deps, bob.id, target)));
    expect(results.every((r) => r.ok)).toBe(true);
    const row = await testDb.db
      .selectFrom("posts")
      .select("like_count")
      .where("id", "=", target.id)
      .executeTakeFirstOrThrow();
    expect(row.like_count).toBe(1);
    expect(await count(testDb.db, "post_likes", sql`post_id = ${target.id}`)).toBe(1);
    expect(
      await count(testDb.db, "rewards", sql`idempotency_key like ${`%:post:${target.id}:%`}`),
    ).toBe(2);
  });

  it("comments thread one level deep, pay the commenter on others' posts and notify who is involved", async () => {
    const ada = await person(testDb.db);
    const bob = await person(testDb.db);
    const cy = await person(testDb.db);
    const post = await createPost(deps, ada.id, { body: "talk to me" });
    if (!post.ok) throw new Error("post failed");
    const postId = post.value.post.id;
    const top = await createComment(deps, bob.id, { postId, body: "hello" });
    if (!top.ok) throw new Error("comment failed");
    expect(top.value.reward).toMatchObject({ actionKind: "comment.created", status: "held" });
    const reply = await createComment(deps, cy.id, {
      postId,
      parentId: top.value.comment.id,
      body: `hi @${bob.handle}`,
    });
    if (!reply.ok) throw new Error("reply failed");
    const replyToReply = await createComment(deps, ada.id, {
      postId,
      parentId: reply.value.comment.id,
      body: "welcome",
    });
    if (!replyToReply.ok) throw new Error("reply failed");
    expect(replyToReply.value.comment.parentId).toBe(top.value.comment.id);
    expect(replyToReply.value.reward).toBeNull();

    const listed = await listComments(testDb.db, postId, { limit: 10 });
    expect(listed.items.map((c) => c.body)).toEqual(["hello", `hi @${bob.handle}`, "welcome"]);
    const bobNotes = await listNotifications(testDb.db, bob.id, { limit: 10 });
    // Cy's reply mentions Bob too: one notification, not two.
    expect(bobNotes.items.map((n) => n.kind)).toEqual(["reply"]);
    const cyNotes = await listNotifications(testDb.db, cy.id, { limit: 10 });
    expect(cyNotes.items.map((n) => [n.kind, n.actorId])).toEqual([["reply", ada.id]]);
    const counters = await testDb.db
      .selectFrom("posts")
      .select("comment_count")
      .where("id", "=", postId)
      .executeTakeFirstOrThrow();
    expect(counters.comment_count).toBe(3);

    expect((await deleteComment(deps, cy.id, top.value.comment.id)).ok).toBe(false);
    expect((await deleteComment(deps, bob.id, top.value.comment.id)).ok).toBe(true);
    expect(await rewardStatus(testDb.db, `comment.created:comment:${top.value.comment.id}`)).toBe(
      "reversed",
    );
    const wrongPost = await createComment(deps, bob.id, { postId: 999_999_999n, body: "x" });
    expect(!wrongPost.ok && wrongPost.error.code).toBe("not_found");
  });

  it("links in comments take trust level 1 as in posts: refused with the reason, nothing written, then allowed", async () => {
    const ada = await person(testDb.db);
    const bob = await person(testDb.db);
    const post = await createPost(deps, ada.id, { body: "what are you reading?" });
    if (!post.ok) throw new Error("post failed");
    const postId = post.value.post.id;
    const body = "Cheap followers at spam-shop.com";
    const refused = await createComment(deps, bob.id, { postId, body });
    if (refused.ok) throw new Error("a link was commented at trust level 0");
    expect(refused.error).toMatchObject({ code: "trust_level_too_low", requiredTrustLevel: 1 });
    expect(refused.error.fieldErrors?.body?.[0]).toMatch(
      /^Links unlock at trust level 1 \(basic\)/,
    );
    expect(await count(testDb.db, "comments", sql`author_id = ${bob.id}`)).toBe(0);
    expect(await count(testDb.db, "rewards", sql`user_id = ${bob.id}`)).toBe(0);

    // Without the link it goes through; with trust earned, so does the link.
    expect((await createComment(deps, bob.id, { postId, body: "Cheap followers?" })).ok).toBe(true);
    await earnTrustLevel1(testDb.db, bob.id);
    const linked = await createComment(deps, bob.id, { postId, body: "See https://books.example" });
    if (!linked.ok) throw new Error(linked.error.message);
    expect(await count(testDb.db, "comments", sql`author_id = ${bob.id}`)).toBe(2);
  });

  it("a repost shares the original once, counts on it, and undoing it takes the count back", async () => {
    const ada = await person(testDb.db);
    const bob = await person(testDb.db);
    const post = await createPost(deps, ada.id, { body: "share me" });
    if (!post.ok) throw new Error("post failed");
    const first = await repost(deps, bob.id, post.value.post.id);
    const second = await repost(deps, bob.id, post.value.post.id);
    if (!first.ok || !second.ok) throw new Error("repost failed");
    expect(second.value.id).toBe(first.value.id);
    expect(await repostedAmong(testDb.db, bob.id, [post.value.post.id])).toEqual(
      new Set([post.value.post.id]),
    );
    expect(await repostedAmong(testDb.db, ada.id, [post.value.post.id])).toEqual(new Set());
    const ofRepost = await repost(deps, ada.id, first.value.id);
    expect(ofRepost.ok && ofRepost.value.repostOfId).toBe(post.value.post.id);
    let original = await testDb.db
      .selectFrom("posts")
      .select("repost_count")
      .where("id", "=", post.value.post.id)
      .executeTakeFirstOrThrow();
    expect(original.repost_count).toBe(2);
    await deletePost(deps, bob.id, first.value.id);
    original = await testDb.db
      .selectFrom("posts")
      .select("repost_count")
      .where("id", "=", post.value.post.id)
      .executeTakeFirstOrThrow();
    expect(original.repost_count).toBe(1);
  });

  it("marking notifications read clears every open badge, and only their owner can refetch them", async () => {
    const ada = await person(testDb.db);
    const bob = await person(testDb.db);
    const post = await createPost(deps, ada.id, { body: "ping" });
    if (!post.ok) throw new Error("post failed");
    await like(deps, bob.id, { kind: "post", id: post.value.post.id });
    const listed = await listNotifications(testDb.db, ada.id, { limit: 10 });
    const ids = listed.items.map((n) => n.id);
    expect(await getNotificationsByIds(testDb.db, ada.id, ids)).toHaveLength(1);
    expect(await getNotificationsByIds(testDb.db, bob.id, ids)).toEqual([]);

    const pings = deps.rewardEvents.subscribe("notification:new", ada.id);
    const next = pings.next();
    expect(await markNotificationsRead(deps, ada.id)).toBe(1);
    expect((await next).value).toEqual({ notificationId: null, kind: null, unreadCount: 0 });
    await pings.return?.();
    expect(await unreadNotificationCount(testDb.db, ada.id)).toBe(0);
  });
});
