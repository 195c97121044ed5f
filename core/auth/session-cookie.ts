import { parse, serialize } from "cookie";
import type { NewSession } from "./session.service.ts";

export const SESSION_COOKIE_NAME = "tributary_session";

/** The raw session token from a Cookie header, if any; validation happens elsewhere. */
export function readSessionToken(cookieHeader: string | null | undefined): string | null {
  if (!cookieHeader) return null;
  const value = parse(cookieHeader)[SESSION_COOKIE_NAME];
  return value ? value : null;
}

export function sessionCookie(
  { token, session }: Pick<NewSession, "token"> & { session: { expiresAt: Date } },
  isSecure: boolean,
): string {
  return serialize(SESSION_COOKIE_NAME, token, {
    httpOnly: true,
    secure: isSecure,
    sameSite: "lax",
    path: "/",
    expires: session.expiresAt,
  });
}

export function clearedSessionCookie(isSecure: boolean): string {
  return serialize(SESSION_COOKIE_NAME, "", {
    httpOnly: true,
    secure: isSecure,
    sameSite: "lax",
    path: "/",
    maxAge: 0,
  });
}
