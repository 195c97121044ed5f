import { parse, serialize } from "cookie";

/**
 * A long-lived random id for a browser, set by the web door: a per-device signal for
 * sign-up limits. It identifies nothing but "the same browser as before"; clearing it
 * only falls back to the address and network limits.
 */
export const DEVICE_COOKIE_NAME = "tributary_device";
const DEVICE_ID_LENGTH = 24;
const alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
const deviceIdPattern = new RegExp(`^[${alphabet}]{${DEVICE_ID_LENGTH}}$`);
const TWO_YEARS_SECONDS = 2 * 365 * 24 * 60 * 60;

/** The device id from a Cookie header, or null when absent or not one we made. */
export function readDeviceId(cookieHeader: string | null | undefined): string | null {
  if (!cookieHeader) return null;
  const value = parse(cookieHeader)[DEVICE_COOKIE_NAME];
  return value && deviceIdPattern.test(value) ? value : null;
}

export function newDeviceId(): string {
  const bytes = new Uint8Array(DEVICE_ID_LENGTH);
  crypto.getRandomValues(bytes);
  let out = "";
  for (const byte of bytes) out += alphabet[byte >> 3];
  return out;
}

export function deviceCookie(deviceId: string, isSecure: boolean): string {
  return serialize(DEVICE_COOKIE_NAME, deviceId, {
    httpOnly: true,
    secure: isSecure,
    sameSite: "lax",
    path: "/",
    maxAge: TWO_YEARS_SECONDS,
  });
}
