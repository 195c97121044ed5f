import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { checkInKey } from "#core/rewards/check-in.ts";
import { ensurePlatformDefaults } from "#core/rewards/platform-defaults.ts";
import { getRewardByKey } from "#core/rewards/reward-queries.ts";
import { findRules } from "#core/rewards/reward-rules.repository.ts";
import { listWalletEntries } from "#core/wallet/wallet.service.ts";
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
    // Checked in: the button is gone until tomorrow.
    expect(html).not.toContain('value="check-in"');

    const second = await readHtml(await client.postForm("/wallet", { intent: "check-in" }));
    expect(second).toContain(
      "You already checked in today — the next check-in opens at 00:00 UTC.",
    );
    expect(card(second, "available")).toContain("0.01 MICRO");
    expect(historyMemos(second)).toEqual(["Daily check-in"]);
    const reward = await getRewardByKey(server.db, checkInKey(userId));
    expect(reward).toMatchObject({ status: "available", amount: 10n ** 16n });

    // A fresh visit remembers today's check-in, and offers no button to press again.
    const later = await readHtml(await client.get("/wallet"));
    expect(later).toContain("You checked in today (paid). The next check-in opens at 00:00 UTC.");
    expect(later).not.toContain("Check in for today");
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
    const older = /<a[^>]*href="(\/wallet\?after=(\d+))#history-heading"[^>]*>Older<\/a>/.exec(
      firstPage,
    );
    expect(older).not.toBeNull();
    expect(firstPage).not.toContain(">Newest</a>");

    const secondPage = await readHtml(await client.get(older![1]!.replaceAll("&amp;", "&")));
    expect(historyMemos(secondPage)).toEqual([
      "Like 02 (on hold)",
      "Like 01 (on hold)",
      "Like 00 (on hold)",
    ]);
    expect(secondPage).not.toMatch(/>Older<\/a>/);
    expect(secondPage).toMatch(/<a[^>]*href="\/wallet#history-heading"[^>]*>Newest<\/a>/);
    // A broken cursor starts over instead of failing.
    const broken = await client.get("/wallet?after=banana");
    expect(broken.status).toBe(200);
    expect(historyMemos(await readHtml(broken))[0]).toBe("Like 22 (on hold)");
  });

  it("one appeal per held group: it appeals every reward of the group once and shows the appeal waiting", async () => {
    const { client, userId } = await signedUp(server);
    const held = await heldPostReward(server, userId);
    expect(held.reason?.code).toBe("risk_review");
    const page = await readHtml(await client.get("/wallet"));
    expect(page).toContain('name="groupKey" value="held:risk_review"');
    expect(page).toContain("Held for review · 1 reward");
    expect(page).toContain("Why should a person look at this reward again?");

    const tooShort = await client.postForm("/wallet", {
      intent: "appeal-group",
      groupKey: "held:risk_review",
      message: "hm",
    });
    expect(tooShort.status).toBe(400);
    expect(await readHtml(tooShort)).toContain("Explain your appeal in 5–1000 characters.");

    const sent = await client.postForm("/wallet", {
      intent: "appeal-group",
      groupKey: "held:risk_review",
      message: "I am new, but real.",
    });
    expect(sent.status).toBe(200);
    const html = await readHtml(sent);
    expect(html).toContain("Appeal waiting for a decision");
    expect(html).toContain("“I am new, but real.”");
    expect(html).not.toContain('name="groupKey" value="held:risk_review"');

    // A retry (a double submit, a resent form) opens nothing more and is no error.
    const again = await client.postForm("/wallet", {
      intent: "appeal-group",
      groupKey: "held:risk_review",
      message: "Did you see my appeal?",
    });
    expect(again.status).toBe(200);
    const reward = await getRewardByKey(server.db, `post.created:held-${userId}`);
    expect(reward!.appeal).toMatchObject({ status: "open", message: "I am new, but real." });
  });

  it("twenty held and refused rewards read as a few group lines with at most one appeal form each", async () => {
    const { client, userId } = await signedUp(server);
    const pay = (actionKind: string, causeId: string, targetKey?: string) =>
      server.services.rewards.reward({
        actionKind,
        userId,
        causeId: `${causeId}-${userId}`,
        targetKey: targetKey ?? null,
        memo: `${actionKind} ${causeId}`,
      });
    // 12 posts (the 11th and 12th over the daily cap) and 8 likes from 4 likers (a second
    // like from the same liker is over its cap): 14 held for review, 6 refused.
    for (let i = 0; i < 12; i++) await pay("post.created", `post-${i}`);
    for (let i = 0; i < 8; i++) await pay("like.received", `like-${i}`, `liker-${i % 4}`);
    const html = await readHtml(await client.get("/wallet"));
    const lines = [...html.matchAll(/data-testid="held-group-([a-z_:]+)"/g)].map((m) => m[1]);
    expect(lines.sort()).toEqual(["held:risk_review", "refused:daily_cap", "refused:target_cap"]);
    expect(html).toContain("Held for review · 14 rewards");
    expect(html).toContain("Refused: daily cap reached · 2 rewards");
    expect(html).toContain("Refused: daily cap from one source reached · 4 rewards");
    expect(html.match(/<textarea/g)).toHaveLength(3);
    for (const key of lines) {
      expect(html.split(`name="groupKey" value="${key}"`)).toHaveLength(2);
    }
    // The newest ten of a group are listed inside its details, not as forms.
    expect(html).toContain("Show the newest 10 of 14");
  });

  it("a timed hold releases by itself: a date, and no appeal form", async () => {
    const { client, userId } = await settledIn(server);
    await server.db
      .updateTable("users")
      .set({ activated_at: new Date() })
      .where("id", "=", userId)
      .execute();
    const held = await heldPostReward(server, userId);
    expect(held.reason?.code).toBe("hold_period");
    const html = await readHtml(await client.get("/wallet"));
    expect(html).toContain("Pending while they can still be undone · 1 reward");
    expect(html).toContain("The first releases");
    expect(html).not.toContain("<textarea");
    const refused = await client.postForm("/wallet", {
      intent: "appeal-group",
      groupKey: "held:hold_period",
      message: "Please release it now.",
    });
    expect(refused.status).toBe(400);
    expect(await readHtml(refused)).toContain("These rewards release by themselves");
  });

  it("a refused appeal keeps what was written in the box, without JavaScript", async () => {
    const { client, userId } = await signedUp(server);
    await heldPostReward(server, userId);
    const refused = await client.postForm("/wallet", {
      intent: "appeal-group",
      groupKey: "held:risk_review",
      message: "why",
    });
    expect(refused.status).toBe(400);
    const html = await readHtml(refused);
    expect(html).toContain("Explain your appeal in 5–1000 characters.");
    expect(html).toMatch(/<details[^>]*open=""/);
    expect(html).toMatch(/aria-invalid="true"[^>]*>why<\/textarea>/);
  });

  it("appealing a group the member has nothing in finds nothing, and another user's rewards stay unappealed", async () => {
    const owner = await signedUp(server);
    const stranger = await signedUp(server);
    await heldPostReward(server, owner.userId);
    const response = await stranger.client.postForm("/wallet", {
      intent: "appeal-group",
      groupKey: "held:risk_review",
      message: "Let me have this one.",
    });
    expect(response.status).toBe(404);
    expect(await readHtml(response)).toContain("No such group of rewards in your wallet.");
    const reward = await getRewardByKey(server.db, `post.created:held-${owner.userId}`);
    expect(reward!.appeal).toBeNull();
  });

  it("the history filters by stream with plain links, pages within the filter, and ignores a made-up stream", async () => {
    const { client, userId } = await settledIn(server);
    await client.postForm("/wallet", { intent: "check-in" });
    for (let i = 0; i < 22; i++) {
      await server.services.rewards.reward({
        actionKind: "like.received",
        userId,
        causeId: `filter-${userId}-${i}`,
        targetKey: `liker-${i}`,
        memo: `Like ${String(i).padStart(2, "0")}`,
      });
    }
    const daily = await readHtml(await client.get("/wallet?stream=daily"));
    expect(historyMemos(daily)).toEqual(["Daily check-in"]);
    expect(daily).toMatch(
      /<a aria-current="page"[^>]*href="\/wallet\?stream=daily#history-heading">Daily habits<\/a>/,
    );
    expect(daily).toContain('href="/wallet/history.csv?stream=daily"');

    const social = await readHtml(await client.get("/wallet?stream=social"));
    expect(historyMemos(social)).toHaveLength(20);
    expect(historyMemos(social)).not.toContain("Daily check-in");
    const older =
      /<a[^>]*href="(\/wallet\?stream=social&amp;after=\d+)#history-heading"[^>]*>Older<\/a>/.exec(
        social,
      );
    expect(older).not.toBeNull();
    const next = await readHtml(await client.get(older![1]!.replaceAll("&amp;", "&")));
    expect(historyMemos(next)).toEqual(["Like 01 (on hold)", "Like 00 (on hold)"]);

    const madeUp = await client.get("/wallet?stream=lottery");
    expect(madeUp.status).toBe(200);
    expect(historyMemos(await readHtml(madeUp))).toHaveLength(20);
  });

  it("the history downloads as exact, formula-safe CSV, all of it, only the member's own", async () => {
    const { client, userId } = await settledIn(server);
    const stranger = await settledIn(server);
    await stranger.client.postForm("/wallet", { intent: "check-in" });
    await client.postForm("/wallet", { intent: "check-in" });
    const like = (i: number, memo: string) =>
      server.services.rewards.reward({
        actionKind: "like.received",
        userId,
        causeId: `csv-${userId}-${i}`,
        targetKey: `liker-${i}`,
        memo,
      });
    // More than one page of the export (500 entries), so all of it must be paged through.
    await Promise.all(Array.from({ length: 497 }, (_, i) => like(i + 3, "Filler")));
    const memos = ['=HYPERLINK("http://x")', 'Ada, who said "hi"', "plain"];
    for (const [i, memo] of memos.entries()) await like(i, memo);

    const response = await client.get("/wallet/history.csv");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    const day = new Date().toISOString().slice(0, 10);
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="tributary-wallet-${day}.csv"`,
    );
    const text = await response.text();
    const entries = await listWalletEntries(server.db, userId, { limit: 1000 });
    expect(entries).toHaveLength(501);
    const at = entries.map((e) => e.createdAt.toISOString());
    const like0001 = "0.001,1000000000000000,pending";
    expect(text).toBe(
      [
        "date,stream,description,amount,amount_base_units,balance",
        `${at[0]},social,plain (on hold),${like0001}`,
        `${at[1]},social,"Ada, who said ""hi"" (on hold)",${like0001}`,
        `${at[2]},social,"'=HYPERLINK(""http://x"") (on hold)",${like0001}`,
        ...at.slice(3, 500).map((date) => `${date},social,Filler (on hold),${like0001}`),
        `${at[500]},daily,Daily check-in,0.01,10000000000000000,available`,
        "",
      ].join("\r\n"),
    );

    const daily = await client.get("/wallet/history.csv?stream=daily");
    expect(daily.headers.get("content-disposition")).toBe(
      `attachment; filename="tributary-wallet-daily-${day}.csv"`,
    );
    expect(await daily.text()).toBe(
      `date,stream,description,amount,amount_base_units,balance\r\n${at[500]},daily,Daily check-in,0.01,10000000000000000,available\r\n`,
    );

    const visitor = await new TestClient(server.url).get("/wallet/history.csv");
    expect(visitor.status).toBe(302);
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
      intent: "appeal-group",
      groupKey: "held:risk_review",
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
    expect(wallet).toContain("Appeal approved for 1 reward");
    expect(wallet).toContain("Decision: Checked your profile: welcome!");
    expect(card(wallet, "available")).toContain("0.005 MICRO");
    expect(card(wallet, "pending")).toContain("0 MICRO Nothing on hold");
  });
});
