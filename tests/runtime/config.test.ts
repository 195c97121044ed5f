import { describe, expect, it } from "vitest";
import fs from "node:fs";
import { ConfigError, configVariableNames, loadConfig } from "#runtime/config.ts";

describe("configuration", () => {
  it("runs on embedded defaults with no variables set", () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toMatch(/\/data$/);
    expect(config.seedDemoData).toBe(true);
    expect(config.cookieSecure).toBe(false);
  });

  it("honours PORT and treats an empty value as unset", () => {
    expect(loadConfig({ PORT: "4123" }).port).toBe(4123);
    expect(loadConfig({ PORT: "" }).port).toBe(3000);
  });

  it("marks cookies Secure in production unless told otherwise", () => {
    expect(loadConfig({ NODE_ENV: "production" }).cookieSecure).toBe(true);
    expect(loadConfig({ NODE_ENV: "production", COOKIE_SECURE: "false" }).cookieSecure).toBe(false);
  });

  it("names every bad variable, what is wrong and what it got", () => {
    let caught: unknown;
    try {
      loadConfig({ PORT: "eighty", DATABASE_URL: "mysql://x", SEED_DEMO_DATA: "maybe" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    expect(message).toContain('PORT: must be a port number (got "eighty")');
    expect(message).toContain(
      'DATABASE_URL: must be a postgres:// or postgresql:// URL (got "mysql://x")',
    );
    expect(message).toContain(
      'SEED_DEMO_DATA: must be one of true, false, 1, 0, yes, no (got "maybe")',
    );
  });

  it("refuses a port out of range", () => {
    expect(() => loadConfig({ PORT: "70000" })).toThrow(/PORT: must be between 0 and 65535/);
  });

  it("settles on an embedded anvil by default and on an RPC chain only with its key and addresses", () => {
    expect(loadConfig({}).chain).toEqual({ kind: "embedded", confirmations: 1 });
    expect(loadConfig({ CHAIN: "off" }).chain).toEqual({ kind: "off" });
    expect(() => loadConfig({ CHAIN_RPC_URL: "https://rpc.example" })).toThrow(
      /CHAIN_PRIVATE_KEY: is required[\s\S]*REWARDS_DISTRIBUTOR_ADDRESS: is required/,
    );
    const key = `0x${"ab".repeat(32)}`;
    const rpc = loadConfig({
      CHAIN_RPC_URL: "https://rpc.example",
      CHAIN_PRIVATE_KEY: key,
      MICRO_TOKEN_ADDRESS: `0x${"11".repeat(20)}`,
      REWARDS_DISTRIBUTOR_ADDRESS: `0x${"22".repeat(20)}`,
    }).chain;
    expect(rpc).toMatchObject({ kind: "rpc", privateKey: key, confirmations: 3 });
    expect(() => loadConfig({ CHAIN_PRIVATE_KEY: "0x1234" })).toThrow(
      /CHAIN_PRIVATE_KEY: must be a 0x-prefixed 32-byte private key/,
    );
  });

  describe("demo data (published passwords and keys)", () => {
    const rpc = {
      CHAIN_RPC_URL: "https://rpc.example",
      CHAIN_PRIVATE_KEY: `0x${"ab".repeat(32)}`,
      MICRO_TOKEN_ADDRESS: `0x${"11".repeat(20)}`,
      REWARDS_DISTRIBUTOR_ADDRESS: `0x${"22".repeat(20)}`,
    };

    it("is on by default only on the embedded database with a local chain", () => {
      expect(loadConfig({}).seedDemoData).toBe(true);
      expect(loadConfig({ CHAIN: "off" }).seedDemoData).toBe(true);
      expect(loadConfig(rpc).seedDemoData).toBe(false);
      expect(loadConfig({ DATABASE_URL: "postgres://db.internal/tributary" }).seedDemoData).toBe(
        false,
      );
      expect(
        loadConfig({ DATABASE_URL: "postgres://postgres@127.0.0.1:5432/dev" }).seedDemoData,
      ).toBe(false);
    });

    it("is on when asked for against a loopback database", () => {
      for (const url of [
        "postgres://postgres@127.0.0.1:5432/dev",
        "postgres://localhost/dev",
        "postgresql://u@[::1]:5432/dev",
        "postgres:///dev?host=/var/run/postgresql",
      ]) {
        expect(loadConfig({ DATABASE_URL: url, SEED_DEMO_DATA: "true" }).seedDemoData).toBe(true);
      }
    });

    it("refuses to start with demo data against a real chain or a remote database unless forced", () => {
      expect(() => loadConfig({ ...rpc, SEED_DEMO_DATA: "true" })).toThrow(
        /SEED_DEMO_DATA: refused against a real chain \(CHAIN=rpc\)[\s\S]*SEED_DEMO_DATA_FORCE=true/,
      );
      expect(() =>
        loadConfig({ DATABASE_URL: "postgres://db.internal/tributary", SEED_DEMO_DATA: "yes" }),
      ).toThrow(
        /SEED_DEMO_DATA: refused against a database that is not on this machine \(db\.internal\)/,
      );
      expect(() =>
        loadConfig({ DATABASE_URL: "postgres://10.0.0.5/tributary", SEED_DEMO_DATA: "1" }),
      ).toThrow(/not on this machine \(10\.0\.0\.5\)/);
      const forced = loadConfig({
        ...rpc,
        DATABASE_URL: "postgres://db.internal/tributary",
        SEED_DEMO_DATA: "true",
        SEED_DEMO_DATA_FORCE: "true",
      });
      expect(forced.seedDemoData).toBe(true);
    });
  });

  it("settles hourly, or every two minutes when the demo data is on", () => {
    expect(loadConfig({ SEED_DEMO_DATA: "false" }).settlement.intervalMs).toBe(3_600_000);
    expect(loadConfig({}).settlement.intervalMs).toBe(120_000);
    expect(loadConfig({ SETTLEMENT_INTERVAL_SECONDS: "30" }).settlement.intervalMs).toBe(30_000);
  });

  it("refreshes streaks and quests every minute unless told otherwise", () => {
    expect(loadConfig({}).gamification.refreshIntervalMs).toBe(60_000);
    expect(
      loadConfig({ GAMIFICATION_REFRESH_INTERVAL_SECONDS: "5" }).gamification.refreshIntervalMs,
    ).toBe(5_000);
    expect(() => loadConfig({ GAMIFICATION_REFRESH_INTERVAL_SECONDS: "0" })).toThrow(
      /GAMIFICATION_REFRESH_INTERVAL_SECONDS: must be greater than zero/,
    );
  });

  it("mails through the log by default and over SMTP when SMTP_URL is set", () => {
    expect(loadConfig({}).mail).toEqual({
      smtpUrl: undefined,
      from: "Tributary <no-reply@tributary.localhost>",
    });
    expect(loadConfig({ SMTP_URL: "smtps://user:pw@mail.example:465" }).mail.smtpUrl).toBe(
      "smtps://user:pw@mail.example:465",
    );
    expect(() => loadConfig({ SMTP_URL: "http://mail.example" })).toThrow(
      /SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL \(got "http:\/\/mail.example"\)/,
    );
  });

  it("takes PUBLIC_URL as an origin for links in mail, without a trailing slash", () => {
    expect(loadConfig({}).publicUrl).toBeUndefined();
    expect(loadConfig({ PUBLIC_URL: "https://tributary.example/" }).publicUrl).toBe(
      "https://tributary.example",
    );
    expect(() => loadConfig({ PUBLIC_URL: "https://tributary.example/app" })).toThrow(
      /PUBLIC_URL: must be an http:\/\/ or https:\/\/ origin/,
    );
  });

  it("limits sign-ups per address, network and browser, and alerts owners after 10 failures", () => {
    const config = loadConfig({});
    expect(config.signUpLimits).toEqual({
      perIpPerHour: 5,
      perNetworkPerHour: 20,
      perDevicePerDay: 3,
    });
    expect(config.signInLimits.alertOwnerAfter).toBe(10);
    expect(loadConfig({ SIGN_UP_MAX_PER_IP_PER_HOUR: "50" }).signUpLimits.perIpPerHour).toBe(50);
    expect(() => loadConfig({ SIGN_UP_MAX_PER_DEVICE_PER_DAY: "0" })).toThrow(
      /SIGN_UP_MAX_PER_DEVICE_PER_DAY: must be greater than zero/,
    );
  });

  it("README's configuration table lists every variable the configuration reads", () => {
    const readme = fs.readFileSync("README.md", "utf8");
    const undocumented = configVariableNames.filter((name) => !readme.includes(`| \`${name}\``));
    expect(undocumented).toEqual([]);
  });
});
