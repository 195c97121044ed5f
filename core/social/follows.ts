import { sql } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import { err, ok, type Result } from "#core/result.ts";
import type { RewardOutcome } from "#core/rewards/reward-types.ts";
import type { Db, Trx } from "#db/create-db.ts";
import { decodeCursor, encodeCursor, InvalidCursorError } from "./cursor.ts";
import { notify } from "./notifications.ts";
import { findPeople } from "./people.ts";
import { reverseFollowReward, rewardFollow } from "./social-rewards.ts";
import type { SocialDeps } from "./social-deps.ts";
import { notFound, type Page, type SocialFailure } from "./social-types.ts";

export type FollowState = {
  followeeId: UserId;
  following: boolean;
  followerCount: number;
  /** What the followee earned (shown to them, not to the follower). */
  reward: RewardOutcome | null;
};

const selfFailure = (what: string): SocialFailure => ({
  code: "self_action",
  message: `You cannot ${what} yourself.`,
});

async function followerCount(db: Db, userId: UserId): Promise<number> {
  const row = await db
    .selectFrom("users")
    .select("follower_count")
    .where("id", "=", userId)
    .executeTakeFirst();
  return row?.follower_count ?? 0;
}

/**
 * Moves both people's counters in one statement, which updates the rows in id order:
 * two people following each other at once cannot deadlock.
 */
async function adjustFollowCounters(
  trx: Trx,
  followerId: UserId,
  followeeId: UserId,
  delta: number,
) {
  await sql`
    update users set
      following_count = following_count + case when id = ${followerId} then ${delta}::int else 0 end,
      follower_count = follower_count + case when id = ${followeeId} then ${delta}::int else 0 end
    where id in (select id from users where id in (${followerId}, ${followeeId}) order by id for update)`.execute(
    trx,
  );
}

/** Follows someone; following again changes nothing and never pays twice. */
export async function follow(
  deps: SocialDeps,
  followerId: UserId,
  followeeId: UserId,
): Promise<Result<FollowState, SocialFailure>> {
  if (followerId === followeeId) return err(selfFailure("follow"));
  const people = await findPeople(deps.db, [followerId, followeeId]);
  if (!people.has(followeeId)) return err(notFound("person"));
  const isNew = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("follows")
      .values({ follower_id: followerId, followee_id: followeeId })
      .onConflict((oc) => oc.columns(["follower_id", "followee_id"]).doNothing())
      .returning("followee_id")
      .executeTakeFirst();
    if (!row) return false;
    await adjustFollowCounters(trx, followerId, followeeId, 1);
    return true;
  });
  const reward = await rewardFollow(deps, {
    followerId,
    followerName: people.get(followerId)?.displayName ?? "Someone",
    followeeId,
  });
  if (isNew) {
    await notify(deps, [
      {
        userId: followeeId,
        kind: "follow",
        actorId: followerId,
        rewardId: reward.ok && reward.value.status !== "refused" ? reward.value.rewardId : null,
        dedupeKey: `follow:${followeeId}:${followerId}`,
      },
    ]);
  }
  return ok({
    followeeId,
    following: true,
    followerCount: await followerCount(deps.db, followeeId),
    reward: reward.ok ? reward.value : null,
  });
}

/** Stops following; the followee's reward is reversed while still held. Idempotent. */
export async function unfollow(
  deps: SocialDeps,
  followerId: UserId,
  followeeId: UserId,
): Promise<Result<FollowState, SocialFailure>> {
  if (followerId === followeeId) return err(selfFailure("unfollow"));
  const exists = await deps.db
    .selectFrom("users")
    .select("id")
    .where("id", "=", followeeId)
    .executeTakeFirst();
  if (!exists) return err(notFound("person"));
  await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .deleteFrom("follows")
      .where("follower_id", "=", followerId)
      .where("followee_id", "=", followeeId)
      .returning("followee_id")
      .executeTakeFirst();
    if (!row) return;
    await adjustFollowCounters(trx, followerId, followeeId, -1);
  });
  await reverseFollowReward(deps.db, followeeId, followerId);
  return ok({
    followeeId,
    following: false,
    followerCount: await followerCount(deps.db, followeeId),
    reward: null,
  });
}

/** Which of `userIds` the viewer follows (for follow buttons on a list). */
export async function followedAmong(
  db: Db,
  viewerId: UserId,
  userIds: readonly UserId[],
): Promise<Set<UserId>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectFrom("follows")
    .select("followee_id")
    .where("follower_id", "=", viewerId)
    .where("followee_id", "in", [...userIds])
    .execute();
  return new Set(rows.map((r) => r.followee_id as UserId));
}

/** Someone's followers or the people they follow, most recent first. */
export async function listConnections(
  db: Db,
  userId: UserId,
  direction: "followers" | "following",
  page: { limit: number; after?: string | null },
): Promise<Page<UserId>> {
  const [mine, theirs] =
    direction === "followers"
      ? (["followee_id", "follower_id"] as const)
      : (["follower_id", "followee_id"] as const);
  const after = page.after ? decodeCursor(page.after, ["s", "s"]) : null;
  if (after && Number.isNaN(new Date(after[0]).getTime())) throw new InvalidCursorError();
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
          eb.tuple(new Date(after![0]), after![1]),
        ),
      ),
    )
    .orderBy("follows.created_at", "desc")
    .orderBy(`follows.${theirs}`, "desc")
    .limit(page.limit + 1)
    .execute();
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return {
    items: items.map((r) => r.id as UserId),
    nextCursor:
      rows.length > page.limit && last
        ? encodeCursor([last.created_at.toISOString(), last.id])
        : null,
  };
}

/** Mutes someone: their posts leave the viewer's feeds. Idempotent. */
export async function mute(
  db: Db,
  userId: UserId,
  mutedId: UserId,
): Promise<Result<{ muted: true }, SocialFailure>> {
  if (userId === mutedId) return err(selfFailure("mute"));
  const people = await findPeople(db, [mutedId]);
  if (!people.has(mutedId)) return err(notFound("person"));
  await db
    .insertInto("mutes")
    .values({ user_id: userId, muted_user_id: mutedId })
    .onConflict((oc) => oc.columns(["user_id", "muted_user_id"]).doNothing())
    .execute();
  return ok({ muted: true });
}

export async function unmute(db: Db, userId: UserId, mutedId: UserId): Promise<{ muted: false }> {
  await db
    .deleteFrom("mutes")
    .where("user_id", "=", userId)
    .where("muted_user_id", "=", mutedId)
    .execute();
  return { muted: false };
}

export async function mutedAmong(
  db: Db,
  viewerId: UserId,
  userIds: readonly UserId[],
): Promise<Set<UserId>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectFrom("mutes")
    .select("muted_user_id")
    .where("user_id", "=", viewerId)
    .where("muted_user_id", "in", [...userIds])
    .execute();
  return new Set(rows.map((r) => r.muted_user_id as UserId));
}
