import { runScheduledStep, type StepRun } from "#core/scheduling/scheduled-step.ts";
import { refreshActiveUsers, type GamificationDeps } from "./progress.service.ts";

export const REFRESH_STEP = "gamification:refresh-active-users";
/** Past this, a refresh is presumed dead (its instance crashed) and another instance takes over. */
const REFRESH_LEASE_MS = 10 * 60 * 1000;

/**
 * The scheduler's gamification step: pays the streak bonuses and quest rewards due to
 * everyone active today or yesterday (`refreshActiveUsers`), on one instance at a time and
 * started at most once per `minIntervalMs` across instances. Every payment is idempotent
 * besides, so a run that overlaps another (a lease that ran out) still pays each once.
 */
export function refreshActiveUsersOnce(
  deps: GamificationDeps,
  options: { minIntervalMs: number; leaseMs?: number; now?: Date },
): Promise<StepRun<number>> {
  return runScheduledStep(
    deps.db,
    REFRESH_STEP,
    { leaseMs: options.leaseMs ?? REFRESH_LEASE_MS, minIntervalMs: options.minIntervalMs },
    () => refreshActiveUsers(deps, options.now ?? new Date()),
  );
}
