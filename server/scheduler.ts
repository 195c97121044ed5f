import { releaseMaturedRewards } from "#core/rewards/reward.service.ts";
import type { AppServices } from "./services.ts";

/**
 * Periodic work inside the app process. Releasing held rewards is safe on every
 * instance at once (rows are claimed with SKIP LOCKED, each posted exactly once).
 */
export function startScheduler(services: AppServices): () => void {
  const { db, logger, config, rewardEvents } = services;
  let isRunning = false;
  const tick = async () => {
    if (isRunning) return;
    isRunning = true;
    try {
      for (;;) {
        const released = await releaseMaturedRewards(db);
        if (released.length === 0) break;
        logger.info({ count: released.length }, "released matured rewards");
        for (const outcome of released) {
          rewardEvents.publish("reward:landed", outcome.userId, {
            rewardId: outcome.rewardId.toString(),
            status: outcome.status,
            amount: outcome.amount.toString(),
            memo: `Released: ${outcome.memo}`,
            reason: null,
            holdUntil: null,
            createdAt: new Date().toISOString(),
          });
        }
      }
    } catch (error) {
      logger.error({ err: error }, "releasing matured rewards failed; will retry");
    } finally {
      isRunning = false;
    }
  };
  const timer = setInterval(() => void tick(), config.rewards.releaseIntervalMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
