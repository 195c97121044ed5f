import type { RewardEngine } from "#core/rewards/reward-engine.ts";
import type { RewardEvents } from "#core/rewards/reward-events.ts";
import type { Db } from "#db/create-db.ts";

/**
 * What social actions need: the database, the reward engine that pays for them and the
 * live events that tell people. Named as in the app's services, so callers pass those.
 */
export type SocialDeps = {
  db: Db;
  rewards: RewardEngine;
  rewardEvents: RewardEvents;
};
