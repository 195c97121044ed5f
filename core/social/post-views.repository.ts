import { sql } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import { profileColumns, type ProfileRow } from "#core/profiles/profile.ts";
import type { Db } from "#db/create-db.ts";
import type { PostRow } from "./posts.repository.ts";
import type { Post, PostId } from "./social-types.ts";

/** A row of viewPosts' statement: a person, and one post of theirs on the page if any. */
export type ShownRow = { [K in keyof PostRow]: PostRow[K] | null } & {
  [K in ProfileRowColumn as `u_${K}`]: ProfileRow[K];
} & {
  shown_id: string | null;
  viewer_has_liked: boolean;
  viewer_has_reposted: boolean;
};
type ProfileRowColumn = (typeof profileColumns)[number];

// The profile's columns under their own names, apart from the post's (both have `id`).
const authorColumns = sql.join(
  profileColumns.map((c) => sql`u.${sql.ref(c)} as ${sql.ref(`u_${c}`)}`),
);

export function authorRow(row: ShownRow): ProfileRow {
  return Object.fromEntries(profileColumns.map((c) => [c, row[`u_${c}`]])) as ProfileRow;
}

/**
 * One statement for a page of posts whatever its size: each shown post's author and, for
 * reposts, the original (`originalIds`) and its author, with the viewer's like and live
 * repost of each; and `ownProfileOf`'s own row (hidden or not) when asked. A row per
 * person and post of theirs on the page, or per person alone.
 */
export async function findShownPosts(
  db: Db,
  page: {
    viewerId: UserId | null;
    ownProfileOf: UserId | null;
    posts: readonly Post[];
    originalIds: readonly PostId[];
  },
): Promise<ShownRow[]> {
  const { viewerId, ownProfileOf: me, posts, originalIds } = page;
  const { rows } = await sql<ShownRow>`
    with originals as (
      select * from posts where id = any(${originalIds.map(String)}::int8[])
    ), shown as (
      select t.id, t.author_id
      from unnest(${posts.map((p) => String(p.id))}::int8[], ${posts.map((p) => p.authorId)}::uuid[])
        as t(id, author_id)
      union all select id, author_id from originals
    ), people as (
      select author_id as id from shown union select ${me}::uuid
    )
    select ${authorColumns}, s.id as shown_id, o.*,
      exists (select 1 from post_likes l
              where l.user_id = ${viewerId} and l.post_id = s.id) as viewer_has_liked,
      exists (select 1 from posts r
              where r.author_id = ${viewerId} and r.repost_of_id = s.id
                and r.deleted_at is null) as viewer_has_reposted
    from people pe
    join users u on u.id = pe.id
    left join shown s on s.author_id = pe.id
    left join originals o on o.id = s.id`.execute(db);

  return rows;
}
