import type { KyselyPlugin } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RewardEngine } from "#core/rewards/reward-engine.ts";
import { createRewardEvents } from "#core/rewards/reward-events.ts";
import { like, unlike } from "#core/social/likes.ts";
import { createPost } from "#core/social/posts.ts";
import type { Db } from "#db/create-db.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";
import { person, socialServices } from "./social-support.ts";

/**
 * The database round trips social code makes itself (statements, and BEGIN and COMMIT for
 * each transaction it opens); the reward engine's own statements are counted apart.
 */
function countingDb(db: Db) {
  const trips = { count: 0 };
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      trips.count += 1;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  const counted = db.withPlugin(plugin);
  const transaction = counted.transaction.bind(counted);
  counted.transaction = () => {
    trips.count += 2;
    return transaction();
  };
  return { db: counted, trips };
}

describe.each(testBackends())("a like's round trips on %s", (backend) => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await openTestDb(backend);
  });
  afterAll(async () => {
    await testDb.close();
  });

  it("a first like is one statement, its burst count and its notification, with nothing read back", async () => {
    const ada = await person(testDb.db, "Ada");
    const bo = await person(testDb.db, "Bo");
    const created = await createPost(socialServices(testDb.db), ada.id, { body: "Counting" });
    if (!created.ok) throw new Error("post refused");
    const social = countingDb(testDb.db);
    const engine = countingDb(testDb.db);
    const deps = {
      db: social.db,
      rewards: new RewardEngine(engine.db),
      rewardEvents: createRewardEvents(),
    };
    const target = { kind: "post", id: created.value.post.id } as const;

    const liked = await like(deps, bo.id, target);
    expect(liked.ok && liked.value.likeCount).toBe(1);
    // Before #14 this was 10: a transaction of three statements, the count read again,
    // the two names, the burst count, the notification and its unread count.
    expect(social.trips.count).toBe(3);
    const likeTrips = { social: social.trips.count, engine: engine.trips.count };
    social.trips.count = 0;
    engine.trips.count = 0;
    const unliked = await unlike(deps, bo.id, target);
    expect(unliked.ok && unliked.value.likeCount).toBe(0);
    // The rest of an unlike's trips are the reward service reversing the two rewards.
    const unlikeTrips = { social: social.trips.count, engine: engine.trips.count };
    console.log(JSON.stringify({ backend, likeTrips, unlikeTrips }));
  });
});
