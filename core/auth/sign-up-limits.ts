import { disposableEmailBlocklistSet } from "disposable-email-domains-js";
import ipaddr from "ipaddr.js";
import type { SignUpLimits } from "#runtime/config.ts";
import type { Db } from "#db/create-db.ts";
import { countAttempt } from "./rate-limit.repository.ts";

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

// Read once: the package builds a new Set of ~9,000 domains on every call of its helpers.
const disposableDomains = disposableEmailBlocklistSet();

export const disposableEmailMessage =
  "Addresses from disposable email services can't be used. Use an address you will keep.";

/** Whether the address is at a disposable-mail domain (or a subdomain of one). */
export function isDisposableEmail(email: string): boolean {
  const labels = (email.split("@").pop() ?? "").trim().toLowerCase().split(".");
  for (let i = 0; i < labels.length - 1; i++) {
    if (disposableDomains.has(labels.slice(i).join("."))) return true;
  }
  return false;
}

/** The network an address belongs to for limits: its IPv4 /24 or IPv6 /64; null if unparsable. */
export function networkOf(ip: string): string | null {
  if (!ipaddr.isValid(ip)) return null;
  const address = ipaddr.process(ip);
  if (address.kind() === "ipv4") {
    const octets = (address as ipaddr.IPv4).octets;
    return `${octets.slice(0, 3).join(".")}.0/24`;
  }
  const parts = (address as ipaddr.IPv6).parts;
  return `${parts
    .slice(0, 4)
    .map((part) => part.toString(16))
    .join(":")}::/64`;
}

export type SignUpRefused = { kind: "rate-limited"; message: string; retryAfterSeconds: number };

/**
 * Counts this sign-up attempt against its address, network and browser, and refuses it past
 * any limit. Every attempt counts, whether its address was new or already had an account:
 * otherwise probing for registered addresses would be free. Call inside the sign-up's
 * transaction: a refusal rolls the counts back with it, so a refused sign-up writes nothing.
 */
export async function countSignUp(
  db: Db,
  limits: SignUpLimits,
  client: { ip: string | null; deviceId?: string | null },
  now: Date,
): Promise<SignUpRefused | null> {
  const checks: { key: string; limit: number; windowMs: number; message: string }[] = [];
  if (client.deviceId) {
    checks.push({
      key: `sign-up:device:${client.deviceId}`,
      limit: limits.perDevicePerDay,
      windowMs: DAY_MS,
      message: `This browser has already signed up ${limits.perDevicePerDay} times today. One person needs one account; try again tomorrow if you must.`,
    });
  }
  if (client.ip) {
    checks.push({
      key: `sign-up:ip:${client.ip}`,
      limit: limits.perIpPerHour,
      windowMs: HOUR_MS,
      message: `Too many sign-ups from your address in the last hour. Try again later.`,
    });
    const network = networkOf(client.ip);
    if (network) {
      checks.push({
        key: `sign-up:network:${network}`,
        limit: limits.perNetworkPerHour,
        windowMs: HOUR_MS,
        message: `Too many sign-ups from your network in the last hour. Try again later.`,
      });
    }
  }
  for (const check of checks) {
    const counted = await countAttempt(db, check.key, check.windowMs, now);
    if (counted.attempts > check.limit) {
      return {
        kind: "rate-limited",
        message: check.message,
        retryAfterSeconds: Math.max(
          1,
          Math.ceil((counted.windowEndsAt.getTime() - now.getTime()) / 1000),
        ),
      };
    }
  }
  return null;
}
