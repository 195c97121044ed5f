import { runRateLimitPruningStep } from "#core/auth/rate-limit-pruning.ts";
import { refreshActiveUsersOnce } from "#core/gamification/scheduled-refresh.ts";
import { runIntegrityStep } from "#core/integrity/integrity-step.ts";
import { publishRewards } from "#core/rewards/reward-events.ts";
import { runSettlementEpoch } from "#core/settlement/settlement-epoch.ts";
import { indexClaims, settleRelayOutcomes } from "#core/settlement/settlement.service.ts";
import { releaseMaturedRewards } from "#core/rewards/reward.service.ts";
import type { AppServices } from "#runtime/app-services.ts";

/** Pruning old rate-limit buckets is cheap and nothing waits on it: every ten minutes is plenty. */
const RATE_LIMIT_PRUNE_INTERVAL_MS = 10 * 60 * 1000;

/**
 * Periodic work inside the app process. Releasing held rewards is safe on every
 * instance at once (rows are claimed with SKIP LOCKED, each posted exactly once). Before
 * it, one instance at a time activates accounts that became ready and returns rewards whose
 * risk signals all cleared to their rule's hold, so this same tick releases them. After it,
 * one instance at a time deletes rate-limit buckets whose windows ended long ago.
 */
export function startScheduler(services: AppServices): () => void {
  const { db, logger, config, rewardEvents, rewards } = services;
  let isRunning = false;
  const tick = async () => {
    if (isRunning) return;
    isRunning = true;
    try {
      const run = await runIntegrityStep(
        { db, rewards },
        { minIntervalMs: config.rewards.releaseIntervalMs / 2 },
      );
      if (run.kind === "ran" && (run.value.activated > 0 || run.value.leftReview > 0)) {
        logger.info(run.value, "activated accounts and cleared reviewed rewards");
      }
    } catch (error) {
      logger.error({ err: error }, "activation and review step failed; will retry");
    }
    try {
      for (;;) {
        const released = await releaseMaturedRewards(db);
        if (released.length === 0) break;
        logger.info({ count: released.length }, "released matured rewards");
        // A release is news of its own: it lands now, with nothing left on hold.
        const releasedAt = new Date().toISOString();
        publishRewards(rewardEvents, released, (outcome) => ({
          memo: `Released: ${outcome.memo}`,
          reason: null,
          holdUntil: null,
          createdAt: releasedAt,
        }));
      }
    } catch (error) {
      logger.error({ err: error }, "releasing matured rewards failed; will retry");
    }
    try {
      const pruned = await runRateLimitPruningStep(db, {
        signInLimits: config.signInLimits,
        minIntervalMs: RATE_LIMIT_PRUNE_INTERVAL_MS,
      });
      if (pruned.kind === "ran" && pruned.value > 0) {
        logger.info({ count: pruned.value }, "pruned expired rate-limit buckets");
      }
    } catch (error) {
      logger.error({ err: error }, "pruning rate-limit buckets failed; will retry");
    } finally {
      isRunning = false;
    }
  };
  const timer = setInterval(() => void tick(), config.rewards.releaseIntervalMs);
  timer.unref();
  void tick();
  const stopSettling = startSettlementLoop(services);
  const stopRefreshing = startGamificationLoop(services);
  return () => {
    clearInterval(timer);
    stopSettling();
    stopRefreshing();
  };
}

/**
 * Pays streak bonuses and weekly quest rewards to the people active today or yesterday,
 * whether or not they open the hub, every GAMIFICATION_REFRESH_INTERVAL_SECONDS. Every
 * instance ticks; one at a time claims the step (under an advisory lock) and runs it, the
 * others skip. Half the interval between starts, so a timer's jitter never skips a beat.
 */
function startGamificationLoop(services: AppServices): () => void {
  const { db, rewards, logger, config } = services;
  const intervalMs = config.gamification.refreshIntervalMs;
  let isRunning = false;
  const tick = async () => {
    if (isRunning) return;
    isRunning = true;
    try {
      const run = await refreshActiveUsersOnce({ db, rewards }, { minIntervalMs: intervalMs / 2 });
      if (run.kind === "ran" && run.value > 0) {
        logger.info({ users: run.value }, "refreshed the progress of active users");
      }
    } catch (error) {
      logger.error({ err: error }, "refreshing active users' progress failed; will retry");
    } finally {
      isRunning = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}

/**
 * Settles an epoch every SETTLEMENT_INTERVAL_SECONDS, and between epochs keeps the claim
 * index and relayed claims up to date. Any instance may run it: the epoch is a recorded
 * state machine whose every step is a conditional update, the prepare step takes an
 * advisory lock, and the contract accepts each epoch's root once.
 */
function startSettlementLoop(services: AppServices): () => void {
  const { db, logger, config, settlement } = services;
  if (!settlement) return () => {};
  const { chain } = settlement;
  let isRunning = false;
  let lastEpochAt = 0;
  const tick = async () => {
    if (isRunning) return;
    isRunning = true;
    try {
      await indexClaims(db, chain);
      await settleRelayOutcomes(db, chain);
      if (Date.now() - lastEpochAt >= config.settlement.intervalMs) {
        const run = await runSettlementEpoch({
          db,
          chain,
          linkedWallets: settlement.linkedWallets,
          logger,
          receiptTimeoutMs: 15_000,
        });
        // A run left waiting for a receipt or confirmations resumes on the next tick.
        if (run.kind !== "waiting") lastEpochAt = Date.now();
      }
    } catch (error) {
      logger.error({ err: error }, "settlement failed; will retry");
    } finally {
      isRunning = false;
    }
  };
  const pollMs = Math.min(config.settlement.intervalMs, 10_000);
  const timer = setInterval(() => void tick(), pollMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
