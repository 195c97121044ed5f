import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, signUp } from "#core/auth/account.service.ts";
import type { AccountMail } from "#core/auth/account-mail.ts";
import {
  resendVerificationEmail,
  signInWithVerifiedEmail,
  verifyEmail,
} from "#core/auth/email-verification.service.ts";
import type { UserId } from "#core/auth/ids.ts";
import {
  requestPasswordReset,
  resetPassword,
  resetRequestedMessage,
} from "#core/auth/password-reset.service.ts";
import { validateSessionToken } from "#core/auth/session.service.ts";
import { findUserByEmail } from "#core/auth/user.repository.ts";
import { toUser } from "#core/auth/user.ts";
import type { Db } from "#db/create-db.ts";
import { createUser, newAccountInput, testPolicy } from "#tests/support/factories.ts";
import {
  linkIn,
  accountMailInto,
  startSmtpInbox,
  type SmtpInbox,
} from "#tests/support/smtp-inbox.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";

const client = { ip: "198.51.100.20", userAgent: "vitest" };
const MINUTE = 60_000;

async function snapshot(db: Db, userId: string) {
  const user = await db
    .selectFrom("users")
    .select(["email_verified_at", "password_hash", "updated_at"])
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
  const tokens = await db
    .selectFrom("email_tokens")
    .select(["id", "used_at", "expires_at"])
    .where("user_id", "=", userId)
    .orderBy("id")
    .execute();
  const sessions = await db
    .selectFrom("sessions")
    .select("id")
    .where("user_id", "=", userId)
    .execute();
  return { user, tokens, sessions: sessions.length };
}

describe.each(testBackends())("email links on %s", (backend) => {
  let testDb: TestDb;
  let inbox: SmtpInbox;
  let mail: AccountMail;
  beforeAll(async () => {
    testDb = await openTestDb(backend);
    inbox = await startSmtpInbox();
    mail = accountMailInto(inbox);
  });
  afterAll(async () => {
    await inbox.close();
    await testDb.close();
  });

  async function signUpWithMail() {
    const input = newAccountInput();
    const result = await signUp(testDb.db, testPolicy, input, client, { mail });
    if (!result.ok) throw new Error(result.error.message);
    const message = await inbox.nextMessageTo(input.email);
    const row = await findUserByEmail(testDb.db, input.email);
    if (!row) throw new Error(`sign-up created no account for ${input.email}`);
    return { user: toUser(row), input, message };
  }

  describe("email verification", () => {
    it("mails a link on sign-up that verifies the address once", async () => {
      const { user, message } = await signUpWithMail();
      expect(user.emailVerifiedAt).toBeNull();
      expect(message.subject).toBe("Confirm your email for Tributary");
      expect(message.from).toContain("no-reply@test");
      const link = linkIn(message, "/verify-email");
      expect(link.origin).toBe("https://tributary.test");

      const verified = await verifyEmail(testDb.db, link.searchParams.get("token")!);
      expect(verified.ok && verified.value.emailVerifiedAt).toBeInstanceOf(Date);

      const before = await snapshot(testDb.db, user.id);
      const again = await verifyEmail(testDb.db, link.searchParams.get("token")!);
      expect(again).toEqual({
        ok: false,
        error: {
          kind: "invalid-link",
          reason: "used",
          message: "This verification link has already been used.",
        },
      });
      expect(await snapshot(testDb.db, user.id)).toEqual(before);
    });

    it("a spent link signs a signed-out browser in to its account, never a signed-in one", async () => {
      const { user, message } = await signUpWithMail();
      expect((await snapshot(testDb.db, user.id)).sessions).toBe(0);
      const token = linkIn(message, "/verify-email").searchParams.get("token")!;
      const verified = await verifyEmail(testDb.db, token);
      if (!verified.ok) throw new Error(verified.error.message);

      const signedInElsewhere = await signInWithVerifiedEmail(
        testDb.db,
        testPolicy.session,
        verified.value,
        {
          ...client,
          isSignedIn: true,
        },
      );
      expect(signedInElsewhere).toBeNull();
      expect((await snapshot(testDb.db, user.id)).sessions).toBe(0);

      const opened = await signInWithVerifiedEmail(testDb.db, testPolicy.session, verified.value, {
        ...client,
        isSignedIn: false,
      });
      expect(opened).not.toBeNull();
      const validated = await validateSessionToken(testDb.db, testPolicy.session, opened!.token);
      expect(validated?.user.id).toBe(user.id);

      // An account whose address the link did not verify is not signed in.
      const unverified = await signInWithVerifiedEmail(
        testDb.db,
        testPolicy.session,
        { id: user.id, emailVerifiedAt: null },
        { ...client, isSignedIn: false },
      );
      expect(unverified).toBeNull();
    });

    it("refuses an expired link and a forged one, and writes nothing", async () => {
      const { user, message } = await signUpWithMail();
      const token = linkIn(message, "/verify-email").searchParams.get("token")!;
      const before = await snapshot(testDb.db, user.id);

      const late = new Date(Date.now() + 49 * 60 * MINUTE);
      const expired = await verifyEmail(testDb.db, token, late);
      expect(!expired.ok && expired.error).toMatchObject({
        reason: "expired",
        message: "This verification link has expired. Ask for a new one from your settings.",
      });
      const forgedToken = `${token.slice(0, -1)}${token.endsWith("a") ? "b" : "a"}`;
      for (const forged of [forgedToken, "x".repeat(36), "", "../../etc/passwd"]) {
        const result = await verifyEmail(testDb.db, forged);
        expect(!result.ok && result.error).toMatchObject({
          reason: "unknown",
          message: "This verification link is not valid. Ask for a new one from your settings.",
        });
      }
      expect(await snapshot(testDb.db, user.id)).toEqual(before);
    });

    it("resends a fresh link to an unverified address, and says so when already verified", async () => {
      const { user, input, message } = await signUpWithMail();
      const resent = await resendVerificationEmail(testDb.db, mail, user.id);
      expect(resent).toEqual({ ok: true, value: { sentTo: input.email } });
      const second = await inbox.nextMessageTo(input.email);
      const secondToken = linkIn(second, "/verify-email").searchParams.get("token")!;
      expect(secondToken).not.toBe(linkIn(message, "/verify-email").searchParams.get("token"));
      expect((await verifyEmail(testDb.db, secondToken)).ok).toBe(true);
      const after = await resendVerificationEmail(testDb.db, mail, user.id);
      expect(!after.ok && after.error.kind).toBe("already-verified");
    });
  });

  describe("password reset", () => {
    async function resetLinkFor(email: string, now?: Date) {
      const asked = await requestPasswordReset(testDb.db, mail, { email }, now);
      expect(asked).toEqual({ ok: true, value: { message: resetRequestedMessage } });
      const message = await inbox.nextMessageTo(email);
      expect(message.subject).toBe("Reset your Tributary password");
      return linkIn(message, "/reset-password").searchParams.get("token")!;
    }

    it("sets the new password and signs out every session; the link works once", async () => {
      const owner = await createUser(testDb.db);
      const other = await signIn(
        testDb.db,
        testPolicy,
        { email: owner.user.email, password: owner.password },
        { ip: "198.51.100.21", userAgent: "another device" },
      );
      expect(other.ok).toBe(true);
      const token = await resetLinkFor(owner.user.email);
      const newPassword = "a brand new passphrase";

      const reset = await resetPassword(testDb.db, { token, newPassword });
      expect(reset.ok && reset.value.signedOutSessions).toBe(2);
      expect(await validateSessionToken(testDb.db, testPolicy.session, owner.token)).toBeNull();
      const oldPassword = await signIn(
        testDb.db,
        testPolicy,
        { email: owner.user.email, password: owner.password },
        client,
      );
      expect(!oldPassword.ok && oldPassword.error.kind).toBe("invalid-credentials");
      const withNew = await signIn(
        testDb.db,
        testPolicy,
        { email: owner.user.email, password: newPassword },
        client,
      );
      expect(withNew.ok).toBe(true);

      const before = await snapshot(testDb.db, owner.user.id);
      const reused = await resetPassword(testDb.db, {
        token,
        newPassword: "yet another passphrase",
      });
      expect(!reused.ok && reused.error).toMatchObject({ kind: "invalid-link", reason: "used" });
      expect(await snapshot(testDb.db, owner.user.id)).toEqual(before);
    });

    it("a reset link lasts 30 minutes", async () => {
      const owner = await createUser(testDb.db);
      const issuedAt = new Date();
      const token = await resetLinkFor(owner.user.email, issuedAt);
      const before = await snapshot(testDb.db, owner.user.id);
      const late = await resetPassword(
        testDb.db,
        { token, newPassword: "a brand new passphrase" },
        new Date(issuedAt.getTime() + 30 * MINUTE),
      );
      expect(!late.ok && late.error).toMatchObject({
        kind: "invalid-link",
        reason: "expired",
        message: "This reset link has expired. Ask for a new one.",
      });
      expect(await snapshot(testDb.db, owner.user.id)).toEqual(before);
      const inTime = await resetPassword(
        testDb.db,
        { token, newPassword: "a brand new passphrase" },
        new Date(issuedAt.getTime() + 29 * MINUTE),
      );
      expect(inTime.ok).toBe(true);
    });

    it("stores only a hash of the token", async () => {
      const owner = await createUser(testDb.db);
      const token = await resetLinkFor(owner.user.email);
      const rows = await testDb.db
        .selectFrom("email_tokens")
        .select("token_hash")
        .where("user_id", "=", owner.user.id)
        .where("purpose", "=", "reset-password")
        .execute();
      expect(rows).toHaveLength(1);
      const stored = Buffer.from(rows[0]!.token_hash);
      expect(stored).toHaveLength(32);
      expect(stored.toString("latin1")).not.toContain(token);
    });

    it("keeps the link usable when the new password is refused, and changes nothing", async () => {
      const owner = await createUser(testDb.db);
      const token = await resetLinkFor(owner.user.email);
      const before = await snapshot(testDb.db, owner.user.id);
      const weak = await resetPassword(testDb.db, { token, newPassword: "password123" });
      expect(weak).toMatchObject({
        ok: false,
        error: {
          kind: "validation",
          fieldErrors: { newPassword: ["This password is too common; choose another."] },
        },
      });
      expect(await snapshot(testDb.db, owner.user.id)).toEqual(before);
      expect(
        (await resetPassword(testDb.db, { token, newPassword: "a good long passphrase" })).ok,
      ).toBe(true);
    });

    it("answers an unknown address exactly as a known one, and mails nobody", async () => {
      const owner = await createUser(testDb.db);
      const known = await requestPasswordReset(testDb.db, mail, { email: owner.user.email });
      const unknown = await requestPasswordReset(testDb.db, mail, {
        email: "nobody-here@example.com",
      });
      expect(unknown).toEqual(known);
      await inbox.nextMessageTo(owner.user.email);
      const tokens = await testDb.db
        .selectFrom("email_tokens")
        .select("id")
        .where("email", "=", "nobody-here@example.com")
        .execute();
      expect(tokens).toEqual([]);
      expect(inbox.messagesTo("nobody-here@example.com")).toEqual([]);
    });

    it("only the newest reset link works", async () => {
      const owner = await createUser(testDb.db);
      const first = await resetLinkFor(owner.user.email);
      const second = await resetLinkFor(owner.user.email);
      const old = await resetPassword(testDb.db, {
        token: first,
        newPassword: "a brand new passphrase",
      });
      expect(!old.ok && old.error).toMatchObject({ reason: "expired" });
      expect(
        (await resetPassword(testDb.db, { token: second, newPassword: "a brand new passphrase" }))
          .ok,
      ).toBe(true);
    });

    it("following a reset link also proves the address", async () => {
      const { user, input } = await signUpWithMail();
      const token = await resetLinkFor(input.email);
      const reset = await resetPassword(testDb.db, {
        token,
        newPassword: "a brand new passphrase",
      });
      expect(reset.ok && reset.value.user.emailVerifiedAt).toBeInstanceOf(Date);
      expect((await snapshot(testDb.db, user.id as UserId)).user.email_verified_at).toBeInstanceOf(
        Date,
      );
    });
  });
});
