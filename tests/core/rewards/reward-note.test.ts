import { describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { rewardNote } from "#core/rewards/reward-note.ts";
import type { RewardOutcome } from "#core/rewards/reward-types.ts";

function anOutcome(overrides: Partial<RewardOutcome> = {}): RewardOutcome {
  return {
    rewardId: 1n,
    key: "like.given:1",
    userId: "00000000-0000-4000-8000-00000000000a" as UserId,
    actionKind: "like.given",
    status: "available",
    amount: 2n * 10n ** 14n,
    holdUntil: null,
    reason: null,
    memo: "You liked a post",
    createdAt: new Date("2026-12-07T12:00:00Z"),
    isReplay: false,
    ...overrides,
  };
}

const amount = { micro: "0.0002", units: "200000000000000" };

describe("rewardNote", () => {
  it("a held reward is pending, with the reason for its hold", () => {
    const reason = {
      code: "hold_period",
      message: "Pending while it can still be undone; releases within a day.",
    } as const;
    expect(rewardNote(anOutcome({ status: "held", reason }), "like")).toEqual({
      status: "pending",
      amount,
      text: "+0.0002 MICRO pending",
      detail: reason.message,
    });
    expect(rewardNote(anOutcome({ status: "held" }), "achievement")?.detail).toBe(
      "Pending until its hold ends.",
    );
  });

  it("an available reward is paid, with its memo", () => {
    expect(rewardNote(anOutcome(), "achievement")).toEqual({
      status: "paid",
      amount,
      text: "+0.0002 MICRO",
      detail: "You liked a post",
    });
  });

  it("a refused reward pays nothing and says why, in the words of what was acted on", () => {
    const reason = { code: "daily_cap", message: "Daily cap reached." } as const;
    expect(rewardNote(anOutcome({ status: "refused", reason }), "like")).toEqual({
      status: "none",
      amount,
      text: "No reward this time",
      detail: "Daily cap reached.",
    });
    expect(rewardNote(anOutcome({ status: "refused" }), "like")?.detail).toBe(
      "This like earned nothing.",
    );
    expect(rewardNote(anOutcome({ status: "refused" }), "achievement")).toMatchObject({
      status: "none",
      text: "no reward this time",
      detail: "This achievement paid nothing.",
    });
  });

  it("a like that comes back reversed was paid before; a reversed achievement says so", () => {
    expect(rewardNote(anOutcome({ status: "reversed" }), "like")).toEqual({
      status: "none",
      amount,
      text: "No new reward",
      detail: "You were rewarded for this like before it was undone.",
    });
    expect(rewardNote(anOutcome({ status: "reversed" }), "achievement")).toEqual({
      status: "reversed",
      amount,
      text: "reward reversed",
      detail: "You liked a post",
    });
  });

  it("no outcome, no note", () => {
    expect(rewardNote(null, "like")).toBeNull();
  });
});
