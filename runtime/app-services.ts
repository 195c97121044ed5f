import type { Logger } from "pino";
import type { OpenChain } from "#chain/open-settlement-chain.ts";
import type { Mailer } from "#core/mail/mail-transport.ts";
import type { RewardEngine } from "#core/rewards/reward-engine.ts";
import type { RewardEvents } from "#core/rewards/reward-events.ts";
import type { LinkedWallet } from "#core/settlement/settlement-epoch.ts";
import type { Db } from "#db/create-db.ts";
import type { Config } from "./config.ts";

/**
 * The long-lived things one app process owns; handed to every request. The reward
 * engine lives here (not in a module) because it batches across requests, and the
 * server and the Remix build each load their own copy of core's modules.
 */
export type AppServices = {
  config: Config;
  /** Demo accounts (published passwords and keys) exist: every page says so. */
  isDemo: boolean;
  db: Db;
  logger: Logger;
  /** Mail to people: over SMTP when SMTP_URL is set, else into the log. */
  mailer: Mailer;
  rewards: RewardEngine;
  rewardEvents: RewardEvents;
  /** The chain epochs settle on; null when CHAIN=off. */
  settlement: Settlement | null;
  close: (options?: { keepDatabaseOpen?: boolean }) => Promise<void>;
};

export type Settlement = OpenChain & {
  linkedWallets: (db: Db) => Promise<LinkedWallet[]>;
};
