import { sql } from "kysely";
import type { UserId } from "#core/auth/ids.ts";
import { RewardEngine } from "#core/rewards/reward-engine.ts";
import { createRewardEvents } from "#core/rewards/reward-events.ts";
import { getRewardByKey } from "#core/rewards/reward-queries.ts";
import type { SocialServices } from "#core/social/social-services.ts";
import type { Db } from "#db/create-db.ts";
import { createUser } from "#tests/support/factories.ts";

export function socialServices(db: Db): SocialServices {
  return { db, rewards: new RewardEngine(db), rewardEvents: createRewardEvents() };
}

/** A user past the new-account review, so rewards follow the rules' own holds. */
export async function person(db: Db, name?: string): Promise<{ id: UserId; handle: string }> {
  const { user } = await createUser(db, name ? { displayName: name } : {});
  await db
    .updateTable("users")
    .set({ created_at: new Date(Date.now() - 30 * 86_400_000) })
    .where("id", "=", user.id)
    .execute();
  return { id: user.id, handle: user.handle };
}

export async function rewardStatus(db: Db, key: string): Promise<string | null> {
  return (await getRewardByKey(db, key))?.status ?? null;
}

export async function count(db: Db, table: string, where = sql`true`): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from ${sql.table(table)} where ${where}`.execute(db);
  return rows[0]!.n;
}
