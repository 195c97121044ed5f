import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSession,
  invalidateAllSessions,
  invalidateSession,
  listSessions,
  validateSessionToken,
} from "#core/auth/session.service.ts";
import { createUser, testPolicy } from "#tests/support/factories.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";

const policy = testPolicy.session;
const HOUR = 60 * 60 * 1000;

describe.each(testBackends())("sessions on %s", (backend) => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await openTestDb(backend);
  });
  afterAll(() => testDb.close());

  it("stores only a SHA-256 hash of the secret, never the secret itself", async () => {
    const { token, session } = await createUser(testDb.db);
    const secret = token.split(".")[1]!;
    const row = await testDb.db
      .selectFrom("sessions")
      .selectAll()
      .where("id", "=", session.id)
      .executeTakeFirstOrThrow();
    expect(row.secret_hash).toHaveLength(32);
    expect(Buffer.from(row.secret_hash).toString("latin1")).not.toContain(secret);
    expect(JSON.stringify(row)).not.toContain(secret);
  });

  it("issues tokens with at least 120 random bits in each half, all different", async () => {
    const { user } = await createUser(testDb.db);
    const tokens = await Promise.all(
      Array.from({ length: 20 }, () => createSession(testDb.db, policy, user.id)),
    );
    const parts = tokens.flatMap(({ token }) => token.split("."));
    expect(new Set(parts).size).toBe(parts.length);
    // 24 characters from a 32-letter alphabet: 24 × 5 = 120 bits.
    for (const part of parts) expect(part).toMatch(/^[abcdefghijkmnpqrstuvwxyz23456789]{24}$/);
  });

  it("accepts the genuine token and rejects a forged secret or a malformed token", async () => {
    const { token, user } = await createUser(testDb.db);
    expect((await validateSessionToken(testDb.db, policy, token))?.user.id).toBe(user.id);
    const [id, secret] = token.split(".") as [string, string];
    const forged = `${id}.${secret.slice(0, -1)}${secret.endsWith("a") ? "b" : "a"}`;
    expect(await validateSessionToken(testDb.db, policy, forged)).toBeNull();
    for (const bad of [
      "",
      "x",
      `${id}`,
      `${id}.${secret}.extra`,
      `${"a".repeat(24)}.${secret}`,
      "' or 1=1 --",
    ]) {
      expect(await validateSessionToken(testDb.db, policy, bad)).toBeNull();
    }
  });

  it("expires after the inactivity window and deletes the expired session", async () => {
    const { user } = await createUser(testDb.db);
    const start = new Date("2026-01-01T00:00:00Z");
    const { token, session } = await createSession(testDb.db, policy, user.id, {}, start);
    const justBefore = new Date(start.getTime() + policy.inactivityMs - 1000);
    const justAfter = new Date(start.getTime() + policy.inactivityMs);
    expect(
      await validateSessionToken(testDb.db, policy, token, new Date(start.getTime() + 1000)),
    ).not.toBeNull();
    const fresh = await createSession(testDb.db, policy, user.id, {}, start);
    expect(await validateSessionToken(testDb.db, policy, fresh.token, justBefore)).not.toBeNull();
    expect(await validateSessionToken(testDb.db, policy, token, justAfter)).toBeNull();
    const row = await testDb.db
      .selectFrom("sessions")
      .select("id")
      .where("id", "=", session.id)
      .executeTakeFirst();
    expect(row).toBeUndefined();
  });

  it("renews the expiry on use after an hour, not on every request", async () => {
    const { user } = await createUser(testDb.db);
    const start = new Date("2026-02-01T00:00:00Z");
    const { token } = await createSession(testDb.db, policy, user.id, {}, start);
    const soon = await validateSessionToken(
      testDb.db,
      policy,
      token,
      new Date(start.getTime() + 10 * 60 * 1000),
    );
    expect(soon?.isRenewed).toBe(false);
    expect(soon?.session.expiresAt.getTime()).toBe(start.getTime() + policy.inactivityMs);
    const later = new Date(start.getTime() + 2 * HOUR);
    const renewed = await validateSessionToken(testDb.db, policy, token, later);
    expect(renewed?.isRenewed).toBe(true);
    expect(renewed?.session.expiresAt.getTime()).toBe(later.getTime() + policy.inactivityMs);
    // Past the original expiry, but within the renewed one: still valid.
    const pastOriginal = new Date(start.getTime() + policy.inactivityMs + HOUR);
    expect(await validateSessionToken(testDb.db, policy, token, pastOriginal)).not.toBeNull();
  });

  it("sign-out ends one session; sign-out everywhere ends all of them and only the user's", async () => {
    const alice = await createUser(testDb.db);
    const bob = await createUser(testDb.db);
    const second = await createSession(testDb.db, policy, alice.user.id);
    const third = await createSession(testDb.db, policy, alice.user.id);

    await invalidateSession(testDb.db, second.session.id);
    expect(await validateSessionToken(testDb.db, policy, second.token)).toBeNull();
    expect(await validateSessionToken(testDb.db, policy, third.token)).not.toBeNull();

    expect(await invalidateAllSessions(testDb.db, alice.user.id)).toBe(2);
    expect(await validateSessionToken(testDb.db, policy, alice.token)).toBeNull();
    expect(await validateSessionToken(testDb.db, policy, third.token)).toBeNull();
    expect(await validateSessionToken(testDb.db, policy, bob.token)).not.toBeNull();
  });

  it("lists a user's active sessions newest first, page by page without gaps or repeats", async () => {
    const { user } = await createUser(testDb.db);
    const base = Date.now();
    for (let i = 1; i <= 4; i++)
      await createSession(testDb.db, policy, user.id, {}, new Date(base + i * 1000));
    const seen: string[] = [];
    let after: { createdAt: Date; id: string } | undefined;
    for (;;) {
      const page = await listSessions(
        testDb.db,
        policy,
        user.id,
        { limit: 2, ...(after ? { after } : {}) },
        new Date(base + 10_000),
      );
      if (page.length === 0) break;
      seen.push(...page.map((s) => s.id));
      const last = page[page.length - 1]!;
      after = { createdAt: last.createdAt, id: last.id };
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });
});
