import { sql } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";

/**
 * Where each of the viewer's relations to things is stored: the table, the column naming
 * the viewer, the column naming the thing, and any condition for the row to count.
 */
const relationTables = {
  likedPosts: { table: "post_likes", viewer: "user_id", target: "post_id", live: false },
  likedComments: { table: "comment_likes", viewer: "user_id", target: "comment_id", live: false },
  /** Only a live repost counts: an undone one may be made again. */
  repostedPosts: { table: "posts", viewer: "author_id", target: "repost_of_id", live: true },
  follows: { table: "follows", viewer: "follower_id", target: "followee_id", live: false },
  mutes: { table: "mutes", viewer: "user_id", target: "muted_user_id", live: false },
} as const;

export type ViewerRelation = keyof typeof relationTables;

/** The ids among `ids` (as text) that the viewer has the relation to, in one statement. */
export async function findRelatedIds(
  db: Db,
  viewerId: UserId,
  relation: ViewerRelation,
  ids: readonly (bigint | string)[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const { table, viewer, target, live } = relationTables[relation];
  const { rows } = await sql<{ id: string }>`
    select ${sql.ref(target)}::text as id from ${sql.table(table)}
    where ${sql.ref(viewer)} = ${viewerId}
      and ${sql.ref(target)} in (${sql.join(ids.map((id) => (typeof id === "bigint" ? String(id) : id)))})
      ${live ? sql`and deleted_at is null` : sql``}`.execute(db);
  return rows.map((r) => r.id);
}
