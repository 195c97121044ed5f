import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { verifyLedger } from "#core/ledger/verify-ledger.ts";
import { createComment, deleteComment } from "#core/social/comments.ts";
import { like, unlike } from "#core/social/likes.ts";
import { createPost, deletePost, repost } from "#core/social/posts.ts";
import type { SocialServices } from "#core/social/social-services.ts";
import type { PostId } from "#core/social/social-types.ts";
import type { Db } from "#db/create-db.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";
import { count, socialServices } from "./social-support.ts";

/**
 * Likes, reposts and comments arriving at once on one post. Only a real server runs these
 * transactions side by side (PGlite has one connection), so the suite runs on Postgres
 * only; CI sets TEST_DATABASE_URL. A deadlock surfaces as a thrown error, a lost write as
 * a counter that no longer matches the rows.
 */
const onPostgres = testBackends().includes("postgres");
const title = onPostgres
  ? "concurrent likes, reposts and comments on Postgres"
  : "concurrent likes, reposts and comments on Postgres — skipped: TEST_DATABASE_URL is not set (CI sets it)";

type Outcome = PromiseSettledResult<{ ok: boolean; error?: { code: string; message: string } }>;

/** Thrown errors and refusals other than the ones a race may rightly give. */
function failures(results: Outcome[], allowed: readonly string[] = []): string[] {
  return results.flatMap((r) =>
    r.status === "rejected"
      ? [String(r.reason)]
      : r.value.ok || allowed.includes(r.value.error!.code)
        ? []
        : [`${r.value.error!.code}: ${r.value.error!.message}`],
  );
}

describe.skipIf(!onPostgres)(title, () => {
  let testDb: TestDb;
  let db: Db;
  let deps: SocialServices;
  beforeAll(async () => {
    testDb = await openTestDb("postgres", { poolSize: 20 });
    db = testDb.db;
    deps = socialServices(db);
  });
  afterAll(async () => {
    expect((await verifyLedger(db)).violations).toEqual([]);
    await testDb?.close();
  });

  /** Established accounts, written directly (signing up dozens would hash dozens of passwords). */
  async function people(n: number): Promise<UserId[]> {
    const rows = Array.from({ length: n }, () => {
      const suffix = randomBytes(6).toString("hex");
      return {
        handle: `e_${suffix}`,
        email: `e_${suffix}@example.com`,
        display_name: `Person ${suffix}`,
        password_hash: "not-a-password-hash",
        created_at: new Date(Date.now() - 30 * 86_400_000),
        activated_at: new Date(Date.now() - 29 * 86_400_000),
      };
    });
    const inserted = await db.insertInto("users").values(rows).returning("id").execute();
    return inserted.map((r) => r.id as UserId);
  }

  async function postBy(authorId: UserId): Promise<PostId> {
    const created = await createPost(deps, authorId, { body: "the river at dawn" });
    if (!created.ok) throw new Error(created.error.message);
    return created.value.post.id;
  }

  async function postCounters(postId: PostId) {
    return db
      .selectFrom("posts")
      .select(["like_count", "comment_count", "repost_count"])
      .where("id", "=", postId)
      .executeTakeFirstOrThrow();
  }

  async function postCountOf(userId: UserId) {
    const row = await db
      .selectFrom("users")
      .select("post_count")
      .where("id", "=", userId)
      .executeTakeFirstOrThrow();
    return row.post_count;
  }

  it("50 people liking one post at once while 10 others unlike it: every like lands and the count is exact", async () => {
    const [author] = await people(1);
    const postId = await postBy(author!);
    const fans = await people(60);
    const early = fans.slice(50);
    for (const fan of early) await like(deps, fan, { kind: "post", id: postId });
    const results = await Promise.allSettled([
      ...fans.slice(0, 50).map((fan) => like(deps, fan, { kind: "post", id: postId })),
      ...early.map((fan) => unlike(deps, fan, { kind: "post", id: postId })),
    ]);
    expect(failures(results)).toEqual([]);
    expect(await count(db, "post_likes", sql`post_id = ${postId}`)).toBe(50);
    expect((await postCounters(postId)).like_count).toBe(50);
  });

  it("people reposting a post and undoing their reposts at once (double clicks included): no deadlock, counts match the live reposts", async () => {
    const [author] = await people(1);
    const original = await postBy(author!);
    const sharers = await people(20);
    const first = await Promise.all(sharers.map((s) => repost(deps, s, original)));
    const reposts = first.map((r) => {
      if (!r.ok) throw new Error(r.error.message);
      return r.value.id;
    });
    // Each person undoes their repost while reposting again (two tabs, a double click).
    const results = await Promise.allSettled(
      sharers.flatMap((s, i) => [deletePost(deps, s, reposts[i]!), repost(deps, s, original)]),
    );
    expect(failures(results)).toEqual([]);
    const live = await count(db, "posts", sql`repost_of_id = ${original} and deleted_at is null`);
    expect((await postCounters(original)).repost_count).toBe(live);
    for (const s of sharers) {
      expect(await postCountOf(s)).toBe(
        await count(db, "posts", sql`author_id = ${s} and deleted_at is null`),
      );
    }
  });

  it("replies to a comment while its author deletes it: no deadlock, the post's comment count matches its live comments", async () => {
    const [author, commenter] = await people(2);
    const postId = await postBy(author!);
    const repliers = await people(20);
    for (let round = 0; round < 3; round++) {
      const parent = await createComment(deps, commenter!, { postId, body: `thread ${round}` });
      if (!parent.ok) throw new Error(parent.error.message);
      const parentId = parent.value.comment.id;
      const results = await Promise.allSettled([
        ...repliers.map((r) =>
          createComment(deps, r, { postId, parentId, body: "a reply in the current" }),
        ),
        deleteComment(deps, commenter!, parentId),
      ]);
      // A reply that comes after the deletion is refused as a reply to nothing.
      expect(failures(results, ["not_found"])).toEqual([]);
    }
    const live = await count(
      db,
      "comments",
      sql`post_id = ${postId} and deleted_at is null and hidden_at is null`,
    );
    expect((await postCounters(postId)).comment_count).toBe(live);
  });
});
