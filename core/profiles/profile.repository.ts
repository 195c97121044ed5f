import { sql } from "kysely";
import type { Db } from "#db/create-db.ts";
import type { ImageContentType } from "#db/schema-social.ts";
import type { UserId } from "../auth/ids.ts";
import { profileColumns, type ProfileRow } from "./profile.ts";

export function findProfileRowsByIds(db: Db, ids: readonly UserId[]): Promise<ProfileRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom("users").select(profileColumns).where("id", "in", ids).execute();
}

export function findProfileRowByHandle(db: Db, handle: string): Promise<ProfileRow | undefined> {
  return db
    .selectFrom("users")
    .select(profileColumns)
    .where("handle", "=", handle)
    .executeTakeFirst();
}

export function updateProfileRow(
  db: Db,
  id: UserId,
  changes: { display_name?: string; bio?: string; shows_earnings?: boolean },
): Promise<ProfileRow | undefined> {
  return db
    .updateTable("users")
    .set({ ...changes, updated_at: new Date() })
    .where("id", "=", id)
    .returning(profileColumns)
    .executeTakeFirst();
}

/** The user's current avatar image id, with the users row locked until the transaction ends. */
export async function lockAvatarImageId(
  trx: Db,
  userId: UserId,
): Promise<{ avatarImageId: bigint | null } | undefined> {
  const row = await trx
    .selectFrom("users")
    .select("avatar_image_id")
    .where("id", "=", userId)
    .forUpdate()
    .executeTakeFirst();
  return row ? { avatarImageId: row.avatar_image_id } : undefined;
}

export function setAvatarImageId(
  trx: Db,
  userId: UserId,
  imageId: bigint | null,
): Promise<ProfileRow> {
  return trx
    .updateTable("users")
    .set({ avatar_image_id: imageId, updated_at: new Date() })
    .where("id", "=", userId)
    .returning(profileColumns)
    .executeTakeFirstOrThrow();
}

export async function insertImage(
  trx: Db,
  image: {
    ownerId: UserId;
    contentType: ImageContentType;
    bytes: Uint8Array;
    width: number;
    height: number;
  },
): Promise<bigint> {
  const row = await trx
    .insertInto("images")
    .values({
      owner_id: image.ownerId,
      content_type: image.contentType,
      bytes: image.bytes,
      width: image.width,
      height: image.height,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Deletes an image only if `ownerId` owns it. */
export async function deleteOwnedImage(trx: Db, imageId: bigint, ownerId: UserId): Promise<void> {
  await trx
    .deleteFrom("images")
    .where("id", "=", imageId)
    .where("owner_id", "=", ownerId)
    .execute();
}

/** An image to serve: none when it does not exist or its owner is hidden by moderation. */
export function findServableImage(
  db: Db,
  imageId: bigint,
): Promise<{ contentType: ImageContentType; bytes: Uint8Array } | undefined> {
  return db
    .selectFrom("images")
    .innerJoin("users", "users.id", "images.owner_id")
    .select(["images.content_type as contentType", "images.bytes"])
    .where("images.id", "=", imageId)
    .where("users.hidden_at", "is", null)
    .executeTakeFirst();
}

/**
 * Earnings of those of `userIds` who show them and are not hidden: the sum and count of
 * their rewards that were granted and not reversed (held or available). Users who do
 * not show their earnings get no row; those who show them but earned nothing get zeros.
 */
export function sumShownEarnings(
  db: Db,
  userIds: readonly UserId[],
): Promise<{ userId: string; total: string; count: bigint }[]> {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("users")
    .leftJoin("rewards", (join) =>
      join
        .onRef("rewards.user_id", "=", "users.id")
        .on("rewards.status", "in", ["held", "available"]),
    )
    .select([
      "users.id as userId",
      sql<string>`coalesce(sum(rewards.amount), 0)::text`.as("total"),
      sql<bigint>`count(rewards.id)`.as("count"),
    ])
    .where("users.id", "in", userIds)
    .where("users.shows_earnings", "=", true)
    .where("users.hidden_at", "is", null)
    .groupBy("users.id")
    .execute();
}
