import { sql } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";
import { DAY_MS, dayStart } from "./calendar.ts";

/** Verified runs in the week that scored above the player's earlier best in that game. */
export async function countPersonalBests(
  db: Db,
  userId: UserId,
  weekStart: string,
): Promise<number> {
  const startsAt = dayStart(weekStart);
  const endsAt = new Date(startsAt.getTime() + 7 * DAY_MS);
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from game_runs r
    where r.user_id = ${userId} and r.status = 'verified'
      and r.submitted_at >= ${startsAt} and r.submitted_at < ${endsAt}
      and r.score > (
        select max(p.score) from game_runs p
        where p.user_id = r.user_id and p.game_id = r.game_id and p.status = 'verified'
          and p.submitted_at < r.submitted_at)`.execute(db);
  return rows[0]?.n ?? 0;
}

export type QuestCompletion = {
  questId: string;
  weekStart: string;
  completedAt: Date;
  rewardId: bigint | null;
  attempt: number;
  /** Set when the reward was reversed because the actions behind it were undone. */
  reversedAt: Date | null;
};

type CompletionRow = {
  quest_id: string;
  week_start: string;
  completed_at: Date;
  reward_id: bigint | string | null;
  attempt: number;
  reversed_at: Date | null;
};

function toCompletion(r: CompletionRow): QuestCompletion {
  return {
    questId: r.quest_id,
    weekStart: r.week_start,
    completedAt: r.completed_at,
    rewardId: r.reward_id === null ? null : BigInt(r.reward_id),
    attempt: r.attempt,
    reversedAt: r.reversed_at,
  };
}

/** The week's completions by quest, reversed ones included. */
export async function readQuestCompletions(
  db: Db,
  userId: UserId,
  weekStart: string,
): Promise<Map<string, QuestCompletion>> {
  const { rows } = await sql<CompletionRow>`
    select quest_id, week_start::text as week_start, completed_at, reward_id, attempt, reversed_at
    from quest_completions
    where user_id = ${userId} and week_start = ${weekStart}::date`.execute(db);
  return new Map(rows.map((r) => [r.quest_id, toCompletion(r)]));
}

/** Someone's completions (any week) whose reward is still held: those can still be lost. */
export async function readHeldQuestCompletions(db: Db, userId: UserId): Promise<QuestCompletion[]> {
  const { rows } = await sql<CompletionRow>`
    select q.quest_id, q.week_start::text as week_start, q.completed_at, q.reward_id,
           q.attempt, q.reversed_at
    from quest_completions q join rewards r on r.id = q.reward_id
    where q.user_id = ${userId} and q.reversed_at is null and r.status = 'held'
    order by q.week_start, q.quest_id`.execute(db);
  return rows.map(toCompletion);
}

/** People with a quest reward still held, whether or not they were active lately. */
export async function readUserIdsWithHeldQuestRewards(db: Db, limit: number): Promise<UserId[]> {
  const { rows } = await sql<{ user_id: UserId }>`
    select distinct q.user_id from quest_completions q join rewards r on r.id = q.reward_id
    where q.reversed_at is null and q.reward_id is not null and r.status = 'held'
    limit ${limit}`.execute(db);
  return rows.map((r) => r.user_id);
}

/** Completed quests that still count (reversed ones do not). */
export async function countQuestsCompleted(db: Db, userId: UserId): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from quest_completions
    where user_id = ${userId} and reversed_at is null`.execute(db);
  return rows[0]?.n ?? 0;
}

/**
 * Records a completion: the first of the week, or a new attempt after the reversed
 * attempt `afterAttempt`. Returns the attempt now live, or null when another caller
 * recorded this one first (the caller then reads it again).
 */
export async function recordQuestCompletion(
  db: Db,
  userId: UserId,
  weekStart: string,
  questId: string,
  now: Date,
  afterAttempt: number | null,
): Promise<number | null> {
  const { rows } =
    afterAttempt === null
      ? await sql<{ attempt: number }>`
          insert into quest_completions (user_id, week_start, quest_id, completed_at)
          values (${userId}, ${weekStart}::date, ${questId}, ${now})
          on conflict do nothing
          returning attempt`.execute(db)
      : await sql<{ attempt: number }>`
          update quest_completions
          set attempt = attempt + 1, completed_at = ${now}, reward_id = null, reversed_at = null
          where user_id = ${userId} and week_start = ${weekStart}::date and quest_id = ${questId}
            and attempt = ${afterAttempt} and reversed_at is not null
          returning attempt`.execute(db);
  return rows[0]?.attempt ?? null;
}

export async function recordQuestReward(
  db: Db,
  userId: UserId,
  weekStart: string,
  questId: string,
  attempt: number,
  rewardId: bigint,
): Promise<void> {
  await sql`
    update quest_completions set reward_id = ${String(rewardId)}::bigint
    where user_id = ${userId} and week_start = ${weekStart}::date and quest_id = ${questId}
      and attempt = ${attempt}`.execute(db);
}

/** Marks an attempt's completion lost (its reward reversed); false when already marked. */
export async function markQuestCompletionReversed(
  db: Db,
  userId: UserId,
  weekStart: string,
  questId: string,
  attempt: number,
  now: Date,
): Promise<boolean> {
  const { rows } = await sql`
    update quest_completions set reversed_at = ${now}
    where user_id = ${userId} and week_start = ${weekStart}::date and quest_id = ${questId}
      and attempt = ${attempt} and reversed_at is null
    returning quest_id`.execute(db);
  return rows.length > 0;
}

/**
 * Raises the quest reward rule's hold to `holdSeconds` when it is shorter (an admin may
 * make it longer, never shorter than the actions it counts). True when it changed.
 */
export async function raiseRuleHold(
  db: Db,
  actionKind: string,
  holdSeconds: number,
): Promise<boolean> {
  const { rows } = await sql`
    update reward_rules set hold_seconds = ${holdSeconds}
    where action_kind = ${actionKind} and hold_seconds < ${holdSeconds}
    returning action_kind`.execute(db);
  return rows.length > 0;
}
