import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { checkInKey } from "#core/rewards/check-in.ts";
import { ensurePlatformDefaults } from "#core/rewards/platform-defaults.ts";
import { getRewardByKey } from "#core/rewards/reward-queries.ts";
import { findRules } from "#core/rewards/reward-rules.repository.ts";
import { createUser, newAccountInput } from "#tests/support/factories.ts";
import { readHtml, TestClient } from "#tests/support/http-client.ts";
import { signUpAndSignInByForm } from "#tests/support/sign-up-flows.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";

type Member = { client: TestClient; userId: UserId; handle: string };

/**
 * A brand-new account, signed up through the form and then signed in (its welcome bonus
 * waits for activation).
 */
async function signedUp(server: TestServer): Promise<Member> {
  const client = new TestClient(server.url);
  const input = newAccountInput();
  await signUpAndSignInByForm(client, input);
  const row = await server.db
    .selectFrom("users")
    .select("id")
    .where("handle", "=", input.handle)
    .executeTakeFirstOrThrow();
  return { client, userId: row.id as UserId, handle: input.handle };
}

/** An account past the new-account review, made before it earned anything, then signed in. */
async function settledIn(server: TestServer, options: { isAdmin?: boolean } = {}) {
  const { user, password } = await createUser(server.db);
  await server.db
    .updateTable("users")
    .set({ created_at: new Date(Date.now() - 60 * 86_400_000), is_admin: options.isAdmin ?? false })
    .where("id", "=", user.id)
    .execute();
  const client = new TestClient(server.url);
  const response = await client.postForm("/signin", { email: user.email, password });
  if (response.status !== 302) throw new Error(`sign-in failed: ${response.status}`);
  return { client, userId: user.id, handle: user.handle } satisfies Member;
}

/** The text of one balance card on the wallet page. */
function card(html: string, key: string): string {
  const match = new RegExp(`data-testid="total-${key}"[^>]*>(.*?)</div>`, "s").exec(html);
  if (!match) throw new Error(`no ${key} card in the wallet page`);
  return match[1]!.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
}

/** A post's reward, held for the rule's day: something the member can appeal. */
async function heldPostReward(server: TestServer, userId: UserId) {
  const paid = await server.services.rewards.reward({
    actionKind: "post.created",
    userId,
    causeId: `held-${userId}`,
    memo: "You posted",
  });
  if (!paid.ok || paid.value.status !== "held") throw new Error(JSON.stringify(paid));
  return (await getRewardByKey(server.db, paid.value.key))!;
}

function historyMemos(html: string): string[] {
  const list = /data-testid="history">(.*?)<\/ul>/s.exec(html)?.[1] ?? "";
  return [...list.matchAll(/<p class="font-medium break-words">(.*?)<\/p>/g)].map((m) => m[1]!);
}

describe.each(testBackends())("wallet pages on %s", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  it("asks a signed-out visitor to sign in first", async () => {
    const response = await new TestClient(server.url).get("/wallet?after=5");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/signin?redirectTo=%2Fwallet%3Fafter%3D5");
  });

  it("after sign-up the wallet shows nothing paid yet and what activation still needs", async () => {
    const { client, userId } = await signedUp(server);
    const response = await client.get("/wallet");
    expect(response.status).toBe(200);
    const html = await readHtml(response);
    expect(card(html, "available")).toContain("0 MICRO");
    expect(card(html, "pending")).toContain("0 MICRO Nothing on hold");
    expect(await getRewardByKey(server.db, `account.welcome:${userId}`)).toBeNull();
    expect(html).toContain('data-testid="activation-notice"');
    expect(html).toContain("Your welcome bonus is paid when your account activates");
    expect(html).toContain("Verify your email address");
    expect(html).toContain("Get a like, a comment or a follow from an established member");
  });

  it("signing up still succeeds when the welcome bonus cannot be granted", async () => {
    await server.db
      .deleteFrom("reward_rules")
      .where("action_kind", "=", "account.welcome")
      .execute();
    onTestFinished(() => ensurePlatformDefaults(server.db));
    const { client, userId } = await signedUp(server);
    expect(await getRewardByKey(server.db, `account.welcome:${userId}`)).toBeNull();
    const html = await readHtml(await client.get("/wallet"));
    expect(card(html, "pending")).toContain("0 MICRO Nothing on hold");
  });

  it("the check-in form pays once a day and says so, without JavaScript", async () => {
    const { client, userId } = await settledIn(server);
    const first = await client.postForm("/wallet", { intent: "check-in" });
    expect(first.status).toBe(200);
    const html = await readHtml(first);
    expect(html).toContain("Checked in: paid into your available balance.");
    expect(card(html, "available")).toContain("0.01 MICRO");
    expect(historyMemos(html)).toEqual(["Daily check-in"]);

    const second = await readHtml(await client.postForm("/wallet", { intent: "check-in" }));
    expect(second).toContain(
      "You already checked in today — the next check-in opens at 00:00 UTC.",
    );
    expect(card(second, "available")).toContain("0.01 MICRO");
    expect(historyMemos(second)).toEqual(["Daily check-in"]);
    const reward = await getRewardByKey(server.db, checkInKey(userId));
    expect(reward).toMatchObject({ status: "available", amount: 10n ** 16n });

    // A fresh visit remembers today's check-in.
    const later = await readHtml(await client.get("/wallet"));
    expect(later).toContain("You checked in today (paid). The next check-in opens at 00:00 UTC.");
  });

  it("a refused check-in shows its reason in words", async () => {
    const { client } = await settledIn(server);
    const admin = await settledIn(server, { isAdmin: true });
    const [rule] = await findRules(server.db, ["checkin.daily"]);
    const save = (isEnabled: boolean) =>
      admin.client.postForm("/admin/rewards", {
        intent: "update-rule",
        actionKind: "checkin.daily",
        amount: rule!.amount.toString(),
        amountUnit: "base",
        dailyCap: "1",
        perTargetDailyCap: "",
        holdSeconds: "0",
        ...(isEnabled ? { isEnabled: "on" } : {}),
      });
    expect((await save(false)).status).toBe(200);
    let html;
    try {
      html = await readHtml(await client.postForm("/wallet", { intent: "check-in" }));
    } finally {
      await save(true);
    }
    expect(html).toContain("Refused: Rewards for daily check-ins are paused.");
    expect(html).toMatch(/Refused — Rewards for daily check-ins are paused\./);
    expect(card(html, "available")).toContain("0 MICRO");
  });

  it("history pages with an Older link, no JavaScript needed", async () => {
    const { client, userId } = await settledIn(server);
    for (let i = 0; i < 23; i++) {
      const result = await server.services.rewards.reward({
        actionKind: "like.received",
        userId,
        causeId: `web-history-${userId}-${i}`,
        targetKey: `liker-${i}`,
        memo: `Like ${String(i).padStart(2, "0")}`,
      });
      expect(result.ok).toBe(true);
    }
    const firstPage = await readHtml(await client.get("/wallet"));
    const firstMemos = historyMemos(firstPage);
    expect(firstMemos).toHaveLength(20);
    expect(firstMemos[0]).toBe("Like 22 (on hold)");
    expect(firstMemos[19]).toBe("Like 03 (on hold)");
    const older = /<a[^>]*href="(\/wallet\?after=(\d+))"[^>]*>Older<\/a>/.exec(firstPage);
    expect(older).not.toBeNull();
    expect(firstPage).not.toContain(">Newest</a>");

    const secondPage = await readHtml(await client.get(older![1]!.replaceAll("&amp;", "&")));
    expect(historyMemos(secondPage)).toEqual([
      "Like 02 (on hold)",
      "Like 01 (on hold)",
      "Like 00 (on hold)",
    ]);
    expect(secondPage).not.toMatch(/>Older<\/a>/);
    expect(secondPage).toMatch(/<a[^>]*href="\/wallet"[^>]*>Newest<\/a>/);
    // A broken cursor starts over instead of failing.
    const broken = await client.get("/wallet?after=banana");
    expect(broken.status).toBe(200);
    expect(historyMemos(await readHtml(broken))[0]).toBe("Like 22 (on hold)");
  });

  it("the appeal form appeals a held reward once and shows the appeal waiting", async () => {
    const { client, userId } = await signedUp(server);
    const welcome = await heldPostReward(server, userId);
    const rewardId = welcome.id.toString();
    const page = await readHtml(await client.get("/wallet"));
    expect(page).toContain(`name="rewardId" value="${rewardId}"`);
    expect(page).toContain("Appeal “You posted”: why should it be reviewed?");

    const tooShort = await client.postForm("/wallet", {
      intent: "appeal",
      rewardId,
      message: "hm",
    });
    expect(tooShort.status).toBe(400);
    expect(await readHtml(tooShort)).toContain("Explain your appeal in 5–1000 characters.");

    const sent = await client.postForm("/wallet", {
      intent: "appeal",
      rewardId,
      message: "I am new, but real.",
    });
    expect(sent.status).toBe(200);
    const html = await readHtml(sent);
    expect(html).toContain("Appeal waiting for a decision");
    expect(html).toContain("“I am new, but real.”");
    expect(html).not.toContain(`name="rewardId" value="${rewardId}"`);

    const again = await client.postForm("/wallet", {
      intent: "appeal",
      rewardId,
      message: "Did you see my appeal?",
    });
    expect(again.status).toBe(400);
    const reward = await getRewardByKey(server.db, `post.created:held-${userId}`);
    expect(reward!.appeal).toMatchObject({ status: "open", message: "I am new, but real." });
  });

  it("a refused appeal keeps what was written in the box, without JavaScript", async () => {
    const { client, userId } = await signedUp(server);
    const welcome = await heldPostReward(server, userId);
    const refused = await client.postForm("/wallet", {
      intent: "appeal",
      rewardId: welcome!.id.toString(),
      message: "why",
    });
    expect(refused.status).toBe(400);
    const html = await readHtml(refused);
    expect(html).toContain("Explain your appeal in 5–1000 characters.");
    expect(html).toMatch(/aria-invalid="true"[^>]*>why<\/textarea>/);
  });

  it("appealing another user's reward finds nothing", async () => {
    const owner = await signedUp(server);
    const stranger = await signedUp(server);
    const welcome = await heldPostReward(server, owner.userId);
    const response = await stranger.client.postForm("/wallet", {
      intent: "appeal",
      rewardId: welcome!.id.toString(),
      message: "Let me have this one.",
    });
    expect(response.status).toBe(404);
    const reward = await getRewardByKey(server.db, `post.created:held-${owner.userId}`);
    expect(reward!.appeal).toBeNull();
  });

  it("the admin page is not found for members and asks visitors to sign in", async () => {
    const member = await signedUp(server);
    const page = await member.client.get("/admin/rewards");
    expect(page.status).toBe(404);
    expect(await readHtml(page)).toContain("We could not find that page");
    const post = await member.client.postForm("/admin/rewards", {
      intent: "update-rule",
      actionKind: "checkin.daily",
      amount: "1000",
      amountUnit: "micro",
      dailyCap: "",
      perTargetDailyCap: "",
      holdSeconds: "0",
      isEnabled: "on",
    });
    expect(post.status).toBe(404);
    const [rule] = await findRules(server.db, ["checkin.daily"]);
    expect(rule!.amount).toBe(10n ** 16n);
    const visitor = await new TestClient(server.url).get("/admin/rewards");
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("location")).toBe("/signin?redirectTo=%2Fadmin%2Frewards");
  });

  it("an admin edits a rule in MICRO or base units, with field errors for bad input", async () => {
    const admin = await settledIn(server, { isAdmin: true });
    const page = await readHtml(await admin.client.get("/admin/rewards"));
    expect(page).toContain("Save likes you give");
    expect(page).toMatch(/Pays .*0\.0002 MICRO.* from the platform budget/);

    const form = {
      intent: "update-rule",
      actionKind: "like.given",
      amountUnit: "micro",
      dailyCap: "40",
      perTargetDailyCap: "",
      holdSeconds: "3600",
      isEnabled: "on",
    };
    const bad = await admin.client.postForm("/admin/rewards", {
      ...form,
      amount: "0.0000000000000000001",
      dailyCap: "-1",
    });
    expect(bad.status).toBe(400);
    const badHtml = await readHtml(bad);
    expect(badHtml).toContain("A cap is a whole number, or empty for none.");
    const badAmount = await readHtml(
      await admin.client.postForm("/admin/rewards", { ...form, amount: "0.0000000000000000001" }),
    );
    expect(badAmount).toContain(
      "Enter a positive amount of MICRO with at most 18 decimals, e.g. 0.01.",
    );
    let [rule] = await findRules(server.db, ["like.given"]);
    expect(rule!.amount).toBe(2n * 10n ** 14n);

    const saved = await admin.client.postForm("/admin/rewards", {
      ...form,
      amount: "0.000300000000000001",
    });
    expect(saved.status).toBe(200);
    expect(await readHtml(saved)).toContain("Saved.");
    [rule] = await findRules(server.db, ["like.given"]);
    expect(rule).toMatchObject({
      amount: 300_000_000_000_001n,
      dailyCap: 40,
      perTargetDailyCap: null,
      holdSeconds: 3600,
      isEnabled: true,
    });

    await admin.client.postForm("/admin/rewards", {
      ...form,
      amount: "200000000000000",
      amountUnit: "base",
      dailyCap: "50",
      perTargetDailyCap: "10",
      holdSeconds: "86400",
    });
    [rule] = await findRules(server.db, ["like.given"]);
    expect(rule).toMatchObject({ amount: 2n * 10n ** 14n, dailyCap: 50, perTargetDailyCap: 10 });
  });

  it("an admin approves an appeal and the member sees the decision and the released reward", async () => {
    const admin = await settledIn(server, { isAdmin: true });
    const member = await signedUp(server);
    const welcome = await heldPostReward(server, member.userId);
    const rewardId = welcome.id.toString();
    await member.client.postForm("/wallet", {
      intent: "appeal",
      rewardId,
      message: "Real person here.",
    });

    const queue = await readHtml(await admin.client.get("/admin/rewards"));
    expect(queue).toContain(`data-testid="appeal-${rewardId}"`);
    expect(queue).toContain(`@${member.handle} · You posted`);
    expect(queue).toContain("“Real person here.”");

    const noReason = await admin.client.postForm("/admin/rewards", {
      intent: "decide-appeal",
      rewardId,
      decision: "approve",
      reason: "",
    });
    expect(noReason.status).toBe(400);
    expect(await readHtml(noReason)).toContain(
      "Give the reason for the decision in 3–1000 characters.",
    );

    const decided = await admin.client.postForm("/admin/rewards", {
      intent: "decide-appeal",
      rewardId,
      decision: "approve",
      reason: "Checked your profile: welcome!",
    });
    expect(decided.status).toBe(200);
    const after = await readHtml(decided);
    expect(after).toContain("Appeal approved.");
    expect(after).not.toContain(`data-testid="appeal-${rewardId}"`);

    const wallet = await readHtml(await member.client.get("/wallet"));
    expect(wallet).toContain("Appeal approved");
    expect(wallet).toContain("Decision: Checked your profile: welcome!");
    expect(card(wallet, "available")).toContain("0.005 MICRO");
    expect(card(wallet, "pending")).toContain("0 MICRO Nothing on hold");
  });
});
