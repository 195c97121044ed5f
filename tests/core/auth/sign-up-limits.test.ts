import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp, type AuthPolicy } from "#core/auth/account.service.ts";
import { isDisposableEmail, networkOf } from "#core/auth/sign-up-limits.ts";
import type { Db } from "#db/create-db.ts";
import { newAccountInput, testPolicy } from "#tests/support/factories.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";

const limited: AuthPolicy = {
  ...testPolicy,
  signUpLimits: { perIpPerHour: 2, perNetworkPerHour: 3, perDevicePerDay: 2 },
};

async function countRows(db: Db) {
  const users = await db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<bigint>().as("n"))
    .executeTakeFirstOrThrow();
  const buckets = await db
    .selectFrom("rate_limit_buckets")
    .select(["key", "attempts"])
    .where("key", "like", "sign-up:%")
    .orderBy("key")
    .execute();
  const tokens = await db
    .selectFrom("email_tokens")
    .select((eb) => eb.fn.countAll<bigint>().as("n"))
    .executeTakeFirstOrThrow();
  return { users: Number(users.n), buckets, tokens: Number(tokens.n) };
}

describe("sign-up signals", () => {
  it("groups addresses by IPv4 /24 and IPv6 /64, IPv4-mapped IPv6 as IPv4", () => {
    expect(networkOf("203.0.113.77")).toBe("203.0.113.0/24");
    expect(networkOf("::ffff:203.0.113.9")).toBe("203.0.113.0/24");
    expect(networkOf("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(networkOf("2001:db8:1:2:ffff::9")).toBe(networkOf("2001:db8:1:2::1"));
    expect(networkOf("not an ip")).toBeNull();
  });

  it("knows disposable mail domains and their subdomains, not ordinary ones", () => {
    expect(isDisposableEmail("someone@mailinator.com")).toBe(true);
    expect(isDisposableEmail("someone@eu.mailinator.com")).toBe(true);
    expect(isDisposableEmail("someone@example.com")).toBe(false);
    expect(isDisposableEmail("someone@gmail.com")).toBe(false);
  });
});

describe.each(testBackends())("sign-up limits on %s", (backend) => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await openTestDb(backend);
  });
  afterAll(() => testDb.close());

  it("refuses a disposable address with a clear message and writes nothing", async () => {
    const before = await countRows(testDb.db);
    const result = await signUp(
      testDb.db,
      limited,
      newAccountInput({ email: `farm${Date.now()}@Mailinator.com` }),
      { ip: "198.51.100.50", userAgent: "vitest" },
    );
    expect(result).toEqual({
      ok: false,
      error: {
        kind: "validation",
        message:
          "Addresses from disposable email services can't be used. Use an address you will keep.",
        fieldErrors: {
          email: [
            "Addresses from disposable email services can't be used. Use an address you will keep.",
          ],
        },
      },
    });
    expect(await countRows(testDb.db)).toEqual(before);
  });

  it("refuses past the limit per address in an hour and writes nothing", async () => {
    const client = { ip: "198.51.100.60", userAgent: "vitest" };
    for (let i = 0; i < 2; i++) {
      expect((await signUp(testDb.db, limited, newAccountInput(), client)).ok).toBe(true);
    }
    const before = await countRows(testDb.db);
    const refused = await signUp(testDb.db, limited, newAccountInput(), client);
    expect(refused).toEqual({
      ok: false,
      error: {
        kind: "rate-limited",
        message: "Too many sign-ups from your address in the last hour. Try again later.",
        retryAfterSeconds: expect.any(Number),
      },
    });
    expect(
      !refused.ok && refused.error.kind === "rate-limited" && refused.error.retryAfterSeconds,
    ).toBeGreaterThan(3500);
    expect(await countRows(testDb.db)).toEqual(before);
    // Another network is not affected.
    const elsewhere = await signUp(testDb.db, limited, newAccountInput(), {
      ip: "192.0.2.60",
      userAgent: "vitest",
    });
    expect(elsewhere.ok).toBe(true);
  });

  it("refuses past the limit per network, across its addresses", async () => {
    for (const ip of ["203.0.113.1", "203.0.113.2", "203.0.113.3"]) {
      const result = await signUp(testDb.db, limited, newAccountInput(), {
        ip,
        userAgent: "vitest",
      });
      expect(result.ok).toBe(true);
    }
    const before = await countRows(testDb.db);
    const refused = await signUp(testDb.db, limited, newAccountInput(), {
      ip: "203.0.113.200",
      userAgent: "vitest",
    });
    expect(!refused.ok && refused.error.message).toBe(
      "Too many sign-ups from your network in the last hour. Try again later.",
    );
    expect(await countRows(testDb.db)).toEqual(before);

    for (const ip of ["2001:db8:7:7::1", "2001:db8:7:7::2", "2001:db8:7:7:ffff::3"]) {
      expect(
        (await signUp(testDb.db, limited, newAccountInput(), { ip, userAgent: "vitest" })).ok,
      ).toBe(true);
    }
    const v6 = await signUp(testDb.db, limited, newAccountInput(), {
      ip: "2001:db8:7:7:1::9",
      userAgent: "vitest",
    });
    expect(!v6.ok && v6.error.message).toMatch(/from your network/);
  });

  it("refuses past the limit per browser in a day, whatever address it comes from", async () => {
    const deviceId = "devicedevicedevicedevice";
    const from = (ip: string) => ({ ip, userAgent: "vitest", deviceId });
    expect((await signUp(testDb.db, limited, newAccountInput(), from("192.0.2.101"))).ok).toBe(
      true,
    );
    expect((await signUp(testDb.db, limited, newAccountInput(), from("198.18.0.1"))).ok).toBe(true);
    const before = await countRows(testDb.db);
    const refused = await signUp(testDb.db, limited, newAccountInput(), from("198.19.5.5"));
    expect(!refused.ok && refused.error.message).toBe(
      "This browser has already signed up 2 times today. One person needs one account; try again tomorrow if you must.",
    );
    expect(await countRows(testDb.db)).toEqual(before);
  });

  it("a sign-up refused for a taken handle does not count against the limits", async () => {
    const client = { ip: "100.64.9.9", userAgent: "vitest" };
    const first = newAccountInput();
    expect((await signUp(testDb.db, limited, first, client)).ok).toBe(true);
    for (let i = 0; i < 3; i++) {
      const taken = await signUp(
        testDb.db,
        limited,
        newAccountInput({ handle: first.handle }),
        client,
      );
      expect(!taken.ok && taken.error.kind).toBe("validation");
    }
    expect((await signUp(testDb.db, limited, newAccountInput(), client)).ok).toBe(true);
  });
});
