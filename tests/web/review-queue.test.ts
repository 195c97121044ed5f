import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRewardByKey } from "#core/rewards/reward-queries.ts";
import { createPost } from "#core/social/posts.ts";
import { createUser } from "#tests/support/factories.ts";
import { readHtml, TestClient } from "#tests/support/http-client.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

describe.each(testBackends())("the review queue page on %s", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  async function signedIn(options: { isAdmin?: boolean } = {}) {
    const { user, password } = await createUser(server.db);
    if (options.isAdmin) {
      await server.db
        .updateTable("users")
        .set({ is_admin: true, activated_at: new Date() })
        .where("id", "=", user.id)
        .execute();
    }
    const client = new TestClient(server.url);
    expect((await client.postForm("/signin", { email: user.email, password })).status).toBe(302);
    return { client, user };
  }

  /** A newcomer's first post: held until the account activates (the not_activated signal). */
  async function heldPost() {
    const { user } = await createUser(server.db);
    const posted = await createPost(server.services, user.id, { body: "My first post here" });
    if (!posted.ok) throw new Error(posted.error.message);
    const reward = posted.value.reward!;
    expect(reward).toMatchObject({ status: "held", reason: { code: "risk_review" } });
    return { user, reward };
  }

  it("is not found for members, before and after a decision is posted", async () => {
    const { client } = await signedIn();
    expect((await client.get("/admin/review")).status).toBe(404);
    const post = await client.postForm("/admin/review", {
      intent: "decide-review",
      rewardId: "1",
      decision: "approve",
      reason: "Looks fine to me.",
    });
    expect(post.status).toBe(404);
  });

  it("shows an admin each held reward with its signal's words; a reversal needs a reason and is recorded", async () => {
    const admin = await signedIn({ isAdmin: true });
    const { user, reward } = await heldPost();
    const rewardId = String(reward.rewardId);

    const page = await readHtml(await admin.client.get("/admin/review"));
    expect(page).toContain(`data-testid="review-${rewardId}"`);
    expect(page).toContain("Held until your account is activated");
    expect(page).toContain(user.handle);

    const refused = await admin.client.postForm("/admin/review", {
      intent: "decide-review",
      rewardId,
      decision: "reverse",
      reason: "no",
    });
    expect(refused.status).toBe(400);
    expect(await readHtml(refused)).toContain("Give the reason for the decision");
    expect((await getRewardByKey(server.db, reward.key))?.status).toBe("held");

    const reversed = await admin.client.postForm("/admin/review", {
      intent: "decide-review",
      rewardId,
      decision: "reverse",
      reason: "A test post made by a script.",
    });
    expect(reversed.status).toBe(200);
    expect(await readHtml(reversed)).toContain("its owner was notified");
    expect((await getRewardByKey(server.db, reward.key))?.status).toBe("reversed");
    const decision = await server.db
      .selectFrom("reward_review_decisions")
      .selectAll()
      .where("reward_id", "=", reward.rewardId)
      .executeTakeFirst();
    expect(decision).toMatchObject({
      decision: "reversed",
      decided_by: admin.user.id,
      reason: "A test post made by a script.",
    });

    const again = await admin.client.postForm("/admin/review", {
      intent: "decide-review",
      rewardId,
      decision: "approve",
      reason: "Changed my mind about it.",
    });
    expect(again.status).toBe(400);
    expect((await getRewardByKey(server.db, reward.key))?.status).toBe("reversed");
  });
});
