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

export type QuestCompletion = { questId: string; completedAt: Date; rewardId: bigint | null };

export async function readQuestCompletions(
  db: Db,
  userId: UserId,
  weekStart: string,
): Promise<Map<string, QuestCompletion>> {
  const { rows } = await sql<{ quest_id: string; completed_at: Date; reward_id: bigint | null }>`
    select quest_id, completed_at, reward_id from quest_completions
    where user_id = ${userId} and week_start = ${weekStart}::date`.execute(db);
  return new Map(
    rows.map((r) => [
      r.quest_id,
      {
        questId: r.quest_id,
        completedAt: r.completed_at,
        rewardId: r.reward_id === null ? null : BigInt(r.reward_id),
      },
    ]),
  );
}

export async function countQuestsCompleted(db: Db, userId: UserId): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from quest_completions where user_id = ${userId}`.execute(db);
  return rows[0]?.n ?? 0;
}

/** Records a completion (once per quest per week); false when it was already recorded. */
export async function recordQuestCompletion(
  db: Db,
  userId: UserId,
  weekStart: string,
  questId: string,
  now: Date,
): Promise<boolean> {
  const { rows } = await sql`
    insert into quest_completions (user_id, week_start, quest_id, completed_at)
    values (${userId}, ${weekStart}::date, ${questId}, ${now})
    on conflict do nothing
    returning quest_id`.execute(db);
  return rows.length > 0;
}

export async function recordQuestReward(
  db: Db,
  userId: UserId,
  weekStart: string,
  questId: string,
  rewardId: bigint,
): Promise<void> {
  await sql`
    update quest_completions set reward_id = ${String(rewardId)}::bigint
    where user_id = ${userId} and week_start = ${weekStart}::date and quest_id = ${questId}`.execute(
    db,
  );
}
