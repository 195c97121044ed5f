import { sql } from "kysely";
import type { Db } from "#db/create-db.ts";

export type OpenSignalRow = {
  reward_id: bigint;
  user_id: string;
  code: string;
  message: string;
  engager_id: string | null;
};

/** The signals still open on held-for-review rewards, oldest rewards first, up to `limit` rewards. */
export async function findOpenSignalsOfHeldRewards(
  db: Db,
  limit: number,
): Promise<OpenSignalRow[]> {
  const { rows } = await sql<OpenSignalRow>`
    with held as (
      select id, user_id from rewards
      where status = 'held' and reason_code = 'risk_review'
      order by id limit ${limit}
    )
    select s.reward_id, h.user_id::text, s.code, s.message, s.engager_id::text
    from held h join reward_risk_signals s on s.reward_id = h.id
    where s.cleared_at is null
    order by s.reward_id, s.raised_at, s.code`.execute(db);
  return rows.map((r) => ({ ...r, reward_id: BigInt(r.reward_id) }));
}

/** Held-for-review rewards with no open signal left (a crash between clearing and marking). */
export async function findHeldRewardsWithoutOpenSignals(db: Db, limit: number): Promise<bigint[]> {
  const { rows } = await sql<{ id: string }>`
    select r.id::text from rewards r
    where r.status = 'held' and r.reason_code = 'risk_review'
      and not exists (select 1 from reward_risk_signals s
                      where s.reward_id = r.id and s.cleared_at is null)
    order by r.id limit ${limit}`.execute(db);
  return rows.map((r) => BigInt(r.id));
}

export async function clearSignal(db: Db, rewardId: bigint, code: string, at: Date): Promise<void> {
  await db
    .updateTable("reward_risk_signals")
    .set({ cleared_at: at })
    .where("reward_id", "=", rewardId)
    .where("code", "=", code)
    .where("cleared_at", "is", null)
    .execute();
}

/**
 * A reward whose signals all cleared goes back to its rule's hold: the release step posts
 * it once that hold is over (at once, when it already is). Only while still held for review.
 */
export async function returnToRuleHold(
  db: Db,
  rewardId: bigint,
  message: string,
): Promise<boolean> {
  const row = await db
    .updateTable("rewards")
    .set({ reason_code: "hold_period", reason: message })
    .where("id", "=", rewardId)
    .where("status", "=", "held")
    .where("reason_code", "=", "risk_review")
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

function selectQueue(db: Db) {
  return db
    .selectFrom("rewards as r")
    .innerJoin("users as u", "u.id", "r.user_id")
    .select([
      "r.id",
      "r.user_id",
      "u.handle",
      "r.action_kind",
      "r.memo",
      "r.amount",
      "r.created_at",
      "r.hold_until",
    ])
    .where("r.status", "=", "held")
    .where("r.reason_code", "=", "risk_review");
}

export type QueueRow = Awaited<ReturnType<ReturnType<typeof selectQueue>["execute"]>>[number];

/** The review queue, oldest first, after the reward id `after`. */
export function listQueueRows(db: Db, page: { limit: number; after?: bigint | null }) {
  return selectQueue(db)
    .$if(page.after != null, (qb) => qb.where("r.id", ">", page.after!))
    .orderBy("r.id", "asc")
    .limit(page.limit)
    .execute();
}

export function countQueue(db: Db): Promise<number> {
  return db
    .selectFrom("rewards")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .where("status", "=", "held")
    .where("reason_code", "=", "risk_review")
    .executeTakeFirstOrThrow()
    .then((row) => Number(row.count));
}

/** Every signal (open and cleared) of these rewards, in the order they were raised. */
export function findSignalsOf(db: Db, rewardIds: readonly bigint[]) {
  if (rewardIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("reward_risk_signals")
    .select(["reward_id", "code", "message", "engager_id", "raised_at", "cleared_at"])
    .where("reward_id", "in", [...rewardIds])
    .orderBy("reward_id")
    .orderBy("raised_at")
    .orderBy("code")
    .execute();
}

export type ReviewDecisionRow = {
  reward_id: bigint;
  decision: "approved" | "reversed";
  reason: string;
  decided_by: string;
  decided_at: Date;
};

export async function insertReviewDecision(
  trx: Db,
  decision: {
    rewardId: bigint;
    decision: "approved" | "reversed";
    reason: string;
    adminId: string;
    at: Date;
  },
): Promise<ReviewDecisionRow> {
  return trx
    .insertInto("reward_review_decisions")
    .values({
      reward_id: decision.rewardId,
      decision: decision.decision,
      reason: decision.reason,
      decided_by: decision.adminId,
      decided_at: decision.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findReviewDecisions(db: Db, rewardIds: readonly bigint[]) {
  if (rewardIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("reward_review_decisions")
    .selectAll()
    .where("reward_id", "in", [...rewardIds])
    .execute();
}
