/**
 * XP per rewarded action, by the reward's action kind. Every reward that is held or
 * available earns its kind's XP once (refused and reversed ones earn none), whatever it
 * paid: XP measures taking part, the wallet measures money.
 *
 * A kind missing here earns its family's XP (the part before the first dot), else
 * DEFAULT_XP, so referrals, surveys, gigs and third-party apps earn XP the day their
 * reward rules appear, without a change here.
 */
export const xpByKind: Readonly<Record<string, number>> = {
  "account.welcome": 10,
  "checkin.daily": 5,
  "post.created": 10,
  "comment.created": 5,
  "like.given": 1,
  "like.received": 2,
  "follow.received": 5,
  "game.achievement": 25,
  "streak.bonus": 20,
  "quest.reward": 50,
};

/** XP for kinds of a known family that have no entry of their own (an external game's achievements). */
export const xpByFamily: Readonly<Record<string, number>> = { game: 25 };

export const DEFAULT_XP = 5;

/**
 * Bump when the table above changes: the next fold recomputes every total from the
 * rewards table, so XP always follows the current table.
 */
export const XP_TABLE_VERSION = 1;

/** The kinds this layer pays itself: they earn XP but are not activity (no streak day, no quest step). */
export const gamificationKinds = {
  streakBonus: "streak.bonus",
  questReward: "quest.reward",
} as const;
export const ownKinds: readonly string[] = Object.values(gamificationKinds);

export function xpFor(actionKind: string): number {
  const exact = xpByKind[actionKind];
  if (exact !== undefined) return exact;
  const family = xpByFamily[actionKind.split(".")[0]!];
  return family ?? DEFAULT_XP;
}
