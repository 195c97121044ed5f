import type { UserRow } from "#db/schema.ts";
import type { UserId } from "../auth/ids.ts";

/** What anyone may see of a user: the public face of an account. */
export type Profile = {
  id: UserId;
  handle: string;
  displayName: string;
  bio: string;
  /** `/media/<imageId>.webp` for an uploaded avatar, else `/avatars/<userId>.svg` (identicon). */
  avatarUrl: string;
  hasUploadedAvatar: boolean;
  followerCount: number;
  followingCount: number;
  postCount: number;
  /** Whether the user chose to show their earning stats on their profile. */
  showsEarnings: boolean;
  createdAt: Date;
};

/** A user's public earning stats: only ever read for users who chose to show them. */
export type EarningStats = {
  /** Base units of MICRO, summed over rewards that were granted and not reversed (held ones too). */
  totalEarned: bigint;
  rewardCount: number;
};

/** The users columns a Profile is made from. */
export const profileColumns = [
  "id",
  "handle",
  "display_name",
  "bio",
  "avatar_image_id",
  "shows_earnings",
  "hidden_at",
  "follower_count",
  "following_count",
  "post_count",
  "created_at",
] as const satisfies readonly (keyof UserRow)[];

export type ProfileRow = Pick<UserRow, (typeof profileColumns)[number]>;

/** Where an uploaded image is served (app/routes/media.$imageId.ts). */
export function mediaUrl(imageId: bigint): string {
  return `/media/${imageId}.webp`;
}

/** Where a user's identicon is served (app/routes/avatars.$userId.ts). */
export function identiconUrl(userId: string): string {
  return `/avatars/${userId.toLowerCase()}.svg`;
}

/** The uploaded avatar if there is one, else the identicon; never empty. */
export function avatarUrl(user: { id: string; avatarImageId: bigint | null }): string {
  return user.avatarImageId === null ? identiconUrl(user.id) : mediaUrl(user.avatarImageId);
}

export function toProfile(row: ProfileRow): Profile {
  return {
    id: row.id as UserId,
    handle: row.handle,
    displayName: row.display_name,
    bio: row.bio,
    avatarUrl: avatarUrl({ id: row.id, avatarImageId: row.avatar_image_id }),
    hasUploadedAvatar: row.avatar_image_id !== null,
    followerCount: row.follower_count,
    followingCount: row.following_count,
    postCount: row.post_count,
    showsEarnings: row.shows_earnings,
    createdAt: row.created_at,
  };
}
