import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type AuthPolicy } from "#core/auth/account.service.ts";
import { MAX_SIGN_IN_DELAY_SECONDS, signInDelaySeconds } from "#core/auth/sign-in-throttle.ts";
import { createUser, testPolicy } from "#tests/support/factories.ts";
import { accountMailInto, startSmtpInbox } from "#tests/support/smtp-inbox.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";

const strictPolicy: AuthPolicy = {
  ...testPolicy,
  signInLimits: { perAccount: 3, perIp: 12, windowMs: 15 * 60 * 1000 },
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

  it("slows one address down with growing delays (1 s, 2 s, 4 s…) instead of locking the account", async () => {
    const user = await createUser(testDb.db);
    const attacker = freshClient();
    const wrong = { email: user.user.email, password: "wrong password!" };
    let now = new Date("2026-12-07T12:00:00Z");
    const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
    // The free tries: answered at once, each a plain "incorrect".
    for (let i = 0; i < strictPolicy.signInLimits.perAccount; i++) {
      const result = await signIn(testDb.db, strictPolicy, wrong, attacker, { now });
      expect(!result.ok && result.error.kind).toBe("invalid-credentials");
    }
    const waits: number[] = [];
    for (let round = 0; round < 4; round++) {
      const early = await signIn(testDb.db, strictPolicy, wrong, attacker, { now: at(0.5) });
      if (early.ok || early.error.kind !== "rate-limited") throw new Error("expected a delay");
      waits.push(early.error.retryAfterSeconds);
      expect(early.error.message).toMatch(
        /^Too many wrong passwords for this account\. Wait \d+ seconds?/,
      );
      // Once the delay has passed the address may try again (and fail again).
      now = at(early.error.retryAfterSeconds);
      const allowed = await signIn(testDb.db, strictPolicy, wrong, attacker, { now });
      expect(!allowed.ok && allowed.error.kind).toBe("invalid-credentials");
    }
    expect(waits).toEqual([1, 2, 4, 8]);
    // And even the right password waits out the delay from this address: no shortcut.
    const right = { email: user.user.email, password: user.password };
    const throttled = await signIn(testDb.db, strictPolicy, right, attacker, { now: at(1) });
    expect(!throttled.ok && throttled.error.kind).toBe("rate-limited");
    expect((await signIn(testDb.db, strictPolicy, right, attacker, { now: at(16) })).ok).toBe(true);
  });

  it("caps the delay at a minute, however many failures came before", async () => {
    expect(signInDelaySeconds(4, 5)).toBe(0);
    expect(signInDelaySeconds(5, 5)).toBe(1);
    expect(signInDelaySeconds(11, 5)).toBe(MAX_SIGN_IN_DELAY_SECONDS);
    expect(signInDelaySeconds(500, 5)).toBe(MAX_SIGN_IN_DELAY_SECONDS);
  });

  it("never refuses the owner signing in from another address because of an attacker's failures", async () => {
    const user = await createUser(testDb.db);
    const now = new Date("2026-12-07T13:00:00Z");
    const wrong = { email: user.user.email, password: "wrong password!" };
    const attacker = freshClient();
    for (let i = 0; i < strictPolicy.signInLimits.perIp; i++) {
      await signIn(testDb.db, strictPolicy, wrong, attacker, { now });
    }
    const attackerAgain = await signIn(testDb.db, strictPolicy, wrong, attacker, { now });
    expect(!attackerAgain.ok && attackerAgain.error.kind).toBe("rate-limited");
    const owner = await signIn(
      testDb.db,
      strictPolicy,
      { email: user.user.email, password: user.password },
      freshClient(),
      { now },
    );
    expect(owner.ok).toBe(true);
  });

  it("refuses an address that fails on many accounts for the rest of the window", async () => {
    const stuffer = freshClient();
    const now = new Date("2026-12-07T14:00:00Z");
    for (let i = 0; i < strictPolicy.signInLimits.perIp; i++) {
      const result = await signIn(
        testDb.db,
        strictPolicy,
        { email: `victim${i}@example.com`, password: "password guess 1" },
        stuffer,
        { now },
      );
      expect(!result.ok && result.error.kind).toBe("invalid-credentials");
    }
    const user = await createUser(testDb.db);
    const limited = await signIn(
      testDb.db,
      strictPolicy,
      { email: user.user.email, password: user.password },
      stuffer,
      { now },
    );
    expect(limited).toEqual({
      ok: false,
      error: {
        kind: "rate-limited",
        message: "Too many failed sign-ins from your network. Try again in 15 minutes.",
        retryAfterSeconds: 15 * 60,
      },
    });
    const later = new Date(now.getTime() + 15 * 60 * 1000);
    const afterWindow = await signIn(
      testDb.db,
      strictPolicy,
      { email: user.user.email, password: user.password },
      stuffer,
      { now: later },
    );
    expect(afterWindow.ok).toBe(true);
  });

  it("counts an IPv6 stuffer by its /64, so rotating addresses inside it does not escape the cap", async () => {
    const now = new Date("2026-12-07T14:00:00Z");
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:7`;
    for (let i = 0; i < strictPolicy.signInLimits.perIp; i++) {
      const result = await signIn(
        testDb.db,
        strictPolicy,
        { email: `victim6-${i}@example.com`, password: "password guess 1" },
        { ip: `${prefix}::${(i + 1).toString(16)}`, userAgent: null },
        { now },
      );
      expect(!result.ok && result.error.kind).toBe("invalid-credentials");
    }
    const user = await createUser(testDb.db);
    const limited = await signIn(
      testDb.db,
      strictPolicy,
      { email: user.user.email, password: user.password },
      { ip: `${prefix}:ffff:ffff:ffff:ffff`, userAgent: null },
      { now },
    );
    expect(!limited.ok && limited.error.kind).toBe("rate-limited");
    const elsewhere = await signIn(
      testDb.db,
      strictPolicy,
      { email: user.user.email, password: user.password },
      { ip: `${prefix.replace(/:7$/, ":8")}::1`, userAgent: null },
      { now },
    );
    expect(elsewhere.ok).toBe(true);
  });

  it("a successful sign-in ends this address's streak of failures", async () => {
    const user = await createUser(testDb.db);
    const client = freshClient();
    const now = new Date("2026-12-07T15:00:00Z");
    const wrong = { email: user.user.email, password: "wrong password!" };
    const right = { email: user.user.email, password: user.password };
    for (let i = 0; i < strictPolicy.signInLimits.perAccount - 1; i++) {
      await signIn(testDb.db, strictPolicy, wrong, client, { now });
    }
    expect((await signIn(testDb.db, strictPolicy, right, client, { now })).ok).toBe(true);
    for (let i = 0; i < strictPolicy.signInLimits.perAccount - 1; i++) {
      const result = await signIn(testDb.db, strictPolicy, wrong, client, { now });
      expect(!result.ok && result.error.kind).toBe("invalid-credentials");
    }
  });

  it("emails the owner once per window when failures from anywhere pile up", async () => {
    const inbox = await startSmtpInbox();
    try {
      const mail = accountMailInto(inbox);
      const user = await createUser(testDb.db);
      const policy = {
        ...strictPolicy,
        signInLimits: { ...strictPolicy.signInLimits, alertOwnerAfter: 4 },
      };
      const now = new Date("2026-12-07T16:00:00Z");
      const wrong = { email: user.user.email, password: "wrong password!" };
      // Four addresses, one failure each: no single address is slowed, the owner is told.
      for (let i = 0; i < 8; i++) {
        await signIn(testDb.db, policy, wrong, freshClient(), { mail, now });
      }
      const alert = await inbox.nextMessageTo(user.user.email);
      expect(alert.subject).toBe("Someone tried to sign in to your Tributary account");
      expect(alert.text).toContain("with a wrong password 4 times in the last 15 minutes");
      expect(alert.text).toContain("https://tributary.test/forgot-password");
      // Eight failures, one mail: an attacker cannot flood the owner's inbox.
      await signIn(testDb.db, policy, wrong, freshClient(), { mail, now });
      const check = await signIn(
        testDb.db,
        policy,
        { email: user.user.email, password: user.password },
        freshClient(),
        { mail, now },
      );
      expect(check.ok).toBe(true);
      expect(inbox.messagesTo(user.user.email)).toHaveLength(1);
    } finally {
      await inbox.close();
    }
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
