import { sql } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";

/** When a moderator last hid something of this person's (a post, a comment or the profile). */
export async function readLastHiddenAt(db: Db, userId: UserId, since: Date): Promise<Date | null> {
  const { rows } = await sql<{ at: Date | null }>`
    select max(r.decided_at) as at
    from reports r
    left join posts p on p.id = r.post_id
    left join comments c on c.id = r.comment_id
    where r.status = 'hidden' and r.decided_at >= ${since}
      and (r.user_id = ${userId} or p.author_id = ${userId} or c.author_id = ${userId})`.execute(
    db,
  );
  return rows[0]?.at ?? null;
}

export async function readAccountCreatedAt(db: Db, userId: UserId): Promise<Date | null> {
  const row = await db
    .selectFrom("users")
    .select("created_at")
    .where("id", "=", userId)
    .executeTakeFirst();
  return row?.created_at ?? null;
}

/** Records the level just evaluated; the post cap reads it back with the person's totals. */
export async function recordTrustLevel(
  db: Db,
  userId: UserId,
  level: number,
  evaluatedAt: Date,
): Promise<void> {
  await sql`
    insert into user_progress (user_id, trust_level, trust_evaluated_at)
    values (${userId}, ${level}, ${evaluatedAt})
    on conflict (user_id) do update set
      trust_level = excluded.trust_level, trust_evaluated_at = excluded.trust_evaluated_at`.execute(
    db,
  );
}
