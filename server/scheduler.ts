import { publishRewards } from "#core/rewards/reward-events.ts";
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
    } finally {
      isRunning = false;
    }
  };
  const timer = setInterval(() => void tick(), config.rewards.releaseIntervalMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
