import type { Logger } from "pino";
import type { RewardEngine } from "#core/rewards/reward-engine.ts";
import type { Db } from "#db/create-db.ts";
import { seedDemoGames } from "./demo-games.ts";
import { seedDemoRewards } from "./demo-rewards.ts";
import { seedDemoSocial } from "./demo-social.ts";
import { seedDemoUsers } from "./demo-users.ts";
import { seedDemoWallets } from "./demo-wallets.ts";
import { hasSeedRun, insertSeedRun } from "./demo.repository.ts";

export type SeedContext = { db: Db; rewards: RewardEngine };
type SeedStep = { name: string; run: (context: SeedContext) => Promise<void> };

/** Each capability appends its own step. Steps are idempotent themselves. */
const seedSteps: SeedStep[] = [
  { name: "auth:demo-users", run: ({ db }) => seedDemoUsers(db) },
  { name: "rewards:demo-rewards", run: seedDemoRewards },
  { name: "wallet-link:demo-wallets", run: ({ db }) => seedDemoWallets(db) },
  { name: "social:demo-social", run: seedDemoSocial },
  { name: "games:demo-runs", run: seedDemoGames },
];

/**
 * Runs each step that has not run on this database yet, then records it. A step may
 * run twice if two instances start at once or one crashes midway, so every step is
 * idempotent on its own; only the instance that records a step reports it.
 */
export async function seedDemoData(
  db: Db,
  rewards: RewardEngine,
  logger?: Logger,
): Promise<string[]> {
  const ran: string[] = [];
  for (const step of seedSteps) {
    if (await hasSeedRun(db, step.name)) continue;
    await step.run({ db, rewards });
    if (await insertSeedRun(db, step.name)) {
      ran.push(step.name);
      logger?.info({ step: step.name }, "seeded demo data");
    }
  }
  return ran;
}
