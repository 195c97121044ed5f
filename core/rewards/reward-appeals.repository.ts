import { sql } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import type { Db } from "#db/create-db.ts";

/** A row of `reward_appeals`. */
export type AppealRow = {
  reward_id: bigint;
  user_id: string;
  message: string;
  status: "open" | "approved" | "denied";
  decision_reason: string | null;
  created_at: Date;
  decided_at: Date | null;
};

/** Opens an appeal; undefined when the reward was already appealed. */
export async function insertAppeal(
  trx: Db,
  appeal: { rewardId: bigint; userId: UserId; message: string },
): Promise<AppealRow | undefined> {
  const { rows } = await sql<AppealRow>`
    insert into reward_appeals (reward_id, user_id, message, status)
    values (${String(appeal.rewardId)}::bigint, ${appeal.userId}::uuid, ${appeal.message}, 'open')
    on conflict (reward_id) do nothing
    returning *`.execute(trx);
  return rows[0];
}

export async function lockAppeal(trx: Db, rewardId: bigint): Promise<AppealRow | undefined> {
  const { rows } = await sql<AppealRow>`
    select * from reward_appeals where reward_id = ${String(rewardId)}::bigint for update`.execute(
    trx,
  );
  return rows[0];
}

export async function recordAppealDecision(
  trx: Db,
  decision: { rewardId: bigint; adminId: UserId; isApproved: boolean; reason: string },
): Promise<AppealRow> {
  const { rows } = await sql<AppealRow>`
    update reward_appeals
    set status = ${decision.isApproved ? "approved" : "denied"}, decision_reason = ${decision.reason},
        decided_by = ${decision.adminId}::uuid, decided_at = now()
    where reward_id = ${String(decision.rewardId)}::bigint returning *`.execute(trx);
  return rows[0]!;
}
