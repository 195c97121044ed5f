import { sql } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";

export type DailyKindEarnings = { actionKind: string; day: string; amount: bigint };

/**
 * What the user earned per action kind and UTC day in [from, to): rewards held or
 * available (refused and reversed ones earned nothing). One range scan of
 * rewards_user_created_idx.
 */
export async function sumEarningsByKindAndDay(
  db: Db,
  userId: UserId,
  from: Date,
  to: Date,
): Promise<DailyKindEarnings[]> {
  const { rows } = await sql<{ action_kind: string; day: string; amount: string }>`
    select action_kind,
           to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as day,
           sum(amount)::text as amount
    from rewards
    where user_id = ${userId}::uuid
      and created_at >= ${from}
      and created_at < ${to}
      and status in ('held', 'available')
    group by 1, 2`.execute(db);
  return rows.map((row) => ({
    actionKind: row.action_kind,
    day: row.day,
    amount: BigInt(row.amount),
  }));
}
