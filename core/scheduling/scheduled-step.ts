import { randomBytes } from "node:crypto";
import { tryAdvisoryTransactionLock } from "#db/advisory-lock.ts";
import type { Db } from "#db/create-db.ts";
import { leaseStep, releaseStepLease } from "./scheduled-step.repository.ts";

/** Held (transaction-scoped) while an instance claims a step; settlement has its own key. */
const SCHEDULED_STEP_LOCK_KEY = 7_401_190_002;

export type StepTiming = {
  /** How long a claim lasts if its instance never gives it back (a crash): then another may run the step. */
  leaseMs: number;
  /** The least time between two starts of the step, across every instance. */
  minIntervalMs: number;
};

export type StepRun<T> = { kind: "ran"; value: T } | { kind: "skipped" };

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
    if (!(await tryAdvisoryTransactionLock(trx, SCHEDULED_STEP_LOCK_KEY))) return null;
    return (await leaseStep(trx, name, claim, timing)) ? claim : null;
  });
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
    await releaseStepLease(db, name, claim, false).catch(() => {});
    throw error;
  }
  await releaseStepLease(db, name, claim, true);
  return { kind: "ran", value };
}
