import { runScheduledStep, type StepRun } from "#core/scheduling/scheduled-step.ts";
import { activateReadyAccounts, type ActivationDeps } from "./activation.ts";
import { reevaluateHeldRewards } from "./review-queue.ts";

export const INTEGRITY_STEP = "integrity:activate-and-review";
/** Past this, a run is presumed dead (its instance crashed) and another instance takes over. */
const INTEGRITY_LEASE_MS = 10 * 60 * 1000;

export type IntegrityRun = { activated: number; leftReview: number };

/**
 * The scheduler's integrity step, beside the reward release: activates the accounts that
 * became ready (paying their welcome), then looks again at the rewards held for review and
 * returns those whose signals all cleared to their rule's hold, so the release that follows
 * in the same tick can post them. Activation first: an account that just activated clears
 * its own "not activated" holds in the same run. One instance at a time; every write is
 * conditional or idempotent besides.
 */
export function runIntegrityStep(
  deps: ActivationDeps,
  options: { minIntervalMs: number; leaseMs?: number; now?: Date },
): Promise<StepRun<IntegrityRun>> {
  return runScheduledStep(
    deps.db,
    INTEGRITY_STEP,
    { leaseMs: options.leaseMs ?? INTEGRITY_LEASE_MS, minIntervalMs: options.minIntervalMs },
    async () => {
      const now = options.now ?? new Date();
      const activated = await activateReadyAccounts(deps, now);
      const leftReview = await reevaluateHeldRewards(deps.db, now);
      return { activated, leftReview };
    },
  );
}
