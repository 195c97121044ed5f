import { describe, expect, it } from "vitest";
import {
  LINK_TRUST_LEVEL,
  trustPostCapBonus,
  trustStatusFrom,
  type TrustFacts,
} from "#core/trust/trust-levels.ts";

const DAY_MS = 86_400_000;
const now = new Date("2031-06-15T12:00:00Z");

const facts = (overrides: Partial<TrustFacts> = {}): TrustFacts => ({
  accountAgeDays: 0,
  activeDaysEver: 0,
  activeDaysRecent: 0,
  actions: 0,
  lastHiddenAt: null,
  ...overrides,
});

const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);

describe("trust levels", () => {
  it("a new account is level 0, may not post links, and sees every requirement of level 1 unmet", () => {
    const status = trustStatusFrom(facts(), now);
    expect(status.level).toBe(0);
    expect(status.name).toBe("new");
    expect(status.canPostLinks).toBe(false);
    expect(status.postCapBonus).toBe(0);
    expect(status.next?.level).toBe(1);
    expect(status.next?.requirements.map((r) => [r.id, r.isMet])).toEqual([
      ["account_age", false],
      ["active_days", false],
      ["actions", false],
      // Nothing was ever hidden, so good standing is met from the start.
      ["good_standing", true],
    ]);
  });

  it("levels are earned in order: meeting level 2's rules earns it, while level 3's unmet rules are what is left", () => {
    const status = trustStatusFrom(
      facts({ accountAgeDays: 20, activeDaysEver: 10, activeDaysRecent: 10, actions: 150 }),
      now,
    );
    expect(status.level).toBe(2);
    expect(status.name).toBe("member");
    expect(status.canPostLinks).toBe(true);
    expect(status.postCapBonus).toBe(trustPostCapBonus(2));
    expect(status.next?.requirements.filter((r) => !r.isMet).map((r) => r.id)).toEqual([
      "account_age",
      "active_days",
      "actions",
    ]);
  });

  it("content hidden by a moderator holds a person below every level whose clean window it falls in", () => {
    const veteran = {
      accountAgeDays: 400,
      activeDaysEver: 200,
      activeDaysRecent: 80,
      actions: 900,
    };
    expect(trustStatusFrom(facts(veteran), now).level).toBe(3);
    expect(trustStatusFrom(facts({ ...veteran, lastHiddenAt: daysAgo(70) }), now).level).toBe(2);
    expect(trustStatusFrom(facts({ ...veteran, lastHiddenAt: daysAgo(40) }), now).level).toBe(1);
    const recent = trustStatusFrom(facts({ ...veteran, lastHiddenAt: daysAgo(5) }), now);
    expect(recent.level).toBe(0);
    expect(recent.canPostLinks).toBe(false);
    expect(recent.lastHiddenAt).toEqual(daysAgo(5));
  });

  it("a hiding older than the longest clean window no longer counts against anyone", () => {
    const status = trustStatusFrom(
      facts({
        accountAgeDays: 400,
        activeDaysEver: 200,
        activeDaysRecent: 80,
        actions: 900,
        lastHiddenAt: daysAgo(150),
      }),
      now,
    );
    expect(status.level).toBe(3);
    expect(status.next).toBeNull();
    expect(status.lastHiddenAt).toBeNull();
  });

  it("links unlock at level 1, and each level raises the post cap bonus", () => {
    expect(LINK_TRUST_LEVEL).toBe(1);
    const bonuses = [0, 1, 2, 3].map(trustPostCapBonus);
    expect(bonuses[0]).toBe(0);
    expect(bonuses[1]).toBeGreaterThan(bonuses[0]!);
    expect(bonuses[2]).toBeGreaterThan(bonuses[1]!);
    expect(bonuses[3]).toBeGreaterThan(bonuses[2]!);
  });
});
