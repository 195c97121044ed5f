import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "#core/auth/account.service.ts";
import type { FieldErrors } from "#core/result.ts";
import type { Db } from "#db/create-db.ts";
import { newAccountInput, testPolicy } from "#tests/support/factories.ts";
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

describe.each(testBackends())("sign-up on %s", (backend) => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await openTestDb(backend, { poolSize: 20 });
  });
  afterAll(() => testDb.close());

  it("creates the account with a normalised handle and email and opens a session", async () => {
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
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.user.handle).toBe(input.handle);
    expect(result.value.user.email).toBe(input.email);
    expect(result.value.token).toMatch(/^[a-z2-9]{24}\.[a-z2-9]{24}$/);
    const stored = await testDb.db
      .selectFrom("users")
      .select("password_hash")
      .where("id", "=", result.value.user.id)
      .executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);
    expect(stored.password_hash).not.toContain(input.password);
  });

  it("defaults the display name to the handle", async () => {
    const { displayName: _omitted, ...input } = newAccountInput();
    const result = await signUp(testDb.db, testPolicy, input, client);
    expect(result.ok && result.value.user.displayName).toBe(input.handle);
  });

  it("refuses a taken email and a taken handle with field errors and writes nothing", async () => {
    const first = newAccountInput();
    expect((await signUp(testDb.db, testPolicy, first, client)).ok).toBe(true);
    const before = await countUsers(testDb.db);
    const again = await signUp(
      testDb.db,
      testPolicy,
      newAccountInput({ handle: first.handle.toUpperCase(), email: first.email.toUpperCase() }),
      client,
    );
    expect(again.ok).toBe(false);
    if (again.ok) return;
    expect(fieldErrorsOf(again).email).toEqual([
      "An account with this email already exists. Sign in instead?",
    ]);
    expect(fieldErrorsOf(again).handle).toEqual(["That handle is taken; try another."]);
    expect(await countUsers(testDb.db)).toBe(before);
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

  it("racing duplicate sign-ups create exactly one account; the others get a clear error", async () => {
    const input = newAccountInput();
    const before = await countUsers(testDb.db);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => signUp(testDb.db, testPolicy, input, client)),
    );
    const winners = results.filter((result) => result.ok);
    const losers = results.filter((result) => !result.ok);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(7);
    for (const loser of losers) {
      if (loser.ok) continue;
      const messages = Object.values(fieldErrorsOf(loser)).flat();
      expect(messages.some((m) => /already exists|is taken/.test(m))).toBe(true);
    }
    expect(await countUsers(testDb.db)).toBe(before + 1);
  });
});
