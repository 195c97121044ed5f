import type { UserId } from "#core/auth/ids.ts";
import { countActiveDays, readUserTotals } from "#core/gamification/activity.repository.ts";
import { addDays, DAY_MS, utcDay } from "#core/gamification/calendar.ts";
import type { Db } from "#db/create-db.ts";
import { readAccountCreatedAt, readLastHiddenAt, recordTrustLevel } from "./trust.repository.ts";

/**
 * Trust levels, after Discourse's: 0 new → 1 basic → 2 member → 3 regular. Each is
 * earned by time on the platform, days active, verified activity (rewarded actions: the
 * engine only pays for actions it checked, and games only for replayed runs) and good
 * standing — none of one's posts, comments or profile hidden by a moderator within the
 * level's window. A confirmed report ("hide") therefore takes trust away until the
 * window has passed; a level is computed afresh each time, never granted for good.
 * Level 1 unlocks links in posts and comments (a new account's links are spam's
 * favourite vehicle); each level raises the daily cap on rewarded posts.
 */
export type TrustLevel = 0 | 1 | 2 | 3;

/** The trust level it takes to post links. */
export const LINK_TRUST_LEVEL: TrustLevel = 1;

export const trustLevelNames: Record<TrustLevel, string> = {
  0: "new",
  1: "basic",
  2: "member",
  3: "regular",
};

type TrustRule = {
  level: Exclude<TrustLevel, 0>;
  accountAgeDays: number;
  activeDays: number;
  /** Null: days active ever; a number: within that many days. */
  activeDaysWindow: number | null;
  actions: number;
  /** No content hidden by moderation within this many days. */
  cleanDays: number;
  /** Extra rewarded posts a day at this level. */
  postCapBonus: number;
};

export const trustRules: readonly TrustRule[] = [
  {
    level: 1,
    accountAgeDays: 1,
    activeDays: 2,
    activeDaysWindow: null,
    actions: 10,
    cleanDays: 30,
    postCapBonus: 2,
  },
  {
    level: 2,
    accountAgeDays: 14,
    activeDays: 7,
    activeDaysWindow: null,
    actions: 100,
    cleanDays: 60,
    postCapBonus: 4,
  },
  {
    level: 3,
    accountAgeDays: 60,
    activeDays: 30,
    activeDaysWindow: 100,
    actions: 500,
    cleanDays: 100,
    postCapBonus: 6,
  },
];

export function trustPostCapBonus(level: number): number {
  return trustRules.filter((r) => r.level <= level).at(-1)?.postCapBonus ?? 0;
}

export type TrustRequirement = {
  id: "account_age" | "active_days" | "actions" | "good_standing";
  description: string;
  current: number;
  required: number;
  isMet: boolean;
};

export type TrustStatus = {
  level: TrustLevel;
  name: string;
  /** The next level and what it takes; null at the top. */
  next: { level: TrustLevel; name: string; requirements: TrustRequirement[] } | null;
  /** When moderation last hid something of theirs, if it still counts against them. */
  lastHiddenAt: Date | null;
  postCapBonus: number;
  canPostLinks: boolean;
};

export type TrustFacts = {
  accountAgeDays: number;
  activeDaysEver: number;
  activeDaysRecent: number;
  actions: number;
  lastHiddenAt: Date | null;
};

function requirementsFor(rule: TrustRule, facts: TrustFacts, now: Date): TrustRequirement[] {
  const active = rule.activeDaysWindow === null ? facts.activeDaysEver : facts.activeDaysRecent;
  const daysSinceHidden =
    facts.lastHiddenAt === null
      ? Infinity
      : Math.floor((now.getTime() - facts.lastHiddenAt.getTime()) / DAY_MS);
  return [
    {
      id: "account_age",
      description: `Member for ${rule.accountAgeDays} day${rule.accountAgeDays === 1 ? "" : "s"}`,
      current: facts.accountAgeDays,
      required: rule.accountAgeDays,
      isMet: facts.accountAgeDays >= rule.accountAgeDays,
    },
    {
      id: "active_days",
      description:
        rule.activeDaysWindow === null
          ? `Active on ${rule.activeDays} days`
          : `Active on ${rule.activeDays} of the last ${rule.activeDaysWindow} days`,
      current: active,
      required: rule.activeDays,
      isMet: active >= rule.activeDays,
    },
    {
      id: "actions",
      description: `${rule.actions} rewarded actions`,
      current: facts.actions,
      required: rule.actions,
      isMet: facts.actions >= rule.actions,
    },
    {
      id: "good_standing",
      description: `Nothing of yours hidden by moderators in the last ${rule.cleanDays} days`,
      current: Number.isFinite(daysSinceHidden) ? daysSinceHidden : rule.cleanDays,
      required: rule.cleanDays,
      isMet: daysSinceHidden >= rule.cleanDays,
    },
  ];
}

/** The level the facts earn, and what the next one takes. */
export function trustStatusFrom(facts: TrustFacts, now: Date): TrustStatus {
  let level: TrustLevel = 0;
  for (const rule of trustRules) {
    if (!requirementsFor(rule, facts, now).every((r) => r.isMet)) break;
    level = rule.level;
  }
  const nextRule = trustRules.find((r) => r.level === level + 1);
  const longestWindow = Math.max(...trustRules.map((r) => r.cleanDays));
  const countsAgainst =
    facts.lastHiddenAt !== null &&
    now.getTime() - facts.lastHiddenAt.getTime() < longestWindow * DAY_MS;
  return {
    level,
    name: trustLevelNames[level],
    next: nextRule
      ? {
          level: nextRule.level,
          name: trustLevelNames[nextRule.level],
          requirements: requirementsFor(nextRule, facts, now),
        }
      : null,
    lastHiddenAt: countsAgainst ? facts.lastHiddenAt : null,
    postCapBonus: trustPostCapBonus(level),
    canPostLinks: level >= LINK_TRUST_LEVEL,
  };
}

export async function readTrustFacts(db: Db, userId: UserId, now: Date): Promise<TrustFacts> {
  const longestWindow = Math.max(...trustRules.map((r) => r.cleanDays));
  const recentWindow = Math.max(...trustRules.map((r) => r.activeDaysWindow ?? 0));
  const [accountCreatedAt, totals, activeDaysEver, activeDaysRecent, hiddenAt] = await Promise.all([
    readAccountCreatedAt(db, userId),
    readUserTotals(db, userId),
    countActiveDays(db, userId),
    countActiveDays(db, userId, addDays(utcDay(now), -(recentWindow - 1))),
    readLastHiddenAt(db, userId, new Date(now.getTime() - longestWindow * DAY_MS)),
  ]);
  const createdAt = accountCreatedAt ?? now;
  return {
    accountAgeDays: Math.max(0, Math.floor((now.getTime() - createdAt.getTime()) / DAY_MS)),
    activeDaysEver,
    activeDaysRecent,
    actions: totals.actions,
    lastHiddenAt: hiddenAt,
  };
}

/** Evaluates someone's trust level now and records it (the post cap reads the record). */
export async function evaluateTrust(db: Db, userId: UserId, now: Date): Promise<TrustStatus> {
  const status = trustStatusFrom(await readTrustFacts(db, userId, now), now);
  await recordTrustLevel(db, userId, status.level, now);
  return status;
}
