import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import {
  activateReadyAccounts,
  getActivationStatus,
  tryActivate,
} from "#core/integrity/activation.ts";
import { runIntegrityStep } from "#core/integrity/integrity-step.ts";
import {
  decideHeldReward,
  listReviewQueue,
  reevaluateHeldRewards,
} from "#core/integrity/review-queue.ts";
import { verifyLedger } from "#core/ledger/verify-ledger.ts";
import { getRewardByKey } from "#core/rewards/reward-queries.ts";
import { releaseMaturedRewards } from "#core/rewards/reward.service.ts";
import { follow, unfollow } from "#core/social/follows.ts";
import { like, unlike } from "#core/social/likes.ts";
import { listNotifications, REWARD_REVIEW_KIND } from "#core/social/notifications.ts";
import { createPost } from "#core/social/posts.ts";
import type { SocialServices } from "#core/social/social-services.ts";
import type { Db } from "#db/create-db.ts";
import { createUser } from "#tests/support/factories.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";
import { count, socialServices } from "../social/social-support.ts";

const DAY_MS = 86_400_000;

/** A newcomer as sign-up leaves them: not verified, not activated. */
async function newcomer(db: Db): Promise<UserId> {
  return (await createUser(db)).user.id;
}

async function verifyEmail(db: Db, userId: UserId) {
  await db
    .updateTable("users")
    .set({ email_verified_at: new Date() })
    .where("id", "=", userId)
    .execute();
}

/** A member here for a month, verified and activated. */
async function established(db: Db): Promise<UserId> {
  const id = await newcomer(db);
  const monthAgo = new Date(Date.now() - 30 * DAY_MS);
  await db
    .updateTable("users")
    .set({ created_at: monthAgo, email_verified_at: monthAgo, activated_at: monthAgo })
    .where("id", "=", id)
    .execute();
  return id;
}

async function postBy(deps: SocialServices, authorId: UserId, body = "hello there") {
  const created = await createPost(deps, authorId, { body });
  if (!created.ok) throw new Error(`post failed: ${created.error.message}`);
  return created.value;
}

describe.each(testBackends())("activation and the review queue on %s", (backend) => {
  let testDb: TestDb;
  let deps: SocialServices;
  beforeAll(async () => {
    testDb = await openTestDb(backend, { poolSize: 20 });
    deps = socialServices(testDb.db);
  });
  afterAll(async () => {
    const report = await verifyLedger(testDb.db);
    expect(report.violations).toEqual([]);
    await testDb.close();
  });

  it("a newcomer activates with a verified email and an established member's follow, and is welcomed once", async () => {
    const db = testDb.db;
    const ada = await newcomer(db);
    expect(await getActivationStatus(db, ada)).toEqual({
      isActivated: false,
      activatedAt: null,
      missing: ["verify_email", "established_engagement"],
    });
    expect((await tryActivate(deps, ada))?.isNewlyActivated).toBe(false);
    expect(await getRewardByKey(db, `account.welcome:${ada}`)).toBeNull();

    await verifyEmail(db, ada);
    // Another newcomer's follow is not an established member's.
    await follow(deps, await newcomer(db), ada);
    expect((await getActivationStatus(db, ada))?.missing).toEqual(["established_engagement"]);

    await follow(deps, await established(db), ada);
    const activated = await tryActivate(deps, ada);
    expect(activated).toMatchObject({ isActivated: true, isNewlyActivated: true, missing: [] });
    expect(activated?.welcome).toMatchObject({ status: "available", amount: 10n ** 18n });

    const again = await tryActivate(deps, ada);
    expect(again).toMatchObject({ isActivated: true, isNewlyActivated: false, welcome: null });
    expect(await activateReadyAccounts(deps)).toBe(0);
    expect(
      await count(
        db,
        "ledger_transfers",
        sql`idempotency_key = ${`reward:account.welcome:${ada}`}`,
      ),
    ).toBe(1);
  });

  it("the scheduled step activates whoever became ready and pays each welcome once", async () => {
    const db = testDb.db;
    const [bo, cy] = [await newcomer(db), await newcomer(db)];
    await verifyEmail(db, bo);
    await verifyEmail(db, cy);
    const elder = await established(db);
    const post = await postBy(deps, bo);
    await like(deps, elder, { kind: "post", id: post.post.id });
    const run = await runIntegrityStep(deps, { minIntervalMs: 0 });
    expect(run).toMatchObject({ kind: "ran" });
    expect((await getActivationStatus(db, bo))?.isActivated).toBe(true);
    expect((await getActivationStatus(db, cy))?.isActivated).toBe(false);
    expect((await getRewardByKey(db, `account.welcome:${bo}`))?.status).toBe("available");
    await runIntegrityStep(deps, { minIntervalMs: 0 });
    expect(await count(db, "rewards", sql`idempotency_key = ${`account.welcome:${bo}`}`)).toBe(1);
  });

  it("a newcomer's check-in pays at once; a post waits, with the signal's words, until activation clears it; then it releases", async () => {
    const db = testDb.db;
    const dee = await newcomer(db);
    const checkIn = await deps.rewards.reward({
      actionKind: "checkin.daily",
      userId: dee,
      causeId: `${dee}:today`,
      memo: "Daily check-in",
    });
    expect(checkIn.ok && checkIn.value.status).toBe("available");
    const third = await postBy(deps, dee, "a first post");
    expect(third.reward).toMatchObject({ status: "held", reason: { code: "risk_review" } });
    expect(third.reward?.reason?.message).toMatch(/^Held until your account is activated/);

    const later = new Date(Date.now() + 2 * DAY_MS);
    const released = await releaseMaturedRewards(db, later);
    expect(released.filter((r) => r.userId === dee)).toEqual([]);
    expect(await reevaluateHeldRewards(db, later)).toBe(0);
    expect((await getRewardByKey(db, third.reward!.key))?.status).toBe("held");
    const queue = await listReviewQueue(db, { limit: 500 });
    const queued = queue.items.find((r) => r.rewardId === third.reward!.rewardId);
    expect(queued?.signals).toMatchObject([{ code: "not_activated", clearedAt: null }]);

    await verifyEmail(db, dee);
    await follow(deps, await established(db), dee);
    expect((await tryActivate(deps, dee))?.isNewlyActivated).toBe(true);
    expect(await reevaluateHeldRewards(db, later)).toBeGreaterThanOrEqual(1);
    const again = await releaseMaturedRewards(db, later);
    expect(again.map((r) => r.rewardId)).toContain(third.reward!.rewardId);
    expect((await getRewardByKey(db, third.reward!.key))?.status).toBe("available");
    const signals = await db
      .selectFrom("reward_risk_signals")
      .select(["code", "cleared_at"])
      .where("reward_id", "=", third.reward!.rewardId)
      .execute();
    expect(signals).toMatchObject([{ code: "not_activated" }]);
    expect(signals[0]!.cleared_at).not.toBeNull();
  });

  it("a like from a non-activated account is held for review until that account activates", async () => {
    const db = testDb.db;
    const author = await established(db);
    const liker = await newcomer(db);
    const post = await postBy(deps, author);
    await like(deps, liker, { kind: "post", id: post.post.id });
    const key = `like.received:post:${post.post.id}:${liker}`;
    const held = await getRewardByKey(db, key);
    expect(held).toMatchObject({ status: "held", reason: { code: "risk_review" } });
    expect(held?.reason?.message).toMatch(/not activated yet/);
    const later = new Date(Date.now() + 2 * DAY_MS);
    await releaseMaturedRewards(db, later);
    expect((await getRewardByKey(db, key))?.status).toBe("held");

    await verifyEmail(db, liker);
    await follow(deps, await established(db), liker);
    await tryActivate(deps, liker);
    await reevaluateHeldRewards(db, later);
    await releaseMaturedRewards(db, later);
    expect((await getRewardByKey(db, key))?.status).toBe("available");
  });

  it("an admin approves or reverses a held reward with a reason, recorded once, and the user is notified", async () => {
    const db = testDb.db;
    const admin = await established(db);
    const author = await established(db);
    const post = await postBy(deps, author);
    const [l1, l2] = [await newcomer(db), await newcomer(db)];
    await like(deps, l1, { kind: "post", id: post.post.id });
    await like(deps, l2, { kind: "post", id: post.post.id });
    const approveMe = (await getRewardByKey(db, `like.received:post:${post.post.id}:${l1}`))!;
    const reverseMe = (await getRewardByKey(db, `like.received:post:${post.post.id}:${l2}`))!;

    const bad = await decideHeldReward(deps, admin, approveMe.id, { approve: true, reason: " " });
    expect(bad).toMatchObject({ ok: false, error: { code: "invalid_reason" } });
    expect(await count(db, "reward_review_decisions", sql`reward_id = ${approveMe.id}`)).toBe(0);

    const approved = await decideHeldReward(deps, admin, approveMe.id, {
      approve: true,
      reason: "A friend of the author, checked",
    });
    expect(approved).toMatchObject({
      ok: true,
      value: { decision: "approved", decidedBy: admin, reason: "A friend of the author, checked" },
    });
    const afterApproval = (await getRewardByKey(db, `like.received:post:${post.post.id}:${l1}`))!;
    expect(afterApproval).toMatchObject({
      status: "available",
      reason: {
        code: "review_approved",
        message: "Approved by review: A friend of the author, checked",
      },
    });

    const reversed = await decideHeldReward(deps, admin, reverseMe.id, {
      approve: false,
      reason: "Sockpuppet of the author",
    });
    expect(reversed).toMatchObject({ ok: true, value: { decision: "reversed" } });
    expect(await getRewardByKey(db, `like.received:post:${post.post.id}:${l2}`)).toMatchObject({
      status: "reversed",
      reason: { code: "admin_reversed", message: "Reversed by review: Sockpuppet of the author" },
    });
    const twice = await decideHeldReward(deps, admin, reverseMe.id, {
      approve: true,
      reason: "oops",
    });
    expect(twice).toMatchObject({ ok: false, error: { code: "not_in_queue" } });

    const notes = await listNotifications(db, author, { limit: 20 });
    const reviewNotes = notes.items.filter((n) => n.kind === REWARD_REVIEW_KIND);
    expect(reviewNotes.map((n) => n.rewardId).sort()).toEqual([approveMe.id, reverseMe.id].sort());
    expect(reviewNotes.every((n) => n.actorId === admin)).toBe(true);
  });

  it("a like paid at a reduced rate says why, and reversals say what was undone", async () => {
    const db = testDb.db;
    const liker = await established(db);
    let last;
    for (let i = 0; i < 11; i++) {
      const post = await postBy(deps, await established(db), `burst ${i}`);
      last = post;
      await like(deps, liker, { kind: "post", id: post.post.id });
    }
    const given = await getRewardByKey(db, `like.given:post:${last!.post.id}:${liker}`);
    expect(given?.reason).toEqual({
      code: "reduced_share",
      message: "Paid at half rate: you liked 11 posts or comments in 10 minutes.",
    });
    expect(given?.memo).not.toMatch(/burst/);

    await unlike(deps, liker, { kind: "post", id: last!.post.id });
    expect(await getRewardByKey(db, `like.received:post:${last!.post.id}:${liker}`)).toMatchObject({
      status: "reversed",
      reason: { code: "unliked" },
    });

    const followee = await established(db);
    await follow(deps, liker, followee);
    await unfollow(deps, liker, followee);
    const unfollowed = await getRewardByKey(db, `follow.received:${followee}:${liker}`);
    expect(unfollowed).toMatchObject({ status: "reversed", reason: { code: "unfollowed" } });
    expect(unfollowed?.reason?.message).toMatch(/^Reversed: the follow was taken back/);
  });

  it("a closed ring of accounts liking each other holds their likes for review", async () => {
    const db = testDb.db;
    const ring = [await established(db), await established(db), await established(db)];
    const posts = new Map<UserId, bigint[]>();
    for (const member of ring) {
      const ids = [];
      for (let i = 0; i < 4; i++) ids.push((await postBy(deps, member, `ring ${i}`)).post.id);
      posts.set(member, ids);
    }
    // Everyone likes three of each other's posts.
    for (const liker of ring) {
      for (const author of ring) {
        if (liker === author) continue;
        for (const id of posts.get(author)!.slice(0, 3))
          await like(deps, liker, { kind: "post", id });
      }
    }
    const [a, b] = ring as [UserId, UserId, UserId];
    const lastPost = posts.get(a)![3]!;
    await like(deps, b, { kind: "post", id: lastPost });
    const given = await getRewardByKey(db, `like.given:post:${lastPost}:${b}`);
    expect(given).toMatchObject({ status: "held", reason: { code: "risk_review" } });
    expect(given?.reason?.message).toMatch(/come only from the same 2 accounts/);
  });

  it("refused game runs make a history that holds rewards for review", async () => {
    const db = testDb.db;
    const bot = await established(db);
    const [game] = await db.selectFrom("games").select("id").limit(1).execute();
    for (const code of ["too_fast", "inhuman_input"]) {
      await db
        .insertInto("game_runs")
        .values({
          user_id: bot,
          game_id: game!.id,
          seed: "s",
          rules_version: 1,
          expires_at: new Date(Date.now() + DAY_MS),
          status: "rejected",
          submitted_at: new Date(),
          rejection_code: code,
          rejection_reason: "test",
        })
        .execute();
    }
    const result = await deps.rewards.reward({
      actionKind: "game.achievement",
      userId: bot,
      causeId: `pacing-${bot}`,
      memo: "First finish",
    });
    expect(result.ok && result.value).toMatchObject({
      status: "held",
      reason: { code: "risk_review" },
    });
    expect(result.ok && result.value.reason?.message).toMatch(/2 of your game runs/);
  });
});
