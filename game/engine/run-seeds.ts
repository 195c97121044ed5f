import { hmac } from "@oslojs/crypto/hmac";
import { SHA256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import type { GameRules } from "./game-rules.ts";

/**
 * A run's seeds. The server keeps one secret seed per run; a segmented game's segment
 * seeds are derived from it with HMAC-SHA-256, so knowing some segments' seeds tells
 * nothing about the others, and the server can replay the whole run from the one it kept.
 * Pure JS (no Node built-ins): the bots, tests and benchmarks derive them the same way.
 */
export function segmentSeed(rules: GameRules<unknown>, runSeed: string, segment: number): string {
  if (!rules.segmentTicks) return runSeed;
  const encoder = new TextEncoder();
  const mac = hmac(SHA256, encoder.encode(runSeed), encoder.encode(`${rules.id}:${segment}`));
  return encodeHexLowerCase(mac.subarray(0, 16));
}

/** How many segments a run of these rules has (1 when not segmented). */
export function segmentCount(rules: GameRules<unknown>): number {
  return rules.segmentTicks ? Math.ceil(rules.maxTicks / rules.segmentTicks) : 1;
}

/** Every segment's seed, from the run's own seed: what the server replays with. */
export function allSegmentSeeds(rules: GameRules<unknown>, runSeed: string): string[] {
  return Array.from({ length: segmentCount(rules) }, (_, k) => segmentSeed(rules, runSeed, k));
}

/** The segment tick `tick` belongs to. */
export function segmentOf(rules: GameRules<unknown>, tick: number): number {
  return rules.segmentTicks ? Math.floor(tick / rules.segmentTicks) : 0;
}
