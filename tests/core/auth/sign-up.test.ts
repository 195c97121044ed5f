import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, signUp, type AuthPolicy } from "#core/auth/account.service.ts";
import type { AccountMail } from "#core/auth/account-mail.ts";
import type { FieldErrors } from "#core/result.ts";
import type { Db } from "#db/create-db.ts";
import { newAccountInput, testPolicy } from "#tests/support/factories.ts";
import {
  linkIn,
  accountMailInto,
  startSmtpInbox,
  type SmtpInbox,
} from "#tests/support/smtp-inbox.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";

const client = { ip: "198.51.100.7", userAgent: "vitest" };

/** The field errors of a refused sign-up; fails the test for any other outcome. */
function fieldErrorsOf(result: Awaited<ReturnType<typeof signUp>>): FieldErrors {
  if (result.ok || result.error.kind !== "validation") {
    throw new Error(`expected field errors, got ${JSON.stringify(result)}`);
  }
  return result.error.fieldErrors;
}

async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<bigint>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** What sign-up may have written for an address: its account, sessions and email tokens. */
async function traceOf(db: Db, email: string) {
  const user = await db
    .selectFrom("users")
    .select(["id", "handle", "display_name", "password_hash", "email_verified_at"])
    .where("email", "=", email)
    .executeTakeFirst();
  if (!user) return { user: null, sessions: 0, tokens: 0 };
  const sessions = await db
    .selectFrom("sessions")
    .select((eb) => eb.fn.countAll<bigint>().as("n"))
    .where("user_id", "=", user.id)
    .executeTakeFirstOrThrow();
  const tokens = await db
    .selectFrom("email_tokens")
    .select((eb) => eb.fn.countAll<bigint>().as("n"))
    .where("user_id", "=", user.id)
    .executeTakeFirstOrThrow();
  return { user, sessions: Number(sessions.n), tokens: Number(tokens.n) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

describe.each(testBackends())("sign-up on %s", (backend) => {
  let testDb: TestDb;
  let inbox: SmtpInbox;
  let mail: AccountMail;
  beforeAll(async () => {
    testDb = await openTestDb(backend, { poolSize: 20 });
    inbox = await startSmtpInbox();
    mail = accountMailInto(inbox);
  });
  afterAll(async () => {
    await inbox.close();
    await testDb.close();
  });

  it("creates the account with a normalised handle and email, opens no session, and answers with the email only", async () => {
    const input = newAccountInput();
    const result = await signUp(
      testDb.db,
      testPolicy,
      {
        ...input,
        handle: `@${input.handle.toUpperCase()}`,
        email: ` ${input.email.toUpperCase()} `,
      },
      client,
    );
    expect(result).toEqual({ ok: true, value: { email: input.email } });
    const trace = await traceOf(testDb.db, input.email);
    expect(trace.user?.handle).toBe(input.handle);
    expect(trace.sessions).toBe(0);
    expect(trace.tokens).toBe(1);
    expect(trace.user?.password_hash).toMatch(/^\$argon2id\$/);
    expect(trace.user?.password_hash).not.toContain(input.password);
    // Signing in with the password works before the address is verified.
    const signedIn = await signIn(testDb.db, testPolicy, input, client);
    expect(signedIn.ok && signedIn.value.user.emailVerifiedAt).toBeNull();
  });

  it("defaults the display name to the handle", async () => {
    const { displayName: _omitted, ...input } = newAccountInput();
    expect((await signUp(testDb.db, testPolicy, input, client)).ok).toBe(true);
    expect((await traceOf(testDb.db, input.email)).user?.display_name).toBe(input.handle);
  });

  it("answers a taken email exactly as a new one, creates nothing and mails the owner instead", async () => {
    const owner = newAccountInput();
    expect((await signUp(testDb.db, testPolicy, owner, client, { mail })).ok).toBe(true);
    expect((await inbox.nextMessageTo(owner.email)).subject).toBe(
      "Confirm your email for Tributary",
    );
    const ownerBefore = await traceOf(testDb.db, owner.email);
    const usersBefore = await countUsers(testDb.db);

    const probe = newAccountInput({ email: owner.email.toUpperCase() });
    const taken = await signUp(testDb.db, testPolicy, probe, client, { mail });
    const fresh = newAccountInput();
    const created = await signUp(testDb.db, testPolicy, fresh, client, { mail });
    expect(taken).toEqual({ ok: true, value: { email: owner.email } });
    expect(created).toEqual({ ok: true, value: { email: fresh.email } });

    expect(await countUsers(testDb.db)).toBe(usersBefore + 1);
    expect(await traceOf(testDb.db, owner.email)).toEqual(ownerBefore);
    // The probe's handle was not taken by the refused attempt.
    expect(
      (await signUp(testDb.db, testPolicy, newAccountInput({ handle: probe.handle }), client)).ok,
    ).toBe(true);

    const notice = await inbox.nextMessageTo(owner.email);
    expect(notice.subject).toBe("Someone tried to sign up to Tributary with your email");
    expect(notice.text).toContain("you already have an account");
    expect(notice.text).toContain("https://tributary.test/signin");
    expect(notice.text).toContain("https://tributary.test/forgot-password");
    expect(notice.text).not.toContain(probe.password);
    expect(notice.text).not.toContain("token=");
    const verification = await inbox.nextMessageTo(fresh.email);
    expect(verification.subject).toBe("Confirm your email for Tributary");
    expect(linkIn(verification, "/verify-email").origin).toBe("https://tributary.test");
  });

  it("spends the same password hashing on a taken email as on a new one", async () => {
    const owner = newAccountInput();
    expect((await signUp(testDb.db, testPolicy, owner, client)).ok).toBe(true);
    const timeOf = async (input: ReturnType<typeof newAccountInput>) => {
      const started = performance.now();
      expect((await signUp(testDb.db, testPolicy, input, client)).ok).toBe(true);
      return performance.now() - started;
    };
    const takenTimes: number[] = [];
    const newTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      takenTimes.push(await timeOf(newAccountInput({ email: owner.email })));
      newTimes.push(await timeOf(newAccountInput()));
    }
    // Loose on purpose (a shared machine): an answer without hashing would take a tenth.
    expect(median(takenTimes)).toBeGreaterThan(median(newTimes) * 0.5);
    expect(median(takenTimes)).toBeLessThan(median(newTimes) * 2);
  });

  it("mails the owner of a taken email at most three times a day", async () => {
    const owner = newAccountInput();
    expect((await signUp(testDb.db, testPolicy, owner, client)).ok).toBe(true);
    for (let i = 0; i < 5; i++) {
      const result = await signUp(
        testDb.db,
        testPolicy,
        newAccountInput({ email: owner.email }),
        { ip: `192.0.2.${10 + i}`, userAgent: "vitest" },
        { mail },
      );
      expect(result).toEqual({ ok: true, value: { email: owner.email } });
    }
    // A later mail to someone else marks when the owner's would have arrived.
    const marker = newAccountInput();
    await signUp(testDb.db, testPolicy, marker, client, { mail });
    await inbox.nextMessageTo(marker.email);
    await sleep(200);
    expect(inbox.messagesTo(owner.email)).toHaveLength(3);
  });

  it("counts a taken email against the limits like a new one; a refused probe mails nobody", async () => {
    const limited: AuthPolicy = {
      ...testPolicy,
      signUpLimits: { perIpPerHour: 2, perNetworkPerHour: 100, perDevicePerDay: 100 },
    };
    const owner = newAccountInput();
    expect((await signUp(testDb.db, testPolicy, owner, client)).ok).toBe(true);
    const prober = { ip: "100.64.33.7", userAgent: "vitest" };
    const answers = [];
    for (const input of [
      newAccountInput({ email: owner.email }),
      newAccountInput(),
      newAccountInput({ email: owner.email }),
      newAccountInput(),
    ]) {
      answers.push(await signUp(testDb.db, limited, input, prober, { mail }));
    }
    expect(answers.map((answer) => answer.ok)).toEqual([true, true, false, false]);
    expect(answers[2]).toEqual(answers[3]);
    expect(!answers[2]!.ok && answers[2]!.error.kind).toBe("rate-limited");

    const marker = newAccountInput();
    await signUp(testDb.db, testPolicy, marker, client, { mail });
    await inbox.nextMessageTo(marker.email);
    await sleep(200);
    expect(inbox.messagesTo(owner.email)).toHaveLength(1);
  });

  it("refuses a taken handle with a field error, whether or not the email is taken, and writes nothing", async () => {
    const first = newAccountInput();
    expect((await signUp(testDb.db, testPolicy, first, client)).ok).toBe(true);
    const before = await countUsers(testDb.db);
    for (const email of [first.email.toUpperCase(), newAccountInput().email]) {
      const again = await signUp(
        testDb.db,
        testPolicy,
        newAccountInput({ handle: first.handle.toUpperCase(), email }),
        client,
        { mail },
      );
      expect(fieldErrorsOf(again)).toEqual({ handle: ["That handle is taken; try another."] });
    }
    expect(await countUsers(testDb.db)).toBe(before);
    await sleep(200);
    expect(inbox.messagesTo(first.email)).toEqual([]);
  });

  it.each([
    [
      "a malformed email",
      { email: "not-an-email" },
      "email",
      "Enter an email address like name@example.com.",
    ],
    [
      "an overlong email",
      { email: `${"a".repeat(250)}@example.com` },
      "email",
      "An email address has at most 254 characters.",
    ],
    ["a short password", { password: "short1" }, "password", "Use at least 10 characters."],
    [
      "a common password",
      { password: "password123" },
      "password",
      "This password is too common; choose another.",
    ],
    [
      "an overlong password",
      { password: "x".repeat(129) },
      "password",
      "Use at most 128 characters.",
    ],
    [
      "a handle with spaces",
      { handle: "two words" },
      "handle",
      "A handle uses only letters, digits and underscores.",
    ],
    ["a reserved handle", { handle: "admin" }, "handle", "That handle is reserved."],
    [
      "an overlong handle",
      { handle: "h".repeat(21) },
      "handle",
      "A handle has at most 20 characters.",
    ],
    [
      "an overlong display name",
      { displayName: "d".repeat(51) },
      "displayName",
      "A display name has at most 50 characters.",
    ],
    [
      "an invisible-character display name",
      { displayName: "eve\u200Bil" },
      "displayName",
      "A display name cannot contain control or invisible characters.",
    ],
  ])(
    "refuses %s with a clear message and writes nothing",
    async (_label, override, field, message) => {
      const before = await countUsers(testDb.db);
      const result = await signUp(testDb.db, testPolicy, newAccountInput(override), client);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(fieldErrorsOf(result)[field]).toContain(message);
      expect(await countUsers(testDb.db)).toBe(before);
    },
  );

  it("refuses a password that contains the handle", async () => {
    const input = newAccountInput();
    const result = await signUp(
      testDb.db,
      testPolicy,
      { ...input, password: `${input.handle}-secret!` },
      client,
    );
    expect(fieldErrorsOf(result).password).toEqual(["Do not use your handle in your password."]);
  });

  it("racing duplicate sign-ups create exactly one account and each gets an answer a lone retry could get", async () => {
    const input = newAccountInput();
    const before = await countUsers(testDb.db);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => signUp(testDb.db, testPolicy, input, client)),
    );
    // A racer that checks the handle after another has committed sees it taken, as a retry
    // after the first finished would: which racers do depends on timing, so both answers are
    // fair, but never an error, and never a second account.
    const started = { ok: true, value: { email: input.email } };
    const handleTaken = expect.objectContaining({
      ok: false,
      error: expect.objectContaining({
        kind: "validation",
        fieldErrors: { handle: ["That handle is taken; try another."] },
      }),
    });
    expect(results).toContainEqual(started);
    for (const result of results) expect([started, handleTaken]).toContainEqual(result);
    expect(await countUsers(testDb.db)).toBe(before + 1);
  });

  it("a racing sign-up that takes the handle first leaves the other a field error", async () => {
    const handle = newAccountInput().handle;
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        signUp(testDb.db, testPolicy, newAccountInput({ handle }), client),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    for (const result of results.filter((r) => !r.ok)) {
      expect(fieldErrorsOf(result)).toEqual({ handle: ["That handle is taken; try another."] });
    }
  });
});
