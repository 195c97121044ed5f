import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";
import {
  evaluateTrust,
  LINK_TRUST_LEVEL,
  trustLevelNames,
  type TrustLevel,
} from "./trust-levels.ts";

export type LinkPermission =
  | { isAllowed: true }
  | { isAllowed: false; trustLevel: TrustLevel; requiredLevel: TrustLevel; message: string };

/**
 * Whether this person may post links now. Their trust level is evaluated afresh (a few
 * reads, only for a text with links), so content hidden a moment ago counts at once.
 */
export async function linkPermission(
  db: Db,
  userId: UserId,
  now = new Date(),
): Promise<LinkPermission> {
  const trust = await evaluateTrust(db, userId, now);
  if (trust.canPostLinks) return { isAllowed: true };
  // Below the link level, the next level is at most the link level: its unmet requirements are what is left.
  const left = (trust.next?.requirements ?? [])
    .filter((r) => !r.isMet)
    .map((r) => r.description.charAt(0).toLowerCase() + r.description.slice(1));
  return {
    isAllowed: false,
    trustLevel: trust.level,
    requiredLevel: LINK_TRUST_LEVEL,
    message:
      `Links unlock at trust level ${LINK_TRUST_LEVEL} (${trustLevelNames[LINK_TRUST_LEVEL]})` +
      (left.length > 0 ? `; still to do: ${left.join("; ")}.` : ".") +
      " Remove the link to post now.",
  };
}
