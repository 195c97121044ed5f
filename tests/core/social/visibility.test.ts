import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { createComment, deleteComment } from "#core/social/comments.ts";
import { decideReport, report } from "#core/social/moderation.ts";
import { createPost, deletePost, getVisiblePost } from "#core/social/posts.ts";
import type { SocialServices } from "#core/social/social-services.ts";
import type { CommentId, PostId } from "#core/social/social-types.ts";
import { readsFrom, visibleComments, visiblePosts } from "#core/social/visibility.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";
import { person, socialServices } from "./social-support.ts";

describe.each(testBackends())("who may see posts and comments on %s", (backend) => {
  let testDb: TestDb;
  let deps: SocialServices;
  let admin: { id: UserId; isAdmin: true };
  beforeAll(async () => {
    testDb = await openTestDb(backend);
    deps = socialServices(testDb.db);
    admin = { id: (await person(testDb.db, "Moderator")).id, isAdmin: true };
  });
  afterAll(async () => {
    await testDb.close();
  });

  async function postBy(authorId: UserId, body = "A post"): Promise<PostId> {
    const created = await createPost(deps, authorId, { body });
    if (!created.ok) throw new Error(created.error.message);
    return created.value.post.id;
  }

  async function commentOn(postId: PostId, authorId: UserId): Promise<CommentId> {
    const created = await createComment(deps, authorId, { postId, body: "A comment" });
    if (!created.ok) throw new Error(created.error.message);
    return created.value.comment.id;
  }

  async function hide(target: Parameters<typeof report>[2], reporterId: UserId) {
    const filed = await report(testDb.db, reporterId, target, "Not for here");
    if (!filed.ok) throw new Error(filed.error.message);
    const decided = await decideReport(testDb.db, admin, filed.value.id, "hide");
    if (!decided.ok) throw new Error(decided.error.message);
  }

  it("a live comment by a shown author on a visible post is visible; answers line up with the ids asked", async () => {
    const ada = await person(testDb.db, "Ada");
    const bo = await person(testDb.db, "Bo");
    const postId = await postBy(ada.id);
    const first = await commentOn(postId, bo.id);
    const second = await commentOn(postId, ada.id);
    const shown = await visibleComments(readsFrom(testDb.db), [second, 999_999_999n, first]);
    expect(shown.map((c) => c?.id ?? null)).toEqual([second, null, first]);
  });

  it("a deleted or hidden comment is not visible", async () => {
    const ada = await person(testDb.db);
    const bo = await person(testDb.db);
    const postId = await postBy(ada.id);
    const deleted = await commentOn(postId, bo.id);
    const hidden = await commentOn(postId, bo.id);
    await deleteComment(deps, bo.id, deleted);
    await hide({ kind: "comment", id: hidden }, ada.id);
    expect(await visibleComments(readsFrom(testDb.db), [deleted, hidden])).toEqual([null, null]);
  });

  it("a comment on a deleted or hidden post is not visible, nor is one whose author is hidden", async () => {
    const ada = await person(testDb.db);
    const bo = await person(testDb.db);
    const cy = await person(testDb.db);
    const deletedPost = await postBy(ada.id);
    const hiddenPost = await postBy(ada.id);
    const livePost = await postBy(ada.id);
    const onDeleted = await commentOn(deletedPost, bo.id);
    const onHidden = await commentOn(hiddenPost, bo.id);
    const byHidden = await commentOn(livePost, cy.id);
    const byShown = await commentOn(livePost, bo.id);
    await deletePost(deps, ada.id, deletedPost);
    await hide({ kind: "post", id: hiddenPost }, bo.id);
    await hide({ kind: "user", id: cy.id }, bo.id);
    const shown = await visibleComments(readsFrom(testDb.db), [
      onDeleted,
      onHidden,
      byHidden,
      byShown,
    ]);
    expect(shown.map((c) => c?.id ?? null)).toEqual([null, null, null, byShown]);
  });

  it("a post is visible while live and its author shown, and getVisiblePost applies the same rule", async () => {
    const ada = await person(testDb.db);
    const bo = await person(testDb.db);
    const live = await postBy(ada.id);
    const deleted = await postBy(ada.id);
    const byHidden = await postBy(bo.id);
    await deletePost(deps, ada.id, deleted);
    await hide({ kind: "user", id: bo.id }, ada.id);
    const shown = await visiblePosts(readsFrom(testDb.db), [live, deleted, byHidden]);
    expect(shown.map((p) => p?.id ?? null)).toEqual([live, null, null]);
    expect((await getVisiblePost(deps, live))?.id).toBe(live);
    expect(await getVisiblePost(deps, byHidden)).toBeNull();
  });
});
