import { sql } from "kysely";
import type { Db } from "#db/create-db.ts";

const ms = (value: number) => sql`(${value}::double precision * interval '1 millisecond')`;

/**
 * Records `claim` as the step's lease, for `leaseMs`, only when no live lease holds the
 * step and it has not started within `minIntervalMs`. Returns whether it did.
 */
export async function leaseStep(
  trx: Db,
  name: string,
  claim: string,
  timing: { leaseMs: number; minIntervalMs: number },
): Promise<boolean> {
  const { rows } = await sql<{ name: string }>`
    insert into scheduled_steps as s (name, running_until, claim, last_started_at)
    values (${name}, now() + ${ms(timing.leaseMs)}, ${claim}, now())
    on conflict (name) do update set
      running_until = excluded.running_until,
      claim = excluded.claim,
      last_started_at = excluded.last_started_at
    where (s.running_until is null or s.running_until <= now())
      and (s.last_started_at is null or s.last_started_at <= now() - ${ms(timing.minIntervalMs)})
    returning name`.execute(trx);
  return rows.length > 0;
}

/**
 * Gives a claim back, only if it is still this claim (a lease that ran out may have passed to
 * another instance); `isFinished` records when the run finished.
 */
export async function releaseStepLease(
  db: Db,
  name: string,
  claim: string,
  isFinished: boolean,
): Promise<void> {
  await sql`
    update scheduled_steps
    set running_until = null, claim = null
      ${isFinished ? sql`, last_finished_at = now()` : sql``}
    where name = ${name} and claim = ${claim}`.execute(db);
}
