import type { UserId } from "#core/auth/ids.ts";
import { err, ok, type Result } from "#core/result.ts";
import type { RewardOutcome } from "#core/rewards/reward-types.ts";
import type { Db } from "#db/create-db.ts";
import { decodeCursor, encodeCursor, InvalidCursorError } from "./cursor.ts";
import { notify } from "./notifications.ts";
import {
  adjustFollowCounters,
  deleteFollow,
  deleteMute,
  findConnections,
  followerCount,
  insertFollow,
  insertMute,
  lockFollowPair,
} from "./follows.repository.ts";
import { accountExists, findPeople } from "./people.repository.ts";
import { reverseFollowReward, rewardFollow } from "./social-rewards.ts";
import type { SocialServices } from "./social-services.ts";
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

/** Follows someone; following again changes nothing and never pays twice. */
export async function follow(
  deps: SocialServices,
  followerId: UserId,
  followeeId: UserId,
): Promise<Result<FollowState, SocialFailure>> {
  if (followerId === followeeId) return err(selfFailure("follow"));
  const people = await findPeople(deps.db, [followerId, followeeId]);
  if (!people.has(followeeId)) return err(notFound("person"));
  const isNew = await deps.db.transaction().execute(async (trx) => {
    await lockFollowPair(trx, followerId, followeeId);
    if (!(await insertFollow(trx, followerId, followeeId))) return false;
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
  deps: SocialServices,
  followerId: UserId,
  followeeId: UserId,
): Promise<Result<FollowState, SocialFailure>> {
  if (followerId === followeeId) return err(selfFailure("unfollow"));
  if (!(await accountExists(deps.db, followeeId))) return err(notFound("person"));
  await deps.db.transaction().execute(async (trx) => {
    await lockFollowPair(trx, followerId, followeeId);
    if (!(await deleteFollow(trx, followerId, followeeId))) return;
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

/** Someone's followers or the people they follow, most recent first. */
export async function listConnections(
  db: Db,
  userId: UserId,
  direction: "followers" | "following",
  page: { limit: number; after?: string | null },
): Promise<Page<UserId>> {
  const after = page.after ? decodeCursor(page.after, ["s", "s"]) : null;
  if (after && Number.isNaN(new Date(after[0]).getTime())) throw new InvalidCursorError();
  const rows = await findConnections(
    db,
    userId,
    direction,
    after && { createdAt: new Date(after[0]), id: after[1] },
    page.limit + 1,
  );
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return {
    items: items.map((r) => r.id),
    nextCursor:
      rows.length > page.limit && last
        ? encodeCursor([last.createdAt.toISOString(), last.id])
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
  await insertMute(db, userId, mutedId);
  return ok({ muted: true });
}

export async function unmute(db: Db, userId: UserId, mutedId: UserId): Promise<{ muted: false }> {
  await deleteMute(db, userId, mutedId);
  return { muted: false };
}
