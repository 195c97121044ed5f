import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appealReward } from "#core/rewards/reward.service.ts";
import { createPost } from "#core/social/posts.ts";
import { createUser } from "#tests/support/factories.ts";
import { readHtml, TestClient } from "#tests/support/http-client.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

describe.each(testBackends())("a decided appeal on the notifications page on %s", (backend) => {
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

  /** A newcomer's first post, held for review, appealed. */
  async function appealedPost(userId: Parameters<typeof appealReward>[1]) {
    const posted = await createPost(server.services, userId, { body: "Hello, I am new here" });
    if (!posted.ok) throw new Error(posted.error.message);
    const reward = posted.value.reward!;
    expect(reward.status).toBe("held");
    expect((await appealReward(server.db, userId, reward.rewardId, "I am a real person")).ok).toBe(
      true,
    );
    return reward;
  }

  it("the member reads who decided, the outcome, the amount and the reason, linked to the wallet; a second post of the decision adds nothing", async () => {
    const admin = await signedIn({ isAdmin: true });
    const member = await signedIn();
    const reward = await appealedPost(member.user.id);
    const decide = () =>
      admin.client.postForm("/admin/rewards", {
        intent: "decide-appeal",
        rewardId: String(reward.rewardId),
        decision: "approve",
        reason: "Checked your profile: welcome!",
      });
    expect((await decide()).status).toBe(200);
    expect((await decide()).status).toBe(400);

    const page = await readHtml(await member.client.get("/notifications"));
    const rows = page.split('data-testid="notification"').slice(1);
    const decisions = rows.filter((row) => row.includes("approved your appeal"));
    expect(decisions).toHaveLength(1);
    const [row] = decisions as [string];
    expect(row).toContain('href="/wallet"');
    expect(row).toContain("Reason: Checked your profile: welcome!");
    expect(row).toContain("paid to your wallet");
    expect(row).toContain(`value="${reward.amount}"`);
  });

  it("a denied appeal says so, with the reward still held", async () => {
    const admin = await signedIn({ isAdmin: true });
    const member = await signedIn();
    const reward = await appealedPost(member.user.id);
    const denied = await admin.client.postForm("/admin/rewards", {
      intent: "decide-appeal",
      rewardId: String(reward.rewardId),
      decision: "deny",
      reason: "Your account is still too new.",
    });
    expect(denied.status).toBe(200);
    const page = await readHtml(await member.client.get("/notifications"));
    expect(page).toContain("turned down your appeal");
    expect(page).toContain("still held");
    expect(page).toContain("Reason: Your account is still too new.");
  });
});
