import type { UserId } from "#core/auth/ids.ts";
import type { GamificationDeps } from "#core/gamification/progress.service.ts";
import { RewardEngine } from "#core/rewards/reward-engine.ts";
import type { Db } from "#db/create-db.ts";
import { createUser } from "#tests/support/factories.ts";

/** A reward engine on a clock the test moves, so rewards land on the days it chooses. */
export function clockedDeps(db: Db, start: Date) {
  let now = start;
  const rewards = new RewardEngine(db, { now: () => now });
  const deps: GamificationDeps = { db, rewards };
  return {
    deps,
    get now() {
      return now;
    },
    set(date: Date | string) {
      now = typeof date === "string" ? new Date(date) : date;
    },
  };
}

/**
 * A person whose account was opened, and activated, at `createdAt`: an established member,
 * whose rewards wait only for their rules' holds (no "not activated" review).
 */
export async function member(db: Db, createdAt: Date): Promise<UserId> {
  const { user } = await createUser(db);
  await db
    .updateTable("users")
    .set({ created_at: createdAt, activated_at: createdAt })
    .where("id", "=", user.id)
    .execute();
  return user.id;
}

/** Pays one action of `kind` for the person now (by the engine's clock); throws if it is refused. */
export async function act(
  deps: GamificationDeps,
  userId: UserId,
  kind: string,
  cause: string,
  options: { shouldAllowRefusal?: boolean } = {},
) {
  const result = await deps.rewards.reward({
    actionKind: kind,
    userId,
    causeId: `${userId}:${cause}`,
    memo: `test ${kind}`,
  });
  if (!result.ok) throw new Error(result.error.message);
  if (result.value.status === "refused" && !options.shouldAllowRefusal) {
    throw new Error(`refused: ${result.value.reason?.message}`);
  }
  return result.value;
}
