import { randomBytes } from "node:crypto";
import { signUp, type AuthPolicy, type SignedIn } from "#core/auth/account.service.ts";
import type { Db } from "#db/create-db.ts";

export const testPolicy: AuthPolicy = {
  session: { inactivityMs: 30 * 24 * 60 * 60 * 1000 },
  signInLimits: { perAccount: 5, perIp: 30, windowMs: 15 * 60 * 1000 },
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

export async function createUser(
  db: Db,
  overrides: Parameters<typeof newAccountInput>[0] = {},
): Promise<SignedIn & { password: string }> {
  const input = newAccountInput(overrides);
  const result = await signUp(db, testPolicy, input, { ip: "203.0.113.1", userAgent: "factory" });
  if (!result.ok) throw new Error(`factory sign-up failed: ${result.error.message}`);
  return { ...result.value, password: input.password };
}
