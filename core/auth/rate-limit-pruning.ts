import type { SignInLimits } from "#runtime/config.ts";
import { runScheduledStep, type StepRun } from "#core/scheduling/scheduled-step.ts";
import type { Db } from "#db/create-db.ts";
import { deleteBucketsStartedBefore } from "./rate-limit.repository.ts";

export const RATE_LIMIT_PRUNE_STEP = "auth:prune-rate-limits";
/** A prune is a few short deletes; if its instance dies, another may take over soon. */
const PRUNE_LEASE_MS = 5 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/**
 * The longest fixed window of any limiter besides sign-in's (which comes from configuration):
 * sign-ups per browser and the "someone tried to sign up with your email" notices count per
 * day; sign-ups per address and network, password-reset and verification mails per hour.
 * A limiter with a longer window must raise this, or its buckets are pruned while live.
 */
const LONGEST_FIXED_WINDOW_MS = DAY_MS;
const DEFAULT_BATCH_SIZE = 500;
const DEFAULT_MAX_BATCHES = 20;

/**
 * How long a bucket is kept after its window started: twice the longest window, so a
 * bucket goes only once even the longest window it could count has been over for a
 * whole window more (clock skew between instances and `now()` never matters).
 */
export function rateLimitRetentionMs(signInLimits: Pick<SignInLimits, "windowMs">): number {
  return 2 * Math.max(LONGEST_FIXED_WINDOW_MS, signInLimits.windowMs);
}

/**
 * Deletes rate-limit buckets whose window ended long ago. Without it an attacker cycling
 * addresses or emails grows the table without end. A deleted bucket counts exactly as a
 * bucket whose window is over (the next attempt starts at 1), so no limit changes. Deletes
 * in batches of `batchSize`, each its own short statement, at most `maxBatches` per run;
 * what is left waits for the next run. Returns how many it deleted.
 */
export async function pruneRateLimitBuckets(
  db: Db,
  options: {
    signInLimits: Pick<SignInLimits, "windowMs">;
    now?: Date;
    batchSize?: number;
    maxBatches?: number;
  },
): Promise<number> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - rateLimitRetentionMs(options.signInLimits));
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const maxBatches = options.maxBatches ?? DEFAULT_MAX_BATCHES;
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const count = await deleteBucketsStartedBefore(db, cutoff, batchSize);
    deleted += count;
    if (count < batchSize) break;
  }
  return deleted;
}

/**
 * The scheduler's prune: one instance at a time, started at most once per `minIntervalMs`
 * across all instances, so the many ticks of many processes cost one cheap claim each.
 */
export function runRateLimitPruningStep(
  db: Db,
  options: { signInLimits: Pick<SignInLimits, "windowMs">; minIntervalMs: number },
): Promise<StepRun<number>> {
  return runScheduledStep(
    db,
    RATE_LIMIT_PRUNE_STEP,
    { leaseMs: PRUNE_LEASE_MS, minIntervalMs: options.minIntervalMs },
    () => pruneRateLimitBuckets(db, { signInLimits: options.signInLimits }),
  );
}
