import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { RewardEngine } from "#core/rewards/reward-engine.ts";
import { releaseMaturedRewards, reverseReward } from "#core/rewards/reward.service.ts";
import { listWalletEntries } from "#core/wallet/wallet.service.ts";
import { createUser } from "#tests/support/factories.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";

describe.each(testBackends())("wallet history by stream on %s", (backend) => {
  let testDb: TestDb;
  let engine: RewardEngine;
  beforeAll(async () => {
    testDb = await openTestDb(backend);
    engine = new RewardEngine(testDb.db);
  });
  afterAll(() => testDb.close());

  async function established(): Promise<UserId> {
    const { user } = await createUser(testDb.db);
    await testDb.db
      .updateTable("users")
      .set({ created_at: new Date(Date.now() - 30 * 86_400_000), activated_at: new Date() })
      .where("id", "=", user.id)
      .execute();
    return user.id;
  }

  async function pay(userId: UserId, actionKind: string, causeId: string, memo: string) {
    const result = await engine.reward({ actionKind, userId, causeId, memo, targetKey: causeId });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    return result.value;
  }

  it("each entry names its stream, and a stream filter keeps its rewards' transfers, releases and undos", async () => {
    const userId = await established();
    await pay(userId, "checkin.daily", `${userId}:2026-12-01`, "Daily check-in");
    const post = await pay(userId, "post.created", `p-${userId}`, "You posted");
    const like = await pay(userId, "like.received", `l-${userId}`, "Ada liked your post");
    await releaseMaturedRewards(testDb.db, new Date(Date.now() + 2 * 86_400_000));
    await pay(userId, "comment.created", `c-${userId}`, "You commented");
    await reverseReward(testDb.db, `comment.created:c-${userId}`);
    expect(post.status).toBe("held");
    expect(like.status).toBe("held");

    const all = await listWalletEntries(testDb.db, userId, { limit: 20 });
    expect(all.map((e) => [e.memo, e.stream])).toEqual([
      ["Undone: You commented", "social"],
      ["You commented (on hold)", "social"],
      ["Moved from pending to available: Ada liked your post", "social"],
      ["Moved from pending to available: You posted", "social"],
      ["Ada liked your post (on hold)", "social"],
      ["You posted (on hold)", "social"],
      ["Daily check-in", "daily"],
    ]);
    const daily = await listWalletEntries(testDb.db, userId, { limit: 20, stream: "daily" });
    expect(daily.map((e) => e.memo)).toEqual(["Daily check-in"]);
    expect(await listWalletEntries(testDb.db, userId, { limit: 20, stream: "games" })).toEqual([]);

    // Pages stay full within the filter: the cursor is the last entry seen.
    const social = await listWalletEntries(testDb.db, userId, { limit: 4, stream: "social" });
    expect(social).toHaveLength(4);
    const rest = await listWalletEntries(testDb.db, userId, {
      limit: 4,
      stream: "social",
      after: social.at(-1)!.transferId,
    });
    expect(rest.map((e) => e.memo)).toEqual([
      "Ada liked your post (on hold)",
      "You posted (on hold)",
    ]);
  });

  it("kinds no stream names fall into bonuses, and another user's rewards never show", async () => {
    const userId = await established();
    const other = await established();
    await pay(userId, "account.welcome", userId, "Welcome to Tributary");
    await pay(other, "checkin.daily", `${other}:2026-12-01`, "Daily check-in");
    const bonus = await listWalletEntries(testDb.db, userId, { limit: 20, stream: "bonus" });
    expect(bonus.map((e) => [e.memo, e.stream])).toEqual([["Welcome to Tributary", "bonus"]]);
    expect(await listWalletEntries(testDb.db, userId, { limit: 20, stream: "daily" })).toEqual([]);
  });
});
