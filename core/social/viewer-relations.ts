import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";
import type { CommentId, PostId } from "./social-types.ts";
import { findRelatedIds, type ViewerRelation } from "./viewer-relations.repository.ts";

export type { ViewerRelation };

/** What each relation is to: posts and comments by number, people by id. */
export type RelatedKey = {
  likedPosts: PostId;
  likedComments: CommentId;
  repostedPosts: PostId;
  follows: UserId;
  mutes: UserId;
};

const isNumbered = (relation: ViewerRelation) => relation !== "follows" && relation !== "mutes";

/**
 * Which of `ids` the viewer has: liked, reposted (live), follows, mutes. One statement for
 * any number of ids, so a page's buttons cost one query per relation; the answer for a
 * signed-out viewer is always the empty set.
 */
export async function whichViewerHas<R extends ViewerRelation>(
  db: Db,
  viewerId: UserId | null,
  relation: R,
  ids: readonly RelatedKey[R][],
): Promise<Set<RelatedKey[R]>> {
  if (viewerId === null || ids.length === 0) return new Set();
  const found = await findRelatedIds(db, viewerId, relation, ids);
  return new Set(found.map((id) => (isNumbered(relation) ? BigInt(id) : id) as RelatedKey[R]));
}
