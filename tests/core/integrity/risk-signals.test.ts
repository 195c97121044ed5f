import { describe, expect, it } from "vitest";
import {
  type AccountStanding,
  BURST_REWARDS,
  GAME_PACING_REJECTIONS,
  isRing,
  isSignalStillFiring,
  riskSignalsFor,
  UNACTIVATED_ALLOWANCE,
} from "#core/integrity/risk-signals.ts";

const ACTIVATED: AccountStanding = {
  activatedAt: new Date("2026-11-01T00:00:00Z"),
  unactivatedEarned: 0n,
  recentRewards: 0,
  gameRejections: 0,
  ringMembers: null,
};
const NEWCOMER: AccountStanding = { ...ACTIVATED, activatedAt: null };
const codes = (input: Parameters<typeof riskSignalsFor>[0]) =>
  riskSignalsFor(input).map((s) => s.code);

describe("risk signals", () => {
  it("an activated account's ordinary reward raises nothing", () => {
    expect(
      codes({ actionKind: "post.created", amount: 10n ** 16n, earner: ACTIVATED, engager: null }),
    ).toEqual([]);
  });

  it("a non-activated account earns up to its allowance, then is held with words saying how to activate", () => {
    const within = {
      actionKind: "checkin.daily",
      amount: UNACTIVATED_ALLOWANCE,
      earner: NEWCOMER,
      engager: null,
    };
    expect(codes(within)).toEqual([]);
    const past = riskSignalsFor({ ...within, earner: { ...NEWCOMER, unactivatedEarned: 1n } });
    expect(past).toEqual([
      {
        code: "not_activated",
        message: expect.stringMatching(
          /^Held until your account is activated: before that an account earns only its check-ins, at most 0\.01 MICRO\./,
        ),
      },
    ]);
  });

  it("before activation only check-ins are paid: a newcomer's likes, comments and posts wait for it", () => {
    for (const actionKind of [
      "like.given",
      "comment.created",
      "post.created",
      "game.achievement",
    ]) {
      expect(codes({ actionKind, amount: 1n, earner: NEWCOMER, engager: null })).toEqual([
        "not_activated",
      ]);
      expect(codes({ actionKind, amount: 1n, earner: ACTIVATED, engager: null })).toEqual([]);
    }
  });

  it("the welcome bonus is exempt: activation is its check", () => {
    expect(
      codes({ actionKind: "account.welcome", amount: 10n ** 18n, earner: NEWCOMER, engager: null }),
    ).toEqual([]);
  });

  it("an engagement from a non-activated account fires and names it; from an activated one it does not", () => {
    const input = { actionKind: "like.received", amount: 1n, earner: ACTIVATED, engagerId: "e1" };
    expect(riskSignalsFor({ ...input, engager: { activatedAt: null } })).toMatchObject([
      { code: "engager_not_activated", engagerId: "e1" },
    ]);
    expect(codes({ ...input, engager: { activatedAt: new Date() } })).toEqual([]);
  });

  it("the reward that reaches the burst count fires, the one before does not", () => {
    const at = (recentRewards: number) =>
      codes({
        actionKind: "post.created",
        amount: 1n,
        earner: { ...ACTIVATED, recentRewards },
        engager: null,
      });
    expect(at(BURST_REWARDS - 2)).toEqual([]);
    expect(at(BURST_REWARDS - 1)).toEqual(["burst"]);
  });

  it("a ring fires on social rewards only; refused game runs on everything", () => {
    const ringed = { ...ACTIVATED, ringMembers: 3 };
    expect(
      codes({ actionKind: "like.received", amount: 1n, earner: ringed, engager: null }),
    ).toEqual(["ring"]);
    expect(
      codes({ actionKind: "checkin.daily", amount: 1n, earner: ringed, engager: null }),
    ).toEqual([]);
    const bot = { ...ACTIVATED, gameRejections: GAME_PACING_REJECTIONS };
    expect(codes({ actionKind: "checkin.daily", amount: 1n, earner: bot, engager: null })).toEqual([
      "game_pacing",
    ]);
    expect(
      codes({
        actionKind: "checkin.daily",
        amount: 1n,
        earner: { ...bot, gameRejections: 1 },
        engager: null,
      }),
    ).toEqual([]);
  });

  it("a ring is a few accounts, all engaged with back, engaging often; one outsider opens it", () => {
    expect(isRing({ engagers: 3, reciprocated: 3, engagements: 9 })).toBe(true);
    expect(isRing({ engagers: 3, reciprocated: 2, engagements: 9 })).toBe(false);
    expect(isRing({ engagers: 3, reciprocated: 3, engagements: 4 })).toBe(false);
    expect(isRing({ engagers: 1, reciprocated: 1, engagements: 9 })).toBe(false);
    expect(isRing({ engagers: 40, reciprocated: 40, engagements: 400 })).toBe(false);
  });

  it("activation and rings are looked at again; bursts and refused runs wait for an admin", () => {
    const now = { earnerActivated: true, engagerActivated: true, earnerRingMembers: null };
    expect(isSignalStillFiring("not_activated", now)).toBe(false);
    expect(isSignalStillFiring("not_activated", { ...now, earnerActivated: false })).toBe(true);
    expect(isSignalStillFiring("engager_not_activated", now)).toBe(false);
    expect(isSignalStillFiring("engager_not_activated", { ...now, engagerActivated: false })).toBe(
      true,
    );
    expect(isSignalStillFiring("ring", { ...now, earnerRingMembers: 3 })).toBe(true);
    expect(isSignalStillFiring("ring", now)).toBe(false);
    expect(isSignalStillFiring("burst", now)).toBe(true);
    expect(isSignalStillFiring("game_pacing", now)).toBe(true);
  });
});
