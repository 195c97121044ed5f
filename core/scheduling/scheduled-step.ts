import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import type { Db } from "#db/create-db.ts";

/** Held (transaction-scoped) while an instance claims a step; settlement has its own key. */
const SCHEDULED_STEP_LOCK_KEY = 7_401_190_002;

export type StepTiming = {
  /** How long a claim lasts if its instance never gives it back (a crash): then another may run the step. */
  leaseMs: number;
  /** The least time between two starts of the step, across every instance. */
  minIntervalMs: number;
};

export type StepRun<T> = { kind: "ran"; value: T } | { kind: "skipped" };

const ms = (value: number) => sql`(${value}::double precision * interval '1 millisecond')`;

/**
 * Claims a step for this instance, as settlement claims its epoch: in a transaction that
 * first takes a transaction-level advisory lock (a second claimer gives up at once instead
 * of queueing). The step's work runs in many transactions of its own (the reward engine's),
 * so the claim outlives this one as a lease, granted only when no live lease holds the step
 * and it has not started within the interval. Returns the claim's token, or null.
 */
async function claimStep(db: Db, name: string, timing: StepTiming): Promise<string | null> {
  const claim = randomBytes(12).toString("hex");
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ locked: boolean }>`
      select pg_try_advisory_xact_lock(${SCHEDULED_STEP_LOCK_KEY}) as locked`.execute(trx);
    if (!rows[0]?.locked) return null;
    const { rows: claimed } = await sql<{ name: string }>`
      insert into scheduled_steps as s (name, running_until, claim, last_started_at)
      values (${name}, now() + ${ms(timing.leaseMs)}, ${claim}, now())
      on conflict (name) do update set
        running_until = excluded.running_until,
        claim = excluded.claim,
        last_started_at = excluded.last_started_at
      where (s.running_until is null or s.running_until <= now())
        and (s.last_started_at is null or s.last_started_at <= now() - ${ms(timing.minIntervalMs)})
      returning name`.execute(trx);
    return claimed.length > 0 ? claim : null;
  });
}

/** Gives a claim back (only one's own: a lease that ran out may have passed to another). */
async function releaseStep(db: Db, name: string, claim: string, isFinished: boolean) {
  await sql`
    update scheduled_steps
    set running_until = null, claim = null
      ${isFinished ? sql`, last_finished_at = now()` : sql``}
    where name = ${name} and claim = ${claim}`.execute(db);
}

/**
 * Runs `work` as the named step when this instance can claim it (one instance at a time,
 * started at most once per interval), and records when it finished. A failed run gives
 * its claim back and rethrows, so the caller logs it and the next tick retries.
 */
export async function runScheduledStep<T>(
  db: Db,
  name: string,
  timing: StepTiming,
  work: () => Promise<T>,
): Promise<StepRun<T>> {
  const claim = await claimStep(db, name, timing);
  if (claim === null) return { kind: "skipped" };
  let value: T;
  try {
    value = await work();
  } catch (error) {
    await releaseStep(db, name, claim, false).catch(() => {});
    throw error;
  }
  await releaseStep(db, name, claim, true);
  return { kind: "ran", value };
}
