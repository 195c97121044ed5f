import { formatMicro, parseMicro } from "#shared/money.ts";

/**
 * Named risk signals (issue #15): a reward is held for review only when one of these
 * fires, and the user reads its words. Pure rules over facts read beforehand, so the
 * reward engine's `decideRewards` stays pure and the rules are tested without a database.
 */
export type RiskSignalCode =
  "not_activated" | "engager_not_activated" | "burst" | "ring" | "game_pacing";

export type RiskSignal = {
  code: RiskSignalCode;
  /** What the user reads in their wallet. */
  message: string;
  /** The account whose standing fired it, when not the earner's own (a liker, a follower). */
  engagerId?: string | null;
};

/**
 * What a non-activated account may earn before its rewards wait for activation: one
 * day's check-in, and only check-ins. Small on purpose: a farm of fresh accounts earns
 * about this each, next to the welcome bonus (1 MICRO) that waits for activation. Likes
 * given, comments and posts wait too: sockpuppets liking and commenting on each other's
 * posts earned 12% of a naive platform's pay inside a wider allowance (bench:integrity).
 */
export const UNACTIVATED_ALLOWANCE = parseMicro("0.01");
/** The only kinds a non-activated account is paid without review (within the allowance). */
export const PAID_BEFORE_ACTIVATION = new Set(["checkin.daily"]);
/** The window and count of rewards past which earning counts as a burst. */
export const BURST_WINDOW_MINUTES = 10;
export const BURST_REWARDS = 60;
/** Refused game runs (too fast, inhuman input) in this window make a history. */
export const GAME_PACING_WINDOW_DAYS = 7;
export const GAME_PACING_REJECTIONS = 2;
/**
 * A ring: everyone who liked or followed the account in RING_WINDOW_DAYS is someone it
 * likes or follows back, they are few (RING_MIN_MEMBERS to RING_MAX_MEMBERS), and they
 * engaged at least RING_MIN_ENGAGEMENTS_PER_MEMBER times each on average: a closed group
 * feeding each other. An open account's engagers include people it never engaged with.
 */
export const RING_WINDOW_DAYS = 30;
export const RING_MIN_MEMBERS = 2;
export const RING_MAX_MEMBERS = 6;
export const RING_MIN_ENGAGEMENTS_PER_MEMBER = 3;

const SOCIAL_KIND = /^(like|follow|comment)\./;
/** Reward kinds paid for social engagement: the ring signal applies to these. */
export function isSocialRewardKind(actionKind: string): boolean {
  return SOCIAL_KIND.test(actionKind);
}
/** Paid at activation: the activation itself is its check. */
const ACTIVATION_KINDS = new Set(["account.welcome"]);

/** The standing of an account, as read just before deciding. */
export type AccountStanding = {
  activatedAt: Date | null;
  /** What a non-activated account has earned so far (held or available); 0 once activated. */
  unactivatedEarned: bigint;
  /** Its rewards (not refused) in the last BURST_WINDOW_MINUTES. */
  recentRewards: number;
  /** Its game runs refused as too fast or inhuman in the last GAME_PACING_WINDOW_DAYS. */
  gameRejections: number;
  /** The closed group it belongs to (see RING_*), or null when its engagers are open. */
  ringMembers: number | null;
};

export type RewardRiskInput = {
  actionKind: string;
  amount: bigint;
  earner: AccountStanding;
  engagerId?: string | null;
  /** The engager's standing; null when there is none or it is unknown. */
  engager: Pick<AccountStanding, "activatedAt"> | null;
};

export const signalWords = {
  not_activated: () =>
    `Held until your account is activated: before that an account earns only its check-ins, at most ${formatMicro(UNACTIVATED_ALLOWANCE)} MICRO. Verify your email and take part: once an established member likes, comments on or follows something of yours, it is released.`,
  engager_not_activated: () =>
    "Held for review: it came from an account that is not activated yet; released once that account activates.",
  burst: (count: number) =>
    `Held for review: ${count} rewards in ${BURST_WINDOW_MINUTES} minutes is faster than people earn.`,
  ring: (members: number) =>
    `Held for review: your likes and follows come only from the same ${members} accounts that you like and follow back.`,
  game_pacing: (count: number) =>
    `Held for review: ${count} of your game runs in the last ${GAME_PACING_WINDOW_DAYS} days were refused as too fast or not played by a person.`,
} as const;

/** Every signal that fires for one reward (empty: no reason to hold it beyond its rule). */
export function riskSignalsFor(input: RewardRiskInput): RiskSignal[] {
  const { earner } = input;
  const signals: RiskSignal[] = [];
  if (
    earner.activatedAt === null &&
    !ACTIVATION_KINDS.has(input.actionKind) &&
    (!PAID_BEFORE_ACTIVATION.has(input.actionKind) ||
      earner.unactivatedEarned + input.amount > UNACTIVATED_ALLOWANCE)
  ) {
    signals.push({ code: "not_activated", message: signalWords.not_activated() });
  }
  if (input.engagerId && input.engager && input.engager.activatedAt === null) {
    signals.push({
      code: "engager_not_activated",
      message: signalWords.engager_not_activated(),
      engagerId: input.engagerId,
    });
  }
  // This reward counts too: the 60th in ten minutes fires.
  if (earner.recentRewards + 1 >= BURST_REWARDS) {
    signals.push({ code: "burst", message: signalWords.burst(earner.recentRewards + 1) });
  }
  if (earner.ringMembers !== null && isSocialRewardKind(input.actionKind)) {
    signals.push({ code: "ring", message: signalWords.ring(earner.ringMembers) });
  }
  if (earner.gameRejections >= GAME_PACING_REJECTIONS) {
    signals.push({ code: "game_pacing", message: signalWords.game_pacing(earner.gameRejections) });
  }
  return signals;
}

/** The facts a review step looks at again for a held reward. */
export type CurrentStanding = {
  earnerActivated: boolean;
  /** Null when the signal names no engager or the engager is gone. */
  engagerActivated: boolean | null;
  earnerRingMembers: number | null;
};

/**
 * Whether a recorded signal still holds. Activation and rings can change; a burst or a
 * history of refused runs happened when the reward was earned and stays until an admin
 * decides (a timer would only delay an attacker).
 */
export function isSignalStillFiring(code: string, now: CurrentStanding): boolean {
  switch (code) {
    case "not_activated":
      return !now.earnerActivated;
    case "engager_not_activated":
      // A deleted engager's like or follow is gone too: nothing left to wait for.
      return now.engagerActivated === false;
    case "ring":
      return now.earnerRingMembers !== null;
    default:
      return true;
  }
}

/** One line for a reward held by several signals: each one's words, in order. */
export function holdReasonText(signals: readonly RiskSignal[]): string {
  return signals.map((s) => s.message).join(" ");
}

/** Whether a ring is closed enough to fire (see RING_*). */
export function isRing(group: {
  engagers: number;
  reciprocated: number;
  engagements: number;
}): boolean {
  return (
    group.engagers >= RING_MIN_MEMBERS &&
    group.engagers <= RING_MAX_MEMBERS &&
    group.reciprocated === group.engagers &&
    group.engagements >= group.engagers * RING_MIN_ENGAGEMENTS_PER_MEMBER
  );
}
