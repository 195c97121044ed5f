import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";
import { readUserTotals } from "./activity.repository.ts";
import { levelForXp, levelPostCapBonus } from "./levels.ts";
import {
  evaluateTrust,
  LINK_TRUST_LEVEL,
  trustLevelNames,
  trustPostCapBonus,
  type TrustLevel,
} from "./trust-levels.ts";

/** A recorded trust level older than this is evaluated again before it raises a cap. */
export const TRUST_RECHECK_MS = 10 * 60 * 1000;

/**
 * Extra rewarded posts a day this person has earned: the level's perk plus the trust
 * level's. Social passes it to the rewards engine as `dailyCapBonus`, so the engine's
 * hot path reads nothing more. Usually one query; the trust level is re-evaluated when
 * its record is older than ten minutes (so hidden content takes the bonus away soon).
 */
export async function postCapBonus(db: Db, userId: UserId, now = new Date()): Promise<number> {
  const totals = await readUserTotals(db, userId);
  let trustLevel = totals.trustLevel;
  if (
    totals.trustEvaluatedAt === null ||
    now.getTime() - totals.trustEvaluatedAt.getTime() > TRUST_RECHECK_MS
  ) {
    trustLevel = (await evaluateTrust(db, userId, now)).level;
  }
  return levelPostCapBonus(levelForXp(totals.xp)) + trustPostCapBonus(trustLevel);
}

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
