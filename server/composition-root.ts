import { createRedisEventTarget } from "@graphql-yoga/redis-event-target";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { openSettlementChain, type OpenChain } from "#chain/open-settlement-chain.ts";
import { ConfigError, demoDataRefusal, type Config } from "#runtime/config.ts";
import { seedDemoData } from "#core/demo/seed-demo-data.ts";
import { hasDemoAccounts } from "#core/demo/demo.repository.ts";
import { createMailer } from "#core/mail/mail-transport.ts";
import { ensureBuiltInGames } from "#core/games/game-catalog.ts";
import { ensurePlatformDefaults } from "#core/rewards/platform-defaults.ts";
import { RewardEngine } from "#core/rewards/reward-engine.ts";
import {
  createRewardEvents,
  publishRewards,
  type RewardEventTarget,
} from "#core/rewards/reward-events.ts";
import { listActiveWalletLinks } from "#core/wallet/wallet-link.service.ts";
import { createDb, dbTargetFromConfig, type Db } from "#db/create-db.ts";
import { migrateToLatest } from "#db/migrate.ts";
import type { AppServices } from "#runtime/app-services.ts";

/** Wires the services around an open, migrated database (and an open chain, if any). */
export function createServices(
  config: Config,
  db: Db,
  logger: Logger,
  options: { chain?: OpenChain; isDemo?: boolean } = {},
): AppServices {
  let redis: { publish: Redis; subscribe: Redis } | undefined;
  let eventTarget: RewardEventTarget | undefined;
  if (config.redisUrl) {
    redis = { publish: new Redis(config.redisUrl), subscribe: new Redis(config.redisUrl) };
    eventTarget = createRedisEventTarget({
      publishClient: redis.publish,
      subscribeClient: redis.subscribe,
    }) as RewardEventTarget;
  }
  const rewardEvents = createRewardEvents(eventTarget);
  const rewards = new RewardEngine(db, {
    onGranted: (outcomes) => publishRewards(rewardEvents, outcomes),
  });
  return {
    config,
    isDemo: options.isDemo ?? config.seedDemoData,
    db,
    logger,
    mailer: createMailer(config.mail, logger),
    rewards,
    rewardEvents,
    settlement: options.chain ? { ...options.chain, linkedWallets: listActiveWalletLinks } : null,
    close: async ({ keepDatabaseOpen = false } = {}) => {
      redis?.publish.disconnect();
      redis?.subscribe.disconnect();
      await options.chain?.stop();
      if (!keepDatabaseOpen) await db.destroy();
    },
  };
}

/** Opens the database, migrates it, ensures platform defaults and seeds demo data once. */
export async function openServices(config: Config, logger: Logger): Promise<AppServices> {
  const target = dbTargetFromConfig(config);
  logger.info(
    { database: target.kind === "postgres" ? "postgres" : `pglite at ${target.dataDir}` },
    "opening database",
  );
  const db = createDb(target);
  const { applied } = await migrateToLatest(db);
  if (applied.length > 0) logger.info({ applied }, "applied migrations");
  await ensurePlatformDefaults(db);
  await ensureBuiltInGames(db);
  let chain: OpenChain | undefined;
  if (config.chain.kind !== "off") {
    chain = await openSettlementChain(config.chain, config.dataDir, (message, details) =>
      logger.info(details ?? {}, message),
    );
    logger.info(
      {
        chain: config.chain.kind,
        chainId: chain.chain.chainId,
        distributor: chain.chain.distributor,
      },
      "settlement chain ready",
    );
  }
  if (config.mail.smtpUrl && !config.publicUrl) {
    logger.warn(
      "SMTP_URL is set but PUBLIC_URL is not: links in mail use the Host header each request names",
    );
  }
  const holdsDemoAccounts = !config.seedDemoData && (await hasDemoAccounts(db));
  if (holdsDemoAccounts) {
    const refusal = demoDataRefusal(config);
    if (refusal !== null && !config.demoDataForced) {
      await chain?.stop();
      await db.destroy();
      throw new ConfigError([`The database holds the demo accounts, ${refusal}`]);
    }
    logger.warn("the database holds the demo accounts, whose passwords are public");
  }
  const services = createServices(config, db, logger, {
    chain,
    isDemo: config.seedDemoData || holdsDemoAccounts,
  });
  if (config.seedDemoData) await seedDemoData(db, services.rewards, logger);
  return services;
}

export async function closeServices(services: AppServices): Promise<void> {
  await services.close();
}
