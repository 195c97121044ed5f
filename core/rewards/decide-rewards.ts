import type { UserId } from "#core/auth/ids.ts";
import {
  type AccountStanding,
  holdReasonText,
  type RiskSignal,
  riskSignalsFor,
} from "#core/integrity/risk-signals.ts";
import { err, ok, type Result } from "#core/result.ts";
import type { RewardBudget, RewardRule } from "./reward-rules.repository.ts";
import { shareOfRuleAmount } from "./reward-share.ts";
import type {
  RewardError,
  RewardOutcome,
  RewardReason,
  RewardRequest,
  RewardStatus,
} from "./reward-types.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Counters of rules without a cap still count, under a bound no day reaches. */
const UNCAPPED = 2_000_000_000;

/** A reward already recorded, as the batch's read returns it. */
export type RecordedReward = {
  id: bigint;
  idempotency_key: string;
  user_id: string;
  action_kind: string;
  target_key: string | null;
  memo: string;
  amount: string;
  status: RewardStatus;
  reason_code: RewardReason["code"] | null;
  reason: string | null;
  hold_until: Date | null;
  created_at: Date;
};

export function outcomeFromRow(row: RecordedReward, isReplay: boolean): RewardOutcome {
  return {
    rewardId: BigInt(row.id),
    key: row.idempotency_key,
    userId: row.user_id as UserId,
    actionKind: row.action_kind,
    status: row.status,
    amount: BigInt(row.amount),
    holdUntil: row.hold_until,
    reason: row.reason_code && row.reason ? { code: row.reason_code, message: row.reason } : null,
    memo: row.memo,
    createdAt: row.created_at,
    isReplay,
  };
}

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The counter of a user's rewards of one kind on one UTC day (the daily cap). */
export function dailyCounterKey(request: RewardRequest, today: string): string {
  return `d:${request.userId}:${request.actionKind}:${today}`;
}

/** The counter of a user's rewards of one kind from one source on one UTC day. */
export function targetCounterKey(request: RewardRequest, today: string): string {
  return `t:${request.userId}:${request.actionKind}:${request.targetKey}:${today}`;
}

/** Every cap counter a batch may move, sorted: the order concurrent batches lock them in. */
export function counterKeysOf(requests: readonly RewardRequest[], today: string): string[] {
  const keys = new Set<string>();
  for (const request of requests) {
    keys.add(dailyCounterKey(request, today));
    if (request.targetKey) keys.add(targetCounterKey(request, today));
  }
  return [...keys].sort();
}

/** One call waiting in a batch: its request and its idempotency key. */
export type BatchRequest = { request: RewardRequest; key: string };

/** What a batch's decisions rest on, read once before deciding. */
export type RewardSnapshot = {
  /** The batch's clock: holds start and caps count from here. */
  now: Date;
  rules: ReadonlyMap<string, RewardRule>;
  budgets: ReadonlyMap<string, RewardBudget>;
  /** What each budget's account may still pay, by account id (after the day's top-up). */
  budgetSpendable: ReadonlyMap<bigint, bigint>;
  /** Rewards already recorded under the batch's keys. */
  recorded: ReadonlyMap<string, RecordedReward>;
  /** When each known user's account was made; a user missing here does not exist. */
  userCreatedAt: ReadonlyMap<string, Date>;
  /** Today's cap counts by counter key; a missing counter is zero. */
  counts: ReadonlyMap<string, number>;
  /**
   * The standing of the batch's earners and engagers (activation, recent earning, game
   * pacing, rings): the facts risk signals fire on. An account missing here raises none.
   */
  standings: ReadonlyMap<string, AccountStanding>;
};

/** An account's standing when nothing about it was read: it raises no signal. */
const UNREAD_STANDING: AccountStanding = {
  activatedAt: new Date(0),
  unactivatedEarned: 0n,
  recentRewards: 0,
  gameRejections: 0,
  ringMembers: null,
};

/** A reward the batch writes: paid (held or available) or refused with its reason. */
export type RewardDecision = {
  /** Its position in the batch. */
  index: number;
  key: string;
  request: RewardRequest;
  rule: RewardRule;
  budget: RewardBudget;
  /** The rule's amount scaled by the request's share. */
  amount: bigint;
  status: "held" | "available" | "refused";
  reason: RewardReason | null;
  holdUntil: Date | null;
  /** The risk signals that hold it for review (empty: only its rule's hold, if any). */
  signals: RiskSignal[];
};

/**
 * What a call gets back: settled now (an invalid call, or a replay of a reward already
 * recorded), or the reward the batch writes under `key` (a replay when an earlier call in
 * the same batch carried the same key).
 */
export type RewardVerdict =
  | { kind: "settled"; result: Result<RewardOutcome, RewardError> }
  | { kind: "written"; key: string; isReplay: boolean };

export type BatchDecisions = {
  verdicts: RewardVerdict[];
  /** In batch order, at most one per key. */
  decisions: RewardDecision[];
  /** Each cap counter's increment and the most it may then reach, sorted by key. */
  counters: { key: string; count: number; cap: number }[];
};

function describeHold(until: Date, now: Date): string {
  const days = Math.ceil((until.getTime() - now.getTime()) / DAY_MS);
  return days <= 1 ? "within a day" : `in ${days} days`;
}

function conflict(key: string): RewardVerdict {
  return {
    kind: "settled",
    result: err({
      code: "idempotency_conflict",
      message: `Reward ${key} was already recorded for another user.`,
    }),
  };
}

/**
 * Decides every reward of a batch, in order, from what was read before: replays, caps
 * (daily, with the caller's bonus, and per target), the budgets' balances, and holds: the
 * rule's short hold (for undo), or a review when a named risk signal fires (see
 * core/integrity/risk-signals.ts). Pure: no database and no clock but the snapshot's.
 */
export function decideRewards(
  snapshot: RewardSnapshot,
  batch: readonly BatchRequest[],
): BatchDecisions {
  const { now, rules, budgets } = snapshot;
  const today = utcDay(now);
  const counts = new Map(snapshot.counts);
  const remaining = new Map(snapshot.budgetSpendable);
  const increments = new Map<string, { count: number; cap: number }>();
  const bump = (key: string, cap: number | null) => {
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const current = increments.get(key);
    // Requests in one batch may carry different cap bonuses: the loosest bounds the check.
    increments.set(key, {
      count: (current?.count ?? 0) + 1,
      cap: Math.max(cap ?? UNCAPPED, current?.cap ?? 0),
    });
  };
  const verdicts: RewardVerdict[] = new Array(batch.length);
  const decisions: RewardDecision[] = [];
  const firstOfKey = new Map<string, number>();
  // Earlier rewards of this batch count towards the same account's allowance and burst.
  const standings = new Map<string, AccountStanding>();
  const standingOf = (userId: string) =>
    standings.get(userId) ?? snapshot.standings.get(userId) ?? UNREAD_STANDING;

  batch.forEach(({ request, key }, index) => {
    const rule = rules.get(request.actionKind);
    if (!rule) {
      verdicts[index] = {
        kind: "settled",
        result: err({
          code: "unknown_action",
          message: `No reward rule for "${request.actionKind}".`,
        }),
      };
      return;
    }
    const original = snapshot.recorded.get(key);
    if (original) {
      verdicts[index] =
        original.user_id === request.userId
          ? { kind: "settled", result: ok(outcomeFromRow(original, true)) }
          : conflict(key);
      return;
    }
    const createdAt = snapshot.userCreatedAt.get(request.userId);
    if (!createdAt) {
      verdicts[index] = {
        kind: "settled",
        result: err({ code: "unknown_user", message: "No such user." }),
      };
      return;
    }
    const earlier = firstOfKey.get(key);
    if (earlier !== undefined) {
      // A duplicate inside this batch gets what the first call of its key gets.
      verdicts[index] =
        batch[earlier]!.request.userId === request.userId
          ? { kind: "written", key, isReplay: true }
          : conflict(key);
      return;
    }
    firstOfKey.set(key, index);
    verdicts[index] = { kind: "written", key, isReplay: false };
    const budget = budgets.get(rule.budgetId)!;
    const amount = shareOfRuleAmount(rule.amount, request.shareThousandths);
    const decide = (
      status: RewardDecision["status"],
      reason: RewardReason | null,
      holdUntil: Date | null,
      signals: RiskSignal[] = [],
    ) => {
      decisions.push({
        index,
        key,
        request,
        rule,
        budget,
        amount,
        status,
        reason,
        holdUntil,
        signals,
      });
    };

    if (!rule.isEnabled) {
      return decide(
        "refused",
        { code: "rule_disabled", message: `Rewards for ${rule.label} are paused.` },
        null,
      );
    }
    const dailyKey = dailyCounterKey(request, today);
    const dailyCap = rule.dailyCap === null ? null : rule.dailyCap + (request.dailyCapBonus ?? 0);
    if (dailyCap !== null && (counts.get(dailyKey) ?? 0) >= dailyCap) {
      return decide(
        "refused",
        {
          code: "daily_cap",
          message: `Daily cap for ${rule.label} reached — resets at 00:00 UTC.`,
        },
        null,
      );
    }
    const targetKey = request.targetKey ? targetCounterKey(request, today) : null;
    if (
      rule.perTargetDailyCap !== null &&
      targetKey !== null &&
      (counts.get(targetKey) ?? 0) >= rule.perTargetDailyCap
    ) {
      return decide(
        "refused",
        {
          code: "target_cap",
          message: `Daily cap for ${rule.label} from the same source reached — resets at 00:00 UTC.`,
        },
        null,
      );
    }
    const left = remaining.get(budget.accountId) ?? 0n;
    if (left < amount) {
      const resets = budget.kind === "daily_emission" ? " — resets at 00:00 UTC" : "";
      return decide(
        "refused",
        { code: "budget_exhausted", message: `The ${budget.name} has run out${resets}.` },
        null,
      );
    }
    remaining.set(budget.accountId, left - amount);
    bump(dailyKey, dailyCap);
    if (targetKey !== null) bump(targetKey, rule.perTargetDailyCap);

    const earner = standingOf(request.userId);
    const engager = request.engagerId ? (snapshot.standings.get(request.engagerId) ?? null) : null;
    const signals = riskSignalsFor({
      actionKind: request.actionKind,
      amount,
      earner,
      engagerId: request.engagerId ?? null,
      engager,
    });
    standings.set(request.userId, {
      ...earner,
      unactivatedEarned: earner.activatedAt === null ? earner.unactivatedEarned + amount : 0n,
      recentRewards: earner.recentRewards + 1,
    });
    const holdMs = rule.holdSeconds * 1000;
    const until = new Date(now.getTime() + holdMs);
    if (signals.length > 0) {
      // Held until no signal remains (the review step) or an admin decides; never by timer.
      return decide(
        "held",
        { code: "risk_review", message: holdReasonText(signals) },
        until,
        signals,
      );
    }
    const reduced = (request.shareThousandths ?? 1000) < 1000 ? request.shareReason : undefined;
    if (reduced) {
      return decide(
        holdMs > 0 ? "held" : "available",
        { code: "reduced_share", message: reduced },
        holdMs > 0 ? until : null,
      );
    }
    if (holdMs > 0) {
      return decide(
        "held",
        {
          code: "hold_period",
          message: `Pending while it can still be undone; releases ${describeHold(until, now)}.`,
        },
        until,
      );
    }
    decide("available", null, null);
  });

  const counters = [...increments.entries()]
    .sort(([x], [y]) => (x < y ? -1 : 1))
    .map(([key, c]) => ({ key, count: c.count, cap: c.cap }));
  return { verdicts, decisions, counters };
}
