import { networkOf } from "./sign-up-limits.ts";

/**
 * The address a per-address limit counts: an IPv4 address as it is, an IPv6 address as its
 * /64. One IPv6 host is usually handed a whole /64, so counting single addresses would let it
 * rotate through 2^64 of them and never reach a limit.
 */
export function addressForLimits(ip: string): string {
  return ip.includes(":") ? (networkOf(ip) ?? ip) : ip;
}
