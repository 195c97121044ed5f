import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type AuthPolicy } from "#core/auth/account.service.ts";
import { createUser, testPolicy } from "#tests/support/factories.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";

const strictPolicy: AuthPolicy = {
  ...testPolicy,
  signInLimits: { perAccount: 3, perIp: 5, windowMs: 15 * 60 * 1000 },
};

let ipCounter = 0;
/** Each test signs in from its own address so per-IP limits do not leak between tests. */
const freshClient = () => ({ ip: `192.0.2.${++ipCounter}`, userAgent: "vitest" });

describe.each(testBackends())("sign-in on %s", (backend) => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await openTestDb(backend);
  });
  afterAll(() => testDb.close());

  it("opens a new session for the right password, matching the email case-insensitively", async () => {
    const user = await createUser(testDb.db);
    const result = await signIn(
      testDb.db,
      strictPolicy,
      { email: user.user.email.toUpperCase(), password: user.password },
      freshClient(),
    );
    expect(result.ok && result.value.user.id).toBe(user.user.id);
    expect(result.ok && result.value.token).not.toBe(user.token);
  });

  it("signing in from a browser that already has a session replaces that session", async () => {
    const user = await createUser(testDb.db);
    const again = await signIn(
      testDb.db,
      strictPolicy,
      { email: user.user.email, password: user.password },
      { ...freshClient(), currentSessionId: user.session.id },
    );
    expect(again.ok).toBe(true);
    const sessions = await testDb.db
      .selectFrom("sessions")
      .select("id")
      .where("user_id", "=", user.user.id)
      .execute();
    expect(sessions.map((s) => s.id)).toEqual([again.ok ? again.value.session.id : "none"]);
  });

  it("gives the same message for a wrong password and for an unknown email", async () => {
    const user = await createUser(testDb.db);
    const client = freshClient();
    const wrongPassword = await signIn(
      testDb.db,
      strictPolicy,
      { email: user.user.email, password: "not the password" },
      client,
    );
    const unknownEmail = await signIn(
      testDb.db,
      strictPolicy,
      { email: "nobody@example.com", password: "whatever123" },
      client,
    );
    expect(wrongPassword).toEqual({
      ok: false,
      error: { kind: "invalid-credentials", message: "Email or password is incorrect." },
    });
    expect(unknownEmail).toEqual(wrongPassword);
  });

  it("limits attempts per account, even with the right password, and says when to retry", async () => {
    const user = await createUser(testDb.db);
    for (let attempt = 0; attempt < 3; attempt++) {
      const result = await signIn(
        testDb.db,
        strictPolicy,
        { email: user.user.email, password: "wrong password!" },
        freshClient(),
      );
      expect(!result.ok && result.error.kind).toBe("invalid-credentials");
    }
    const limited = await signIn(
      testDb.db,
      strictPolicy,
      { email: user.user.email, password: user.password },
      freshClient(),
    );
    expect(limited.ok).toBe(false);
    if (limited.ok) return;
    expect(limited.error.kind).toBe("rate-limited");
    expect(limited.error.message).toMatch(
      /^Too many sign-in attempts for this account\. Try again in 15 minutes\.$/,
    );
    if (limited.error.kind === "rate-limited") {
      expect(limited.error.retryAfterSeconds).toBeGreaterThan(800);
      expect(limited.error.retryAfterSeconds).toBeLessThanOrEqual(900);
    }
  });

  it("limits attempts per IP address across accounts", async () => {
    const client = freshClient();
    for (let attempt = 0; attempt < 5; attempt++) {
      const result = await signIn(
        testDb.db,
        strictPolicy,
        { email: `probe${attempt}@example.com`, password: "guess guess" },
        client,
      );
      expect(!result.ok && result.error.kind).toBe("invalid-credentials");
    }
    const user = await createUser(testDb.db);
    const limited = await signIn(
      testDb.db,
      strictPolicy,
      { email: user.user.email, password: user.password },
      client,
    );
    expect(!limited.ok && limited.error.message).toMatch(/your network/);
    const elsewhere = await signIn(
      testDb.db,
      strictPolicy,
      { email: user.user.email, password: user.password },
      freshClient(),
    );
    expect(elsewhere.ok).toBe(true);
  });

  it("a successful sign-in resets the account's failed attempts", async () => {
    const user = await createUser(testDb.db);
    const wrong = { email: user.user.email, password: "wrong password!" };
    const right = { email: user.user.email, password: user.password };
    await signIn(testDb.db, strictPolicy, wrong, freshClient());
    await signIn(testDb.db, strictPolicy, wrong, freshClient());
    expect((await signIn(testDb.db, strictPolicy, right, freshClient())).ok).toBe(true);
    await signIn(testDb.db, strictPolicy, wrong, freshClient());
    await signIn(testDb.db, strictPolicy, wrong, freshClient());
    expect((await signIn(testDb.db, strictPolicy, right, freshClient())).ok).toBe(true);
  });

  it("refuses malformed input with field errors before touching the limits", async () => {
    const result = await signIn(
      testDb.db,
      strictPolicy,
      { email: "nope", password: "" },
      freshClient(),
    );
    expect(result.ok).toBe(false);
    if (result.ok || result.error.kind !== "validation")
      throw new Error("expected a validation failure");
    expect(result.error.fieldErrors.email).toBeDefined();
    expect(result.error.fieldErrors.password).toEqual(["Enter a password."]);
    const buckets = await testDb.db
      .selectFrom("rate_limit_buckets")
      .select("key")
      .where("key", "like", "%nope%")
      .execute();
    expect(buckets).toEqual([]);
  });
});
