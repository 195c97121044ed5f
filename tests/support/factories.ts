import { randomBytes } from "node:crypto";
import { signUp, type AuthPolicy, type SignedIn } from "#core/auth/account.service.ts";
import { createSession } from "#core/auth/session.service.ts";
import { findUserByEmail } from "#core/auth/user.repository.ts";
import { toUser } from "#core/auth/user.ts";
import type { UserId } from "#core/auth/ids.ts";
import { RewardEngine } from "#core/rewards/reward-engine.ts";
import type { Db } from "#db/create-db.ts";

export const testPolicy: AuthPolicy = {
  session: { inactivityMs: 30 * 24 * 60 * 60 * 1000 },
  signInLimits: { perAccount: 5, perIp: 30, windowMs: 15 * 60 * 1000 },
  // Factories make many accounts from one address; the suites about limits set their own.
  signUpLimits: {
    perIpPerHour: 1_000_000,
    perNetworkPerHour: 1_000_000,
    perDevicePerDay: 1_000_000,
  },
};

export const TEST_PASSWORD = "correct horse battery staple";

/** Input for a brand-new account; every call gives a different handle and email. */
export function newAccountInput(
  overrides: Partial<Record<"handle" | "email" | "displayName" | "password", string>> = {},
) {
  const suffix = randomBytes(4).toString("hex");
  return {
    handle: `user_${suffix}`,
    email: `user_${suffix}@example.com`,
    displayName: `Test User ${suffix}`,
    password: TEST_PASSWORD,
    ...overrides,
  };
}

/**
 * Signs a new person up and opens a session for them, as signing in afterwards would (sign-up
 * itself opens none); the session is made directly to spare a second password hash.
 */
export async function createUser(
  db: Db,
  overrides: Parameters<typeof newAccountInput>[0] = {},
): Promise<SignedIn & { password: string }> {
  const input = newAccountInput(overrides);
  const client = { ip: "203.0.113.1", userAgent: "factory" };
  const started = await signUp(db, testPolicy, input, client);
  if (!started.ok) throw new Error(`factory sign-up failed: ${started.error.message}`);
  const row = await findUserByEmail(db, started.value.email);
  // A taken email answers like a new one: never hand back someone else's account.
  if (!row || row.handle !== input.handle.replace(/^@/, "").toLowerCase()) {
    throw new Error(`factory sign-up: ${input.email} already had an account`);
  }
  const user = toUser(row);
  const session = await createSession(db, testPolicy.session, user.id, client);
  return { user, ...session, password: input.password };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Earns a person trust level 1 (which unlocks posting links) the way anyone earns it: an
 * account older than a day, and ten rewarded actions over the two days before today (a
 * check-in and four comments each day, paid by the engine on a clock set to those days).
 */
export async function earnTrustLevel1(db: Db, userId: UserId, now = new Date()): Promise<void> {
  const since = new Date(now.getTime() - 3 * DAY_MS);
  await db
    .updateTable("users")
    .set({ created_at: since })
    .where("id", "=", userId)
    .where("created_at", ">", since)
    .execute();
  for (const daysAgo of [2, 1]) {
    const at = new Date(now.getTime() - daysAgo * DAY_MS);
    const rewards = new RewardEngine(db, { now: () => at });
    const day = at.toISOString().slice(0, 10);
    const paid = [
      await rewards.reward({
        actionKind: "checkin.daily",
        userId,
        causeId: `trust:${userId}:${day}`,
        memo: "Check-in (test: earning trust)",
      }),
    ];
    for (let i = 0; i < 4; i++) {
      paid.push(
        await rewards.reward({
          actionKind: "comment.created",
          userId,
          causeId: `trust:${userId}:${day}:${i}`,
          targetKey: `trust:${i}`,
          memo: "Comment (test: earning trust)",
        }),
      );
    }
    for (const result of paid) {
      if (!result.ok) throw new Error(`earnTrustLevel1: ${result.error.message}`);
      if (result.value.status === "refused") {
        throw new Error(`earnTrustLevel1: refused (${result.value.reason?.message})`);
      }
    }
  }
}
