import type { UserId } from "#core/auth/ids.ts";
import { linkPermission } from "#core/trust/link-permission.ts";
import { linksOf } from "./post-text.ts";
import type { SocialServices } from "./social-services.ts";
import type { SocialFailure } from "./social-types.ts";

/**
 * Why this text (a post's or a comment's) may not be published by this person, when it has
 * links they may not post yet (trust level 1 unlocks links); null when it may. Comments
 * take the same rule as posts: otherwise a new account's spam would simply move there.
 */
export async function linkFailure(
  deps: SocialServices,
  authorId: UserId,
  text: string,
  now: Date,
): Promise<SocialFailure | null> {
  if (linksOf(text).length === 0) return null;
  const permission = await linkPermission(deps.db, authorId, now);
  if (permission.isAllowed) return null;
  return {
    code: "trust_level_too_low",
    message: permission.message,
    fieldErrors: { body: [permission.message] },
    requiredTrustLevel: permission.requiredLevel,
  };
}
