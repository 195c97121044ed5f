import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { verifyLedger } from "#core/ledger/verify-ledger.ts";
import { RewardEngine } from "#core/rewards/reward-engine.ts";
import { createRewardEvents, type NotificationPing } from "#core/rewards/reward-events.ts";
import { getRewardsByIds } from "#core/rewards/reward-queries.ts";
import { appealReward, decideAppeal } from "#core/rewards/reward.service.ts";
import type { RewardOutcome } from "#core/rewards/reward-types.ts";
import {
  listNotifications,
  REWARD_APPEAL_KIND,
  unreadNotificationCount,
} from "#core/social/notifications.ts";
import type { Db } from "#db/create-db.ts";
import { insertUsers } from "#tests/core/ledger/ledger-helpers.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";

describe.each(testBackends())("a decided appeal notifies its user on %s", (backend) => {
  let testDb: TestDb;
  let db: Db;
  const now = new Date();
  const rewardEvents = createRewardEvents();
  let admin: UserId;
  let day = 0;

  beforeAll(async () => {
    testDb = await openTestDb(backend);
    db = testDb.db;
    [admin] = (await insertUsers(db, 1, { now })) as [UserId];
  });
  afterAll(async () => {
    expect((await verifyLedger(db)).violations).toEqual([]);
    await testDb.close();
  });

  async function earn(userId: UserId, actionKind: string): Promise<RewardOutcome> {
    const engine = new RewardEngine(db, { now: () => now });
    const result = await engine.reward({
      actionKind,
      userId,
      causeId: `${userId}:${actionKind}:${day++}`,
      memo: actionKind,
    });
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  }

  /** A user with a check-in refused by the daily cap, appealed. */
  async function refusedAndAppealed() {
    const [user] = (await insertUsers(db, 1, { now })) as [UserId];
    expect((await earn(user, "checkin.daily")).status).toBe("available");
    const refused = await earn(user, "checkin.daily");
    expect(refused.status).toBe("refused");
    expect((await appealReward(db, user, refused.rewardId, "I checked in only once")).ok).toBe(
      true,
    );
    return { user, reward: refused };
  }

  const appealNotifications = async (userId: UserId) =>
    (await listNotifications(db, userId, { limit: 50 })).items.filter(
      (n) => n.kind === REWARD_APPEAL_KIND,
    );

  it("approving an appeal notifies the user once, live, with the outcome, the amount and the admin's reason", async () => {
    const { user, reward } = await refusedAndAppealed();
    const pings = rewardEvents.subscribe("notification:new", user);
    const next = pings.next();
    const decided = await decideAppeal({ db, rewardEvents }, admin, reward.rewardId, {
      approve: true,
      reason: "The cap counted a retried request twice",
    });
    expect(decided.ok).toBe(true);

    const [note, ...others] = await appealNotifications(user);
    expect(others).toEqual([]);
    expect(note).toMatchObject({ actorId: admin, rewardId: reward.rewardId, readAt: null });
    const ping = (await next).value as NotificationPing;
    expect(ping).toEqual({
      notificationId: String(note!.id),
      kind: REWARD_APPEAL_KIND,
      unreadCount: 1,
    });
    await pings.return?.();

    // What the notification points at says the rest: paid, how much, and why.
    const [decidedReward] = await getRewardsByIds(db, [reward.rewardId]);
    expect(decidedReward).toMatchObject({
      status: "available",
      amount: reward.amount,
      appeal: { status: "approved", decisionReason: "The cap counted a retried request twice" },
    });
  });

  it("deciding the same appeal again, or twice at once, leaves exactly one notification", async () => {
    const { user, reward } = await refusedAndAppealed();
    const decide = () =>
      decideAppeal({ db, rewardEvents }, admin, reward.rewardId, {
        approve: false,
        reason: "Two check-ins on one day are one too many",
      });
    const results = await Promise.all([decide(), decide()]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ error: { code: "already_decided" } });
    const again = await decide();
    expect(again).toMatchObject({ ok: false, error: { code: "already_decided" } });

    expect(await appealNotifications(user)).toHaveLength(1);
    expect(await unreadNotificationCount(db, user)).toBe(1);
    const [decidedReward] = await getRewardsByIds(db, [reward.rewardId]);
    expect(decidedReward).toMatchObject({
      status: "refused",
      appeal: { status: "denied", decisionReason: "Two check-ins on one day are one too many" },
    });
  });

  it("a refused decision (a reason too short) changes nothing and notifies no one", async () => {
    const { user, reward } = await refusedAndAppealed();
    const refused = await decideAppeal({ db, rewardEvents }, admin, reward.rewardId, {
      approve: true,
      reason: "ok",
    });
    expect(refused).toMatchObject({ ok: false, error: { code: "invalid_reason" } });
    expect(await appealNotifications(user)).toEqual([]);
    const [still] = await getRewardsByIds(db, [reward.rewardId]);
    expect(still).toMatchObject({ status: "refused", appeal: { status: "open" } });
  });

  it("denying an appeal of a held reward notifies with the reward still held", async () => {
    const [user] = (await insertUsers(db, 1, { now })) as [UserId];
    const held = await earn(user, "follow.received");
    expect(held.status).toBe("held");
    expect((await appealReward(db, user, held.rewardId, "Please release it sooner")).ok).toBe(true);
    const decided = await decideAppeal({ db, rewardEvents }, admin, held.rewardId, {
      approve: false,
      reason: "It releases at the end of its hold",
    });
    expect(decided.ok).toBe(true);
    expect(await appealNotifications(user)).toHaveLength(1);
    const [still] = await getRewardsByIds(db, [held.rewardId]);
    expect(still).toMatchObject({ status: "held", appeal: { status: "denied" } });
  });
});
