import { sql } from "kysely";
import type { Db } from "#db/create-db.ts";

/**
 * Whether the account `u` is one that someone established (activated, joined before `establishedBefore`, not hidden)
 * liked the person's posts or comments, commented on their posts, or followed them.
 */
function establishedEngagementOfU(establishedBefore: Date) {
  const before = establishedBefore.toISOString();
  const userRef = sql.ref("u.id");
  return sql<boolean>`exists (
    select 1 from (
      select pl.user_id as who from post_likes pl join posts p on p.id = pl.post_id
        where p.author_id = ${userRef}
      union all
      select cl.user_id from comment_likes cl join comments c on c.id = cl.comment_id
        where c.author_id = ${userRef}
      union all
      select c.author_id from comments c join posts p on p.id = c.post_id
        where p.author_id = ${userRef} and c.deleted_at is null
      union all
      select f.follower_id from follows f where f.followee_id = ${userRef}
    ) e
    join users x on x.id = e.who
    where x.id <> ${userRef} and x.activated_at is not null and x.hidden_at is null
      and x.created_at <= ${before}::timestamptz)`;
}

export type ActivationFacts = {
  emailVerifiedAt: Date | null;
  activatedAt: Date | null;
  hasEstablishedEngagement: boolean;
};

export async function findActivationFacts(
  db: Db,
  userId: string,
  establishedBefore: Date,
): Promise<ActivationFacts | null> {
  const row = await db
    .selectFrom("users as u")
    .select([
      "u.email_verified_at",
      "u.activated_at",
      establishedEngagementOfU(establishedBefore).as("engaged"),
    ])
    .where("u.id", "=", userId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    emailVerifiedAt: row.email_verified_at,
    activatedAt: row.activated_at,
    hasEstablishedEngagement: Boolean(row.engaged),
  };
}

/** Verified accounts not yet activated that established members engaged with: ready to activate. */
export async function findReadyToActivate(
  db: Db,
  establishedBefore: Date,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom("users as u")
    .select("u.id")
    .where("u.activated_at", "is", null)
    .where("u.email_verified_at", "is not", null)
    .where(establishedEngagementOfU(establishedBefore))
    .orderBy("u.created_at")
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Marks the account activated unless it already was; true when this call did it. */
export async function markActivated(db: Db, userId: string, at: Date): Promise<boolean> {
  const row = await db
    .updateTable("users")
    .set({ activated_at: at })
    .where("id", "=", userId)
    .where("activated_at", "is", null)
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}
