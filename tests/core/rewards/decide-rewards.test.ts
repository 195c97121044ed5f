import { describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import type { AccountStanding } from "#core/integrity/risk-signals.ts";
import {
  counterKeysOf,
  dailyCounterKey,
  decideRewards,
  targetCounterKey,
  type BatchRequest,
  type RecordedReward,
  type RewardSnapshot,
} from "#core/rewards/decide-rewards.ts";
import type { RewardBudget, RewardRule } from "#core/rewards/reward-rules.repository.ts";
import { rewardKey, type RewardRequest } from "#core/rewards/reward-types.ts";
import { BURST_REWARDS, UNACTIVATED_ALLOWANCE } from "#core/integrity/risk-signals.ts";

const DAY_MS = 86_400_000;
const NOW = new Date("2026-12-07T12:00:00Z");
const TODAY = "2026-12-07";
const ADA = "00000000-0000-4000-8000-00000000000a" as UserId;
const BOB = "00000000-0000-4000-8000-00000000000b" as UserId;
const NEWCOMER = "00000000-0000-4000-8000-00000000000c" as UserId;
const BUDGET_ACCOUNT = 7n;

function aStanding(overrides: Partial<AccountStanding> = {}): AccountStanding {
  return {
    activatedAt: new Date(NOW.getTime() - 20 * DAY_MS),
    unactivatedEarned: 0n,
    recentRewards: 0,
    gameRejections: 0,
    ringMembers: null,
    ...overrides,
  };
}

function aRule(overrides: Partial<RewardRule> = {}): RewardRule {
  return {
    actionKind: "like.received",
    label: "likes on your posts",
    amount: 1000n,
    dailyCap: null,
    perTargetDailyCap: null,
    holdSeconds: 0,
    budgetId: "platform",
    isEnabled: true,
    updatedAt: NOW,
    ...overrides,
  };
}

function aBudget(overrides: Partial<RewardBudget> = {}): RewardBudget {
  return {
    id: "platform",
    name: "platform's daily emission",
    kind: "daily_emission",
    dailyAmount: 1_000_000n,
    accountId: BUDGET_ACCOUNT,
    ...overrides,
  };
}

function aSnapshot(
  overrides: Partial<RewardSnapshot> & { rule?: RewardRule; budget?: RewardBudget } = {},
): RewardSnapshot {
  const rule = overrides.rule ?? aRule();
  const budget = overrides.budget ?? aBudget();
  return {
    now: NOW,
    rules: new Map([[rule.actionKind, rule]]),
    budgets: new Map([[budget.id, budget]]),
    budgetSpendable: new Map([[budget.accountId, 1_000_000n]]),
    recorded: new Map(),
    userCreatedAt: new Map([
      [ADA, new Date(NOW.getTime() - 30 * DAY_MS)],
      [BOB, new Date(NOW.getTime() - 30 * DAY_MS)],
      [NEWCOMER, new Date(NOW.getTime() - DAY_MS)],
    ]),
    counts: new Map(),
    standings: new Map([
      [ADA, aStanding()],
      [BOB, aStanding()],
      [NEWCOMER, aStanding({ activatedAt: null })],
    ]),
    ...overrides,
  };
}

let causes = 0;
function aRequest(overrides: Partial<RewardRequest> = {}): BatchRequest {
  const request: RewardRequest = {
    actionKind: "like.received",
    userId: ADA,
    causeId: `cause-${++causes}`,
    memo: "Bob liked your post",
    ...overrides,
  };
  return { request, key: rewardKey(request.actionKind, request.causeId) };
}

function aRecordedReward(request: BatchRequest, userId: string): RecordedReward {
  return {
    id: 41n,
    idempotency_key: request.key,
    user_id: userId,
    action_kind: request.request.actionKind,
    target_key: null,
    memo: request.request.memo,
    amount: "1000",
    status: "held",
    reason_code: "hold_period",
    reason: "Pending while it can still be undone; releases within a day.",
    hold_until: new Date(NOW.getTime() + DAY_MS),
    created_at: new Date(NOW.getTime() - 1000),
  };
}

describe("decideRewards", () => {
  it("pays a rule's amount at once when it has no hold, moving its daily counter by one", () => {
    const request = aRequest();
    const { verdicts, decisions, counters } = decideRewards(aSnapshot(), [request]);
    expect(verdicts).toEqual([{ kind: "written", key: request.key, isReplay: false }]);
    expect(decisions).toMatchObject([
      { index: 0, key: request.key, amount: 1000n, status: "available", reason: null },
    ]);
    expect(decisions[0]!.holdUntil).toBeNull();
    expect(counters).toEqual([
      { key: dailyCounterKey(request.request, TODAY), count: 1, cap: 2_000_000_000 },
    ]);
  });

  it("holds a reward for its rule's hold and says when it releases", () => {
    const snapshot = aSnapshot({ rule: aRule({ holdSeconds: 3 * 86_400 }) });
    const { decisions } = decideRewards(snapshot, [aRequest()]);
    expect(decisions[0]).toMatchObject({
      status: "held",
      reason: {
        code: "hold_period",
        message: "Pending while it can still be undone; releases in 3 days.",
      },
    });
    expect(decisions[0]!.holdUntil).toEqual(new Date(NOW.getTime() + 3 * DAY_MS));
  });

  it("pays a new account's check-in as anyone's: no signal, no hold beyond the rule's", () => {
    const snapshot = aSnapshot({ rule: aRule({ actionKind: "checkin.daily" }) });
    const { decisions } = decideRewards(snapshot, [
      aRequest({ actionKind: "checkin.daily", userId: NEWCOMER }),
    ]);
    expect(decisions[0]).toMatchObject({ status: "available", reason: null, signals: [] });
  });

  it("holds for review, with the signal's words, a non-activated account's likes and its check-ins past the allowance", () => {
    const { decisions: liked } = decideRewards(aSnapshot(), [aRequest({ userId: NEWCOMER })]);
    expect(liked[0]).toMatchObject({ status: "held", signals: [{ code: "not_activated" }] });

    const snapshot = aSnapshot({
      rule: aRule({ actionKind: "checkin.daily", amount: UNACTIVATED_ALLOWANCE / 2n }),
      budgetSpendable: new Map([[BUDGET_ACCOUNT, 10n ** 20n]]),
    });
    const checkIn = () => aRequest({ actionKind: "checkin.daily", userId: NEWCOMER });
    const { decisions } = decideRewards(snapshot, [checkIn(), checkIn(), checkIn()]);
    expect(decisions.map((d) => d.status)).toEqual(["available", "available", "held"]);
    expect(decisions[2]!.signals.map((s) => s.code)).toEqual(["not_activated"]);
    expect(decisions[2]!.reason).toEqual({
      code: "risk_review",
      message: decisions[2]!.signals[0]!.message,
    });
    expect(decisions[2]!.reason!.message).toMatch(/^Held until your account is activated/);
  });

  it("holds a like from a non-activated account for review and names that account", () => {
    const { decisions } = decideRewards(aSnapshot(), [
      aRequest({ engagerId: NEWCOMER }),
      aRequest({ engagerId: BOB }),
    ]);
    expect(decisions[0]).toMatchObject({
      status: "held",
      reason: { code: "risk_review" },
      signals: [{ code: "engager_not_activated", engagerId: NEWCOMER }],
    });
    expect(decisions[1]).toMatchObject({ status: "available", signals: [] });
  });

  it("a reward held for review keeps its rule's hold as its earliest release", () => {
    const snapshot = aSnapshot({ rule: aRule({ holdSeconds: 86_400 }) });
    const { decisions } = decideRewards(snapshot, [aRequest({ engagerId: NEWCOMER })]);
    expect(decisions[0]!.holdUntil).toEqual(new Date(NOW.getTime() + DAY_MS));
  });

  it("counts this batch's rewards towards a burst", () => {
    const snapshot = aSnapshot({
      standings: new Map([[ADA, aStanding({ recentRewards: BURST_REWARDS - 2 })]]),
    });
    const { decisions } = decideRewards(snapshot, [aRequest(), aRequest()]);
    expect(decisions[0]!.signals).toEqual([]);
    expect(decisions[1]!.signals).toEqual([
      {
        code: "burst",
        message: `Held for review: ${BURST_REWARDS} rewards in 10 minutes is faster than people earn.`,
      },
    ]);
  });

  it("a reduced share carries its reason; a full share none", () => {
    const { decisions } = decideRewards(aSnapshot(), [
      aRequest({
        shareThousandths: 500,
        shareReason: "Paid at half rate: you liked 12 posts or comments in 10 minutes.",
      }),
      aRequest({ shareReason: "ignored at full rate" }),
    ]);
    expect(decisions[0]).toMatchObject({
      status: "available",
      amount: 500n,
      reason: {
        code: "reduced_share",
        message: "Paid at half rate: you liked 12 posts or comments in 10 minutes.",
      },
    });
    expect(decisions[1]!.reason).toBeNull();
  });

  it("the daily cap counts what was paid today and what this batch pays before it", () => {
    const first = aRequest();
    const snapshot = aSnapshot({
      rule: aRule({ dailyCap: 3 }),
      counts: new Map([[dailyCounterKey(first.request, TODAY), 1]]),
    });
    const { decisions, counters } = decideRewards(snapshot, [first, aRequest(), aRequest()]);
    expect(decisions.map((d) => d.status)).toEqual(["available", "available", "refused"]);
    expect(decisions[2]!.reason).toEqual({
      code: "daily_cap",
      message: "Daily cap for likes on your posts reached — resets at 00:00 UTC.",
    });
    // A refused reward moves no counter: the cap's check in the write sees two more.
    expect(counters).toEqual([{ key: dailyCounterKey(first.request, TODAY), count: 2, cap: 3 }]);
  });

  it("a caller's daily cap bonus raises the cap, and the loosest bonus in a batch bounds the write", () => {
    const snapshot = aSnapshot({ rule: aRule({ dailyCap: 1 }) });
    const { decisions, counters } = decideRewards(snapshot, [
      aRequest(),
      aRequest({ dailyCapBonus: 2 }),
      aRequest(),
    ]);
    expect(decisions.map((d) => d.status)).toEqual(["available", "available", "refused"]);
    expect(counters).toEqual([
      { key: dailyCounterKey(aRequest().request, TODAY), count: 2, cap: 3 },
    ]);
  });

  it("the per-target cap refuses a second reward from the same source, not from another", () => {
    const snapshot = aSnapshot({ rule: aRule({ perTargetDailyCap: 1 }) });
    const fromBob = aRequest({ targetKey: BOB });
    const { decisions, counters } = decideRewards(snapshot, [
      fromBob,
      aRequest({ targetKey: BOB }),
      aRequest({ targetKey: NEWCOMER }),
    ]);
    expect(decisions.map((d) => d.status)).toEqual(["available", "refused", "available"]);
    expect(decisions[1]!.reason).toEqual({
      code: "target_cap",
      message:
        "Daily cap for likes on your posts from the same source reached — resets at 00:00 UTC.",
    });
    expect(counters).toContainEqual({
      key: targetCounterKey(fromBob.request, TODAY),
      count: 1,
      cap: 1,
    });
  });

  it("a budget pays exactly what it holds, refuses the rest and says a daily one resets", () => {
    const snapshot = aSnapshot({ budgetSpendable: new Map([[BUDGET_ACCOUNT, 2500n]]) });
    const { decisions } = decideRewards(snapshot, [aRequest(), aRequest(), aRequest()]);
    expect(decisions.map((d) => d.status)).toEqual(["available", "available", "refused"]);
    expect(decisions[2]!.reason).toEqual({
      code: "budget_exhausted",
      message: "The platform's daily emission has run out — resets at 00:00 UTC.",
    });
  });

  it("an escrow budget that runs out does not promise a reset", () => {
    const budget = aBudget({ id: "games", name: "games achievement budget", kind: "escrow" });
    const snapshot = aSnapshot({
      rule: aRule({ budgetId: "games" }),
      budget,
      budgetSpendable: new Map([[BUDGET_ACCOUNT, 0n]]),
    });
    const { decisions } = decideRewards(snapshot, [aRequest()]);
    expect(decisions[0]!.reason?.message).toBe("The games achievement budget has run out.");
  });

  it("a paused rule refuses with its label", () => {
    const snapshot = aSnapshot({ rule: aRule({ isEnabled: false }) });
    const { decisions, counters } = decideRewards(snapshot, [aRequest()]);
    expect(decisions[0]).toMatchObject({
      status: "refused",
      reason: { code: "rule_disabled", message: "Rewards for likes on your posts are paused." },
    });
    expect(counters).toEqual([]);
  });

  it("a share scales the amount and never rounds a paying rule down to nothing", () => {
    const { decisions } = decideRewards(aSnapshot(), [
      aRequest({ shareThousandths: 250 }),
      aRequest({ shareThousandths: 1 }),
    ]);
    expect(decisions.map((d) => d.amount)).toEqual([250n, 1n]);
    const tiny = aSnapshot({ rule: aRule({ amount: 3n }) });
    expect(decideRewards(tiny, [aRequest({ shareThousandths: 1 })]).decisions[0]!.amount).toBe(1n);
  });

  it("a reward already recorded is replayed for its owner and a conflict for anyone else", () => {
    const request = aRequest();
    const other = aRequest({ causeId: "someone-elses" });
    const snapshot = aSnapshot({
      recorded: new Map([
        [request.key, aRecordedReward(request, ADA)],
        [other.key, aRecordedReward(other, BOB)],
      ]),
    });
    const { verdicts, decisions } = decideRewards(snapshot, [request, other]);
    expect(decisions).toEqual([]);
    expect(verdicts[0]).toMatchObject({
      kind: "settled",
      result: { ok: true, value: { rewardId: 41n, status: "held", isReplay: true } },
    });
    expect(verdicts[1]).toMatchObject({
      kind: "settled",
      result: { ok: false, error: { code: "idempotency_conflict" } },
    });
  });

  it("a duplicate inside one batch is decided once and replays the first", () => {
    const request = aRequest();
    const { verdicts, decisions, counters } = decideRewards(aSnapshot(), [
      request,
      { ...request },
      { request: { ...request.request, userId: BOB }, key: request.key },
    ]);
    expect(decisions).toHaveLength(1);
    expect(verdicts.slice(0, 2)).toEqual([
      { kind: "written", key: request.key, isReplay: false },
      { kind: "written", key: request.key, isReplay: true },
    ]);
    expect(verdicts[2]).toMatchObject({
      kind: "settled",
      result: { ok: false, error: { code: "idempotency_conflict" } },
    });
    expect(counters[0]!.count).toBe(1);
  });

  it("an unknown action kind and an unknown user are errors that decide nothing", () => {
    const { verdicts, decisions } = decideRewards(aSnapshot(), [
      aRequest({ actionKind: "no.such_kind" }),
      aRequest({ userId: "00000000-0000-4000-8000-0000000000ff" as UserId }),
    ]);
    expect(decisions).toEqual([]);
    expect(verdicts).toMatchObject([
      {
        kind: "settled",
        result: {
          ok: false,
          error: { code: "unknown_action", message: 'No reward rule for "no.such_kind".' },
        },
      },
      { kind: "settled", result: { ok: false, error: { code: "unknown_user" } } },
    ]);
  });

  it("decides from the snapshot's clock and leaves the snapshot as it was", () => {
    const snapshot = aSnapshot({ rule: aRule({ dailyCap: 5, holdSeconds: 86_400 }) });
    const before = {
      counts: new Map(snapshot.counts),
      spendable: new Map(snapshot.budgetSpendable),
    };
    const { decisions } = decideRewards(snapshot, [aRequest(), aRequest()]);
    expect(decisions[0]!.holdUntil).toEqual(new Date(NOW.getTime() + DAY_MS));
    expect(decisions[0]!.reason?.message).toContain("releases within a day");
    expect(snapshot.counts).toEqual(before.counts);
    expect(snapshot.budgetSpendable).toEqual(before.spendable);
  });

  it("lists a batch's counters once each, sorted, so batches lock them in one order", () => {
    const requests = [
      aRequest({ userId: BOB, targetKey: ADA }).request,
      aRequest({ userId: ADA }).request,
      aRequest({ userId: BOB, targetKey: ADA }).request,
    ];
    const keys = counterKeysOf(requests, TODAY);
    expect(keys).toEqual([...keys].sort());
    expect(keys).toHaveLength(3);
  });
});
