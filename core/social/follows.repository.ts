import { sql } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import type { Db, Trx } from "#db/create-db.ts";

export async function followerCount(db: Db, userId: UserId): Promise<number> {
  const row = await db
    .selectFrom("users")
    .select("follower_count")
    .where("id", "=", userId)
    .executeTakeFirst();
  return row?.follower_count ?? 0;
}

/**
 * Locks both people's rows in id order, before the follow is written. The follow's foreign
 * keys take FOR KEY SHARE on both rows; a later FOR UPDATE conflicts with the KEY SHARE of
 * everyone else following the same person at once, so 20 followers of one account
 * deadlocked each other. FOR NO KEY UPDATE (what a counter update needs) does not conflict
 * with KEY SHARE, and taking it first, in id order, makes followers of one account queue on
 * its row instead: two people following each other at once cannot deadlock either.
 */
export async function lockFollowPair(
  trx: Trx,
  followerId: UserId,
  followeeId: UserId,
): Promise<void> {
  await sql`
    select id from users where id in (${followerId}, ${followeeId})
    order by id for no key update`.execute(trx);
}

/** Moves both people's counters; the rows are locked already (lockFollowPair). */
export async function adjustFollowCounters(
  trx: Trx,
  followerId: UserId,
  followeeId: UserId,
  delta: number,
) {
  await sql`
    update users set
      following_count = following_count + case when id = ${followerId} then ${delta}::int else 0 end,
      follower_count = follower_count + case when id = ${followeeId} then ${delta}::int else 0 end
    where id in (${followerId}, ${followeeId})`.execute(trx);
}

/** Adds the follow; false when it was there already. */
export async function insertFollow(
  trx: Trx,
  followerId: UserId,
  followeeId: UserId,
): Promise<boolean> {
  const row = await trx
    .insertInto("follows")
    .values({ follower_id: followerId, followee_id: followeeId })
    .onConflict((oc) => oc.columns(["follower_id", "followee_id"]).doNothing())
    .returning("followee_id")
    .executeTakeFirst();
  return row !== undefined;
}

/** Removes the follow; false when there was none. */
export async function deleteFollow(
  trx: Trx,
  followerId: UserId,
  followeeId: UserId,
): Promise<boolean> {
  const row = await trx
    .deleteFrom("follows")
    .where("follower_id", "=", followerId)
    .where("followee_id", "=", followeeId)
    .returning("followee_id")
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * A page of someone's followers (`followers`) or followees (`following`) who are not
 * hidden, most recent first, after the keyset `after`; `limit` of them.
 */
export async function findConnections(
  db: Db,
  userId: UserId,
  direction: "followers" | "following",
  after: { createdAt: Date; id: string } | null,
  limit: number,
): Promise<{ id: UserId; createdAt: Date }[]> {
  const [mine, theirs] =
    direction === "followers"
      ? (["followee_id", "follower_id"] as const)
      : (["follower_id", "followee_id"] as const);
  const rows = await db
    .selectFrom("follows")
    .innerJoin("users", "users.id", `follows.${theirs}`)
    .select([`follows.${theirs} as id`, "follows.created_at"])
    .where(`follows.${mine}`, "=", userId)
    .where("users.hidden_at", "is", null)
    .$if(after !== null, (q) =>
      q.where((eb) =>
        eb(
          eb.refTuple("follows.created_at", `follows.${theirs}`),
          "<",
          eb.tuple(after!.createdAt, after!.id),
        ),
      ),
    )
    .orderBy("follows.created_at", "desc")
    .orderBy(`follows.${theirs}`, "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id as UserId, createdAt: r.created_at }));
}

export async function insertMute(db: Db, userId: UserId, mutedId: UserId): Promise<void> {
  await db
    .insertInto("mutes")
    .values({ user_id: userId, muted_user_id: mutedId })
    .onConflict((oc) => oc.columns(["user_id", "muted_user_id"]).doNothing())
    .execute();
}

export async function deleteMute(db: Db, userId: UserId, mutedId: UserId): Promise<void> {
  await db
    .deleteFrom("mutes")
    .where("user_id", "=", userId)
    .where("muted_user_id", "=", mutedId)
    .execute();
}
