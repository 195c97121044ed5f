import path from "node:path";
import ipaddr from "ipaddr.js";
import { z } from "zod";

const booleanFromEnv = z
  .enum(["true", "false", "1", "0", "yes", "no"], {
    error: "must be one of true, false, 1, 0, yes, no",
  })
  .transform((value) => ["true", "1", "yes"].includes(value));

const positiveInt = z.coerce
  .number({ error: "must be a whole number" })
  .int("must be a whole number")
  .positive("must be greater than zero");

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), {
    message: "must be a postgres:// or postgresql:// URL",
  });

function hexString(digits: number, what: string) {
  return z
    .string()
    .trim()
    .refine((value) => new RegExp(`^0x[0-9a-fA-F]{${digits}}$`).test(value), {
      message: `must be ${what}`,
    })
    .transform((value) => value as `0x${string}`);
}

/** Every environment variable Tributary reads, with its default. README lists the same set. */
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce
    .number({ error: "must be a port number" })
    .int("must be a port number")
    .min(0, "must be between 0 and 65535")
    .max(65535, "must be between 0 and 65535")
    .default(3000),
  HOST: z.string().trim().min(1).default("0.0.0.0"),
  DATA_DIR: z.string().trim().min(1).default("./data"),
  DATABASE_URL: postgresUrl.optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SEED_DEMO_DATA: booleanFromEnv.optional(),
  SEED_DEMO_DATA_FORCE: booleanFromEnv.default(false),
  COOKIE_SECURE: booleanFromEnv.optional(),
  TRUST_PROXY: booleanFromEnv.default(false),
  SESSION_INACTIVITY_DAYS: positiveInt.default(30),
  SIGN_IN_MAX_ATTEMPTS_PER_ACCOUNT: positiveInt.default(5),
  SIGN_IN_MAX_ATTEMPTS_PER_IP: positiveInt.default(30),
  SIGN_IN_WINDOW_MINUTES: positiveInt.default(15),
  SIGN_IN_ALERT_AFTER_FAILURES: positiveInt.default(10),
  SIGN_UP_MAX_PER_IP_PER_HOUR: positiveInt.default(5),
  SIGN_UP_MAX_PER_NETWORK_PER_HOUR: positiveInt.default(20),
  SIGN_UP_MAX_PER_DEVICE_PER_DAY: positiveInt.default(3),
  SMTP_URL: z
    .string()
    .trim()
    .refine((value) => /^smtps?:\/\/[^/]/.test(value), {
      message: "must be an smtp:// or smtps:// URL",
    })
    .optional(),
  MAIL_FROM: z.string().trim().min(3).default("Tributary <no-reply@tributary.localhost>"),
  PUBLIC_URL: z
    .string()
    .trim()
    .refine((value) => /^https?:\/\/[^/]+\/?$/.test(value), {
      message: "must be an http:// or https:// origin such as https://tributary.example",
    })
    .transform((value) => value.replace(/\/$/, ""))
    .optional(),
  CORS_ALLOWED_ORIGINS: z
    .string()
    .trim()
    .transform((value) =>
      value
        .split(",")
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .refine((origins) => origins.every((origin) => /^https?:\/\/[^/\s]+$/.test(origin)), {
      message:
        "must be a comma-separated list of origins such as https://app.example (scheme and host, no path)",
    })
    .transform((origins) => origins.map((origin) => new URL(origin).origin))
    .optional(),
  REDIS_URL: z
    .string()
    .trim()
    .refine((value) => /^rediss?:\/\//.test(value), {
      message: "must be a redis:// or rediss:// URL",
    })
    .optional(),
  REWARD_RELEASE_INTERVAL_SECONDS: positiveInt.default(30),
  GAMIFICATION_REFRESH_INTERVAL_SECONDS: positiveInt.default(60),
  CHAIN: z.enum(["embedded", "rpc", "off"]).optional(),
  CHAIN_RPC_URL: z
    .string()
    .trim()
    .refine((value) => /^(https?|wss?):\/\//.test(value), {
      message: "must be an http(s):// or ws(s):// URL",
    })
    .optional(),
  CHAIN_PRIVATE_KEY: hexString(64, "a 0x-prefixed 32-byte private key").optional(),
  MICRO_TOKEN_ADDRESS: hexString(40, "a 0x-prefixed 20-byte address").optional(),
  REWARDS_DISTRIBUTOR_ADDRESS: hexString(40, "a 0x-prefixed 20-byte address").optional(),
  CHAIN_CONFIRMATIONS: positiveInt.optional(),
  SETTLEMENT_INTERVAL_SECONDS: positiveInt.optional(),
  REFERENCE_CURRENCY: z
    .string()
    .trim()
    .regex(/^[A-Z]{3}$/, "must be a three-letter ISO 4217 currency code such as USD")
    .default("USD"),
  REFERENCE_RATE: z
    .string()
    .trim()
    .regex(
      /^(?:0|[1-9][0-9]{0,11})(?:\.[0-9]{1,18})?$/,
      "must be a decimal such as 1 or 0.01: what one MICRO is worth in REFERENCE_CURRENCY",
    )
    .optional(),
  PAYOUT_ADDRESS_COOLING_OFF_SECONDS: z.coerce
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(0, "must be zero or more")
    .default(48 * 60 * 60),
});

export type Env = z.input<typeof envSchema>;

/** The names of every environment variable the configuration reads. */
export const configVariableNames = Object.keys(envSchema.shape) as readonly (keyof Env)[];

export type Config = {
  nodeEnv: "development" | "production" | "test";
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  logLevel: string;
  seedDemoData: boolean;
  /** SEED_DEMO_DATA_FORCE: demo accounts allowed even against a real chain or remote database. */
  demoDataForced: boolean;
  cookieSecure: boolean;
  trustProxy: boolean;
  session: { inactivityMs: number };
  /**
   * What a MICRO is worth in the user's currency, for display only: the operator's rate
   * (REFERENCE_RATE), or a labelled demo rate with demo data on, or none.
   */
  referenceValue: ReferenceValueConfig | null;
  /** A pasted payout address receives nothing until this long after it was added. */
  payoutAddressCoolingOffMs: number;
  signInLimits: SignInLimits;
  signUpLimits: SignUpLimits;
  /** Where mail goes: over SMTP when `smtpUrl` is set, else into the log. */
  mail: { smtpUrl: string | undefined; from: string };
  /** The origin links in mail point to; unset means the origin the request came to. */
  publicUrl: string | undefined;
  /**
   * Origins whose pages may call the API with the user's cookies (credentialed CORS).
   * Empty by default: third-party apps use tokens, never a user's session cookie.
   */
  corsAllowedOrigins: readonly string[];
  redisUrl: string | undefined;
  rewards: { releaseIntervalMs: number };
  /** How often streak bonuses and quest rewards are paid to people active lately. */
  gamification: { refreshIntervalMs: number };
  chain: ChainConfig;
  settlement: { intervalMs: number };
};

/**
 * Where settlement happens: an anvil the app starts itself (state under DATA_DIR), any
 * EVM chain over RPC with contracts deployed by `npm run chain:deploy`, or nowhere.
 */
export type ReferenceValueConfig = {
  /** ISO 4217 code, e.g. "USD". */
  currency: string;
  /** The value of 1 MICRO in `currency`, as a decimal string (never a float). */
  ratePerMicro: string;
  /** "demo": made up for the demo and labelled so; "operator": set by REFERENCE_RATE. */
  source: "demo" | "operator";
};

export type ChainConfig =
  | { kind: "embedded"; confirmations: number }
  | {
      kind: "rpc";
      rpcUrl: string;
      privateKey: `0x${string}`;
      microToken: `0x${string}`;
      distributor: `0x${string}`;
      confirmations: number;
    }
  | { kind: "off" };

export type SignInLimits = {
  /** Failed sign-ins per account and address before each next try waits 1 s, 2 s, 4 s… */
  perAccount: number;
  /** Failed sign-ins from one address, across accounts, per window (credential stuffing). */
  perIp: number;
  windowMs: number;
  /** Failed sign-ins on one account per window after which its owner is emailed (once). */
  alertOwnerAfter?: number;
};

/** Accounts one address, network (IPv4 /24, IPv6 /64) or browser may create. */
export type SignUpLimits = {
  perIpPerHour: number;
  perNetworkPerHour: number;
  perDevicePerDay: number;
};

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Reads and validates the environment once; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset" so that `FOO= npm start` falls back to the default.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join(".");
        const got = env[name];
        return `${name}: ${issue.message}${got === undefined ? "" : ` (got "${got}")`}`;
      }),
    );
  }
  const e = parsed.data;
  const chain = chainConfig(e);
  const seedDemoData = demoDataSetting(e, chain);
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    seedDemoData,
    demoDataForced: e.SEED_DEMO_DATA_FORCE,
    cookieSecure: e.COOKIE_SECURE ?? e.NODE_ENV === "production",
    trustProxy: e.TRUST_PROXY,
    session: { inactivityMs: e.SESSION_INACTIVITY_DAYS * 24 * 60 * 60 * 1000 },
    referenceValue: referenceValueSetting(e, seedDemoData),
    payoutAddressCoolingOffMs: e.PAYOUT_ADDRESS_COOLING_OFF_SECONDS * 1000,
    signInLimits: {
      perAccount: e.SIGN_IN_MAX_ATTEMPTS_PER_ACCOUNT,
      perIp: e.SIGN_IN_MAX_ATTEMPTS_PER_IP,
      windowMs: e.SIGN_IN_WINDOW_MINUTES * 60 * 1000,
      alertOwnerAfter: e.SIGN_IN_ALERT_AFTER_FAILURES,
    },
    signUpLimits: {
      perIpPerHour: e.SIGN_UP_MAX_PER_IP_PER_HOUR,
      perNetworkPerHour: e.SIGN_UP_MAX_PER_NETWORK_PER_HOUR,
      perDevicePerDay: e.SIGN_UP_MAX_PER_DEVICE_PER_DAY,
    },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    publicUrl: e.PUBLIC_URL,
    corsAllowedOrigins: e.CORS_ALLOWED_ORIGINS ?? [],
    redisUrl: e.REDIS_URL,
    rewards: {
      releaseIntervalMs: e.REWARD_RELEASE_INTERVAL_SECONDS * 1000,
    },
    gamification: { refreshIntervalMs: e.GAMIFICATION_REFRESH_INTERVAL_SECONDS * 1000 },
    chain,
    settlement: {
      // Hourly in earnest; every two minutes in the demo so people see an epoch land.
      intervalMs: (e.SETTLEMENT_INTERVAL_SECONDS ?? (seedDemoData ? 120 : 3600)) * 1000,
    },
  };
}

/**
 * MICRO is to be backed one-to-one by a USD stablecoin, so the demo shows 1 MICRO as
 * 1 USD, labelled as a demo rate; without demo data only an operator's rate is shown.
 */
function referenceValueSetting(
  e: z.output<typeof envSchema>,
  seedDemoData: boolean,
): ReferenceValueConfig | null {
  if (e.REFERENCE_RATE !== undefined) {
    return { currency: e.REFERENCE_CURRENCY, ratePerMicro: e.REFERENCE_RATE, source: "operator" };
  }
  return seedDemoData
    ? { currency: e.REFERENCE_CURRENCY, ratePerMicro: "1", source: "demo" }
    : null;
}

/**
 * The demo accounts have a published admin password and wallets on anvil's published keys:
 * they are on by default only where nothing is real (the embedded database, a chain this
 * process starts or none), and never against a real chain or a database on another machine
 * unless the operator says twice that this is what they want.
 */
function demoDataSetting(e: z.output<typeof envSchema>, chain: ChainConfig): boolean {
  if (e.SEED_DEMO_DATA === undefined) return e.DATABASE_URL === undefined && chain.kind !== "rpc";
  if (!e.SEED_DEMO_DATA || e.SEED_DEMO_DATA_FORCE) return e.SEED_DEMO_DATA;
  const refusal = demoDataRefusal({ chain, databaseUrl: e.DATABASE_URL });
  if (refusal !== null) throw new ConfigError([`SEED_DEMO_DATA: ${refusal}`]);
  return true;
}

/**
 * Why demo accounts must not exist here (a real chain, a database on another machine), or
 * null where they may. Also asked at start when the database already holds them.
 */
export function demoDataRefusal(config: Pick<Config, "chain" | "databaseUrl">): string | null {
  const remoteHost = config.databaseUrl ? remoteDatabaseHost(config.databaseUrl) : null;
  const reasons = [
    ...(config.chain.kind === "rpc" ? ["a real chain (CHAIN=rpc)"] : []),
    ...(remoteHost !== null ? [`a database that is not on this machine (${remoteHost})`] : []),
  ];
  if (reasons.length === 0) return null;
  return `refused against ${reasons.join(" and ")}: the demo accounts' passwords and keys are public. Set SEED_DEMO_DATA_FORCE=true as well if this really is a throwaway deployment.`;
}

/** The DATABASE_URL's host unless it is this machine (loopback or a Unix socket). */
function remoteDatabaseHost(databaseUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    return databaseUrl;
  }
  const socketHost = url.searchParams.get("host");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (host === "") return socketHost === null || socketHost.startsWith("/") ? null : socketHost;
  if (host === "localhost") return null;
  if (ipaddr.isValid(host) && ipaddr.process(host).range() === "loopback") return null;
  return host;
}

function chainConfig(e: z.output<typeof envSchema>): ChainConfig {
  const kind = e.CHAIN ?? (e.CHAIN_RPC_URL ? "rpc" : "embedded");
  if (kind === "off") return { kind };
  if (kind === "embedded") return { kind, confirmations: e.CHAIN_CONFIRMATIONS ?? 1 };
  const missing = (
    [
      ["CHAIN_RPC_URL", e.CHAIN_RPC_URL],
      ["CHAIN_PRIVATE_KEY", e.CHAIN_PRIVATE_KEY],
      ["MICRO_TOKEN_ADDRESS", e.MICRO_TOKEN_ADDRESS],
      ["REWARDS_DISTRIBUTOR_ADDRESS", e.REWARDS_DISTRIBUTOR_ADDRESS],
    ] as const
  )
    .filter(([, value]) => value === undefined)
    .map(([name]) => `${name}: is required when settling on an RPC chain (CHAIN=rpc)`);
  if (missing.length > 0) throw new ConfigError(missing);
  return {
    kind,
    rpcUrl: e.CHAIN_RPC_URL!,
    privateKey: e.CHAIN_PRIVATE_KEY!,
    microToken: e.MICRO_TOKEN_ADDRESS!,
    distributor: e.REWARDS_DISTRIBUTOR_ADDRESS!,
    // Real chains reorganise; wait a few blocks before calling an epoch final.
    confirmations: e.CHAIN_CONFIRMATIONS ?? 3,
  };
}
