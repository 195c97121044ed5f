import type { RewardEngine } from "#core/rewards/reward-engine.ts";
import type { RewardEvents } from "#core/rewards/reward-events.ts";
import type { Db } from "#db/create-db.ts";

/**
 * The app's services that social actions use: the database, the reward engine that pays
 * for them and the live events that tell people. A subset of AppServices, so callers pass
 * theirs.
 */
export type SocialServices = {
  db: Db;
  rewards: RewardEngine;
  rewardEvents: RewardEvents;
};
