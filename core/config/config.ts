import path from "node:path";
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
  SEED_DEMO_DATA: booleanFromEnv.default(true),
  COOKIE_SECURE: booleanFromEnv.optional(),
  TRUST_PROXY: booleanFromEnv.default(false),
  SESSION_INACTIVITY_DAYS: positiveInt.default(30),
  SIGN_IN_MAX_ATTEMPTS_PER_ACCOUNT: positiveInt.default(5),
  SIGN_IN_MAX_ATTEMPTS_PER_IP: positiveInt.default(30),
  SIGN_IN_WINDOW_MINUTES: positiveInt.default(15),
  REDIS_URL: z
    .string()
    .trim()
    .refine((value) => /^rediss?:\/\//.test(value), {
      message: "must be a redis:// or rediss:// URL",
    })
    .optional(),
  REWARD_RELEASE_INTERVAL_SECONDS: positiveInt.default(30),
  NEW_ACCOUNT_REVIEW_DAYS: z.coerce
    .number({ error: "must be a number of days" })
    .min(0, "must be zero or more")
    .max(90, "must be at most 90")
    .default(3),
});

export type Env = z.input<typeof envSchema>;

export type Config = {
  nodeEnv: "development" | "production" | "test";
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  logLevel: string;
  seedDemoData: boolean;
  cookieSecure: boolean;
  trustProxy: boolean;
  session: { inactivityMs: number };
  signInLimits: SignInLimits;
  redisUrl: string | undefined;
  rewards: { releaseIntervalMs: number; newAccountReviewMs: number };
};

export type SignInLimits = {
  perAccount: number;
  perIp: number;
  windowMs: number;
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
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    seedDemoData: e.SEED_DEMO_DATA,
    cookieSecure: e.COOKIE_SECURE ?? e.NODE_ENV === "production",
    trustProxy: e.TRUST_PROXY,
    session: { inactivityMs: e.SESSION_INACTIVITY_DAYS * 24 * 60 * 60 * 1000 },
    signInLimits: {
      perAccount: e.SIGN_IN_MAX_ATTEMPTS_PER_ACCOUNT,
      perIp: e.SIGN_IN_MAX_ATTEMPTS_PER_IP,
      windowMs: e.SIGN_IN_WINDOW_MINUTES * 60 * 1000,
    },
    redisUrl: e.REDIS_URL,
    rewards: {
      releaseIntervalMs: e.REWARD_RELEASE_INTERVAL_SECONDS * 1000,
      newAccountReviewMs: e.NEW_ACCOUNT_REVIEW_DAYS * 24 * 60 * 60 * 1000,
    },
  };
}
