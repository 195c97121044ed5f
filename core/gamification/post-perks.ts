import type { UserId } from "#core/auth/ids.ts";
import { evaluateTrust, trustPostCapBonus } from "#core/trust/trust-levels.ts";
import type { Db } from "#db/create-db.ts";
import { readUserTotals } from "./activity.repository.ts";
import { levelForXp, levelPostCapBonus } from "./levels.ts";

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
