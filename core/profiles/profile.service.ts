import type { Db } from "#db/create-db.ts";
import type { ImageContentType } from "#db/schema-social.ts";
import { parseUserId, type UserId } from "../auth/ids.ts";
import {
  err,
  fieldErrorsFromIssues,
  ok,
  validationFailure,
  type Result,
  type ValidationFailure,
} from "../result.ts";
import { prepareAvatarImage, type AvatarImageFailure, type AvatarUpload } from "./avatar-image.ts";
import { profileUpdateInput, type ProfileUpdateInput } from "./profile-input.ts";
import {
  deleteOwnedImage,
  findProfileRowByHandle,
  findProfileRowsByIds,
  findServableImage,
  insertImage,
  lockAvatarImageId,
  setAvatarImageId,
  sumShownEarnings,
  updateProfileRow,
} from "./profile.repository.ts";
import { toProfile, type EarningStats, type Profile, type ProfileRow } from "./profile.ts";

function publicProfile(row: ProfileRow | undefined): Profile | null {
  return row && row.hidden_at === null ? toProfile(row) : null;
}

/** The profile at a handle (with or without `@`, any case); null when missing or hidden. */
export async function getProfileByHandle(db: Db, handle: string): Promise<Profile | null> {
  const normalized = handle.trim().replace(/^@/, "").toLowerCase();
  if (!/^[a-z0-9_]{1,40}$/.test(normalized)) return null;
  return publicProfile(await findProfileRowByHandle(db, normalized));
}

/**
 * Profiles in the order of `ids` (one query, for dataloaders), with null where an id is
 * unknown, malformed, or its user hidden by moderation.
 */
export async function getProfilesByIds(
  db: Db,
  ids: readonly string[],
): Promise<(Profile | null)[]> {
  const valid = ids.map(parseUserId).filter((id): id is UserId => id !== null);
  const rows = await findProfileRowsByIds(db, [...new Set(valid)]);
  const byId = new Map(rows.map((row) => [row.id, publicProfile(row)]));
  return ids.map((id) => byId.get(parseUserId(id) ?? "") ?? null);
}

/** One's own profile, shown to oneself even while hidden by moderation. */
export async function getOwnProfile(db: Db, userId: UserId): Promise<Profile> {
  const [row] = await findProfileRowsByIds(db, [userId]);
  if (!row) throw new Error(`getOwnProfile: user ${userId} does not exist`);
  return toProfile(row);
}

/**
 * Changes the given fields of the user's own profile (display name 1–50 characters, bio
 * at most 280, whether to show earnings); fields left out stay as they are.
 */
export async function updateProfile(
  db: Db,
  userId: UserId,
  raw: ProfileUpdateInput,
): Promise<Result<Profile, ValidationFailure>> {
  const parsed = profileUpdateInput.safeParse(raw);
  if (!parsed.success) return err(validationFailure(fieldErrorsFromIssues(parsed.error.issues)));
  const { displayName, bio, showsEarnings } = parsed.data;
  const row = await updateProfileRow(db, userId, {
    ...(displayName !== undefined ? { display_name: displayName } : {}),
    ...(bio !== undefined ? { bio } : {}),
    ...(showsEarnings !== undefined ? { shows_earnings: showsEarnings } : {}),
  });
  if (!row) throw new Error(`updateProfile: user ${userId} does not exist`);
  return ok(toProfile(row));
}

/**
 * Checks and re-encodes an uploaded image (see prepareAvatarImage), then, in one
 * transaction, stores it, makes it the user's avatar and deletes the one it replaces.
 * The image lives in the database, so every app instance can serve it.
 */
export async function setAvatar(
  db: Db,
  userId: UserId,
  upload: AvatarUpload,
): Promise<Result<Profile, AvatarImageFailure>> {
  // Decoding is CPU work: done before the transaction, so no row is locked meanwhile.
  const prepared = await prepareAvatarImage(upload);
  if (!prepared.ok) return prepared;
  const image = prepared.value;
  const row = await db.transaction().execute(async (trx) => {
    const current = await lockAvatarImageId(trx, userId);
    if (!current) throw new Error(`setAvatar: user ${userId} does not exist`);
    const imageId = await insertImage(trx, { ownerId: userId, ...image });
    const updated = await setAvatarImageId(trx, userId, imageId);
    if (current.avatarImageId !== null) {
      await deleteOwnedImage(trx, current.avatarImageId, userId);
    }
    return updated;
  });
  return ok(toProfile(row));
}

/** Goes back to the identicon and deletes the uploaded image; a no-op without one. */
export async function removeAvatar(
  db: Db,
  userId: UserId,
): Promise<{ profile: Profile; wasRemoved: boolean }> {
  return db.transaction().execute(async (trx) => {
    const current = await lockAvatarImageId(trx, userId);
    if (!current) throw new Error(`removeAvatar: user ${userId} does not exist`);
    const updated = await setAvatarImageId(trx, userId, null);
    if (current.avatarImageId !== null) {
      await deleteOwnedImage(trx, current.avatarImageId, userId);
    }
    return { profile: toProfile(updated), wasRemoved: current.avatarImageId !== null };
  });
}

/**
 * Public earning stats of each of `ids`, in one query: null for users who do not show
 * them (the default), are hidden, or do not exist.
 */
export async function getEarningStatsByIds(
  db: Db,
  ids: readonly string[],
): Promise<(EarningStats | null)[]> {
  const valid = ids.map(parseUserId).filter((id): id is UserId => id !== null);
  const rows = await sumShownEarnings(db, [...new Set(valid)]);
  const byId = new Map(
    rows.map((row) => [
      row.userId,
      { totalEarned: BigInt(row.total), rewardCount: Number(row.count) },
    ]),
  );
  return ids.map((id) => byId.get(parseUserId(id) ?? "") ?? null);
}

/** The user's public earning stats, or null unless they chose to show them. */
export async function getEarningStats(db: Db, userId: UserId): Promise<EarningStats | null> {
  const [stats] = await getEarningStatsByIds(db, [userId]);
  return stats ?? null;
}

const maxImageId = 2n ** 63n - 1n;
const imageFileName = /^([1-9][0-9]{0,18})(?:\.(webp|png|jpe?g))?$/;
const extensionTypes: Record<string, ImageContentType> = {
  webp: "image/webp",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
};

/**
 * An image to serve for a `/media/<name>` request, where name is the id with an optional
 * extension that must match the stored type; null for malformed or unknown ids and for
 * images of users hidden by moderation.
 */
export async function getServableImage(
  db: Db,
  name: string,
): Promise<{ contentType: ImageContentType; bytes: Uint8Array } | null> {
  const match = imageFileName.exec(name);
  if (!match) return null;
  const id = BigInt(match[1]!);
  if (id > maxImageId) return null;
  const image = await findServableImage(db, id);
  if (!image) return null;
  const extension = match[2];
  if (extension && extensionTypes[extension] !== image.contentType) return null;
  return image;
}
