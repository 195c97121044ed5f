/**
 * What each scenario attempted (priced as a naive platform would pay it), what it earned
 * (its rewards available at the end), and the clock the bench advances after the actions.
 */
import { sql } from "kysely";
import { gamificationRules } from "#core/gamification/gamification-rules.ts";
import { refreshActiveUsers } from "#core/gamification/progress.service.ts";
import { activateReadyAccounts } from "#core/integrity/activation.ts";
import { reevaluateHeldRewards } from "#core/integrity/review-queue.ts";
import { RewardEngine } from "#core/rewards/reward-engine.ts";
import { releaseMaturedRewards } from "#core/rewards/reward.service.ts";
import type { Db } from "#db/create-db.ts";

export type RuleAmounts = ReadonlyMap<string, bigint>;

/**
 * The amounts in reward_rules; the gamification layer writes its rules on first use, so
 * until then its defaults stand in for them.
 */
export async function readRuleAmounts(db: Db): Promise<RuleAmounts> {
  const rows = await db.selectFrom("reward_rules").select(["action_kind", "amount"]).execute();
  return new Map([
    ...gamificationRules.map((r) => [r.actionKind, r.amount] as const),
    ...rows.map((r) => [r.action_kind, BigInt(r.amount)] as const),
  ]);
}

/** One attacker (or the honest users): its accounts, the kinds it counts and its naive price. */
export class Scenario {
  readonly userIds = new Set<string>();
  readonly did: string[] = [];
  /** What the doors answered, counted: "likePost: ok" → 25. */
  readonly outcomes = new Map<string, number>();
  naive = 0n;
  attempts = 0;

  constructor(
    readonly name: string,
    readonly summary: string,
    /** The reward kinds this scenario is after; its accounts' other rewards are not counted. */
    readonly kinds: readonly string[],
    private readonly rules: RuleAmounts,
  ) {}

  /** A naive platform pays every attempt the rule's full amount (times a quest's or achievement's own share). */
  attempt(kind: string, count = 1, shareThousandths = 1000) {
    const amount = this.rules.get(kind);
    if (amount === undefined) throw new Error(`no reward rule for ${kind}`);
    this.naive += (amount * BigInt(shareThousandths) * BigInt(count)) / 1000n;
    this.attempts += count;
  }

  note(line: string) {
    this.did.push(line);
  }
}

export type RewardRow = {
  id: string;
  user_id: string;
  action_kind: string;
  amount: bigint;
  status: string;
  reason_code: string | null;
  reason: string | null;
  created_at: Date;
};

export async function readRewards(db: Db, userIds: readonly string[]): Promise<RewardRow[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom("rewards")
    .select([
      "id",
      "user_id",
      "action_kind",
      "amount",
      "status",
      "reason_code",
      "reason",
      "created_at",
    ])
    .where("user_id", "in", userIds)
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ ...r, id: String(r.id), amount: BigInt(r.amount) }));
}

export type Earnings = {
  earned: bigint;
  /** Its rewards of its kinds at the end: "like.given held (ring)" → count and amount. */
  breakdown: Map<string, { count: number; amount: bigint }>;
};

/** Earned: the scenario's rewards of its kinds that are available at the end. */
export async function earnedBy(db: Db, scenario: Scenario): Promise<Earnings> {
  const rows = (await readRewards(db, [...scenario.userIds])).filter((r) =>
    scenario.kinds.includes(r.action_kind),
  );
  const breakdown = new Map<string, { count: number; amount: bigint }>();
  for (const r of rows) {
    const key = `${r.action_kind} ${r.status}${r.reason_code ? ` (${r.reason_code})` : ""}`;
    const entry = breakdown.get(key) ?? { count: 0, amount: 0n };
    breakdown.set(key, { count: entry.count + 1, amount: entry.amount + r.amount });
  }
  const earned = rows
    .filter((r) => r.status === "available")
    .reduce((sum, r) => sum + r.amount, 0n);
  return { earned, breakdown };
}

/**
 * The platform's scheduled steps, run in this process on the same database at a simulated
 * `now` (the app's own scheduler only ever sees the real time), in the scheduler's order:
 * activation (which pays welcome bonuses, through an engine whose clock is the simulated
 * one), the review queue's second look, the gamification refresh (quest rewards paid and
 * taken back), then the release of matured holds.
 */
export function scheduledSteps(db: Db) {
  let simulated = new Date();
  const rewards = new RewardEngine(db, { now: () => simulated });
  const done = { activated: 0, leftReview: 0, released: 0 };
  const step = async (now: Date) => {
    simulated = now;
    done.activated += await activateReadyAccounts({ db, rewards }, now);
    done.leftReview += await reevaluateHeldRewards(db, now);
    // The gamification loop: pays due quest rewards and takes back those whose actions went.
    await refreshActiveUsers({ db, rewards }, now);
    for (;;) {
      const released = (await releaseMaturedRewards(db, now)).length;
      if (released === 0) break;
      done.released += released;
    }
  };
  return { step, done };
}

/** Postgres' clock, so the simulated hours start where the server's rewards were stamped. */
export async function databaseNow(db: Db): Promise<Date> {
  const { rows } = await sql<{ now: Date }>`select now() as now`.execute(db);
  return new Date(rows[0]!.now);
}

export const share = (earned: bigint, naive: bigint) =>
  naive === 0n ? 0 : Number((earned * 1_000_000n) / naive) / 1_000_000;
