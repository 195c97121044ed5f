import { randomBytes } from "node:crypto";
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { UserId } from "#core/auth/ids.ts";
import { report } from "#core/social/moderation.ts";
import { createPost } from "#core/social/posts.ts";
import { browserSuite, browserSuiteCanRun } from "#tests/support/browser.ts";
import {
  expectNoHorizontalScroll,
  expectNoSeriousAxeViolations,
  phoneViewport,
  saveScreenshot,
  waitForHydration,
} from "#tests/support/page-checks.ts";
import { createUser, earnTrustLevel1 } from "#tests/support/factories.ts";
import { startTestServer } from "#tests/support/test-server.ts";

const desktop = { width: 1280, height: 900 };
const phone = phoneViewport;

const screenshot = (page: Page, name: string) => saveScreenshot(page, `social-${name}`);

type NewUser = { email: string; handle: string; displayName: string; password: string };

function newUser(name: string): NewUser {
  const id = randomBytes(4).toString("hex");
  return {
    email: `${name.toLowerCase()}.${id}@example.com`,
    handle: `${name.toLowerCase()}_${id}`,
    displayName: `${name} ${id.toUpperCase()}`,
    password: `Open-delta-${randomBytes(4).toString("hex")}`,
  };
}

/** A browser that reports script errors and hydration mismatches (a missing favicon does not count). */
function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      problems.push(message.text());
    }
  });
  return problems;
}

function postCard(page: Page, text: string): Locator {
  return page.getByTestId("post-card").filter({ hasText: text });
}

function likeButton(scope: Locator): Locator {
  return scope.getByRole("button", { name: /^Like\b/ }).first();
}

describe.skipIf(!browserSuiteCanRun())("the social network in a real browser (Chromium)", () => {
  // PGlite by default; the real Postgres at TEST_DATABASE_URL when it is set.
  const suite = browserSuite(desktop, {
    startServer: () => startTestServer(process.env.TEST_DATABASE_URL ? "postgres" : "pglite"),
  });
  const { newPage } = suite;
  const url = (path: string) => `${suite.server.url}${path}`;

  async function signUp(page: Page, user: NewUser, options: { hasJs?: boolean } = {}) {
    await page.goto(url("/signup"));
    if (options.hasJs ?? true) await waitForHydration(page);
    await page.getByLabel("Email", { exact: true }).fill(user.email);
    await page.getByLabel("Handle", { exact: true }).fill(user.handle);
    await page.getByLabel("Display name (optional)").fill(user.displayName);
    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Sign up" }).click();
    // Sign-up opens no session: it asks to check the inbox; then sign in with the password.
    await page.getByText(`Check your inbox at ${user.email}`).waitFor();
    await page.goto(url("/signin"));
    if (options.hasJs ?? true) await waitForHydration(page);
    await page.getByLabel("Email", { exact: true }).fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => u.pathname === "/");
    // Signed in (the header's balance; on a phone Sign out sits in the header's menu).
    await page.getByRole("banner").getByTestId("header-balance").waitFor();
    return userId(user.handle);
  }

  async function userId(handle: string): Promise<UserId> {
    const row = await suite.server.db
      .selectFrom("users")
      .select("id")
      .where("handle", "=", handle)
      .executeTakeFirstOrThrow();
    return row.id as UserId;
  }

  /** An account made in the database, signed in through the form. */
  async function signInAs(page: Page, options: { isAdmin?: boolean } = {}) {
    const { user, password } = await createUser(suite.server.db);
    await suite.server.db
      .updateTable("users")
      .set({ is_admin: options.isAdmin ?? false })
      .where("id", "=", user.id)
      .execute();
    await page.goto(url("/signin"));
    await waitForHydration(page);
    await page.getByLabel("Email", { exact: true }).fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => u.pathname === "/");
    return user;
  }

  async function postAs(authorId: UserId, body: string) {
    const created = await createPost(suite.server.services, authorId, { body });
    if (!created.ok) throw new Error(created.error.message);
    return created.value.post;
  }

  async function composePost(page: Page, body: string) {
    await page.goto(url("/feed"));
    await waitForHydration(page);
    await page.getByLabel("Write a post").fill(body);
    await page.getByRole("button", { name: "Post", exact: true }).click();
    await page.waitForURL(
      (u) => u.pathname === "/feed" && u.searchParams.get("tab") === "following",
    );
  }

  it("posts text with a link, a hashtag, a mention and <script> shown as text; badge, follow, Following feed, likes with a reward, comments and replies", async () => {
    const ada = newUser("Ada");
    const bo = newUser("Bo");
    const adaPage = await newPage();
    const boPage = await newPage();
    const adaProblems = collectProblems(adaPage);
    await signUp(adaPage, ada);
    // Bo's post has a link, which takes trust level 1.
    await earnTrustLevel1(suite.server.db, await signUp(boPage, bo));

    // Ada waits on her feed with the live badge connected.
    await adaPage.goto(url("/feed"));
    await waitForHydration(adaPage);
    await adaPage
      .locator('[data-testid="notifications-link"][data-live="connected"]')
      .waitFor({ state: "attached" });
    await adaPage.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    expect(await adaPage.getByTestId("notifications-badge").count()).toBe(0);

    // Bo writes a post; the counter counts as he types.
    const marker = randomBytes(3).toString("hex");
    const body = `Rivers ${marker} with @${ada.handle} — see https://example.com/delta?x=1 #Tributary <script>alert("x")</script>`;
    await boPage.goto(url("/feed"));
    await waitForHydration(boPage);
    await boPage.getByLabel("Write a post").fill(body);
    await boPage.getByText(`${[...body].length} / 500`).waitFor();
    await boPage.getByRole("button", { name: "Post", exact: true }).click();
    await boPage.waitForURL((u) => u.searchParams.get("tab") === "following");
    const card = postCard(boPage, marker);
    await card.waitFor();
    const link = card.getByRole("link", { name: "https://example.com/delta?x=1" });
    expect(await link.getAttribute("href")).toBe("https://example.com/delta?x=1");
    expect(await link.getAttribute("rel")).toBe("nofollow ugc noopener");
    expect(await card.getByRole("link", { name: "#Tributary" }).getAttribute("href")).toBe(
      "/tags/tributary",
    );
    expect(await card.getByRole("link", { name: `@${ada.handle}` }).getAttribute("href")).toBe(
      `/u/${ada.handle}`,
    );
    expect(await card.innerText()).toContain(`<script>alert("x")</script>`);
    expect(await card.locator("script").count()).toBe(0);
    expect(await boPage.getByLabel("Write a post").inputValue()).toBe("");

    // The mention reaches Ada's badge live, without a reload.
    await adaPage.getByTestId("notifications-badge").getByText("1", { exact: true }).waitFor();
    expect(
      await adaPage.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
    ).toBe(true);

    // Ada follows the mention's author from his profile; the count moves at once.
    await adaPage.goto(url(`/u/${bo.handle}`));
    await waitForHydration(adaPage);
    await adaPage.getByRole("heading", { level: 1, name: bo.displayName }).waitFor();
    expect(await adaPage.getByTestId("count-followers").innerText()).toBe("0");
    await adaPage.getByRole("button", { name: `Follow ${bo.displayName}` }).click();
    await adaPage.getByRole("button", { name: `Following ${bo.displayName}` }).waitFor();
    expect(await adaPage.getByTestId("count-followers").innerText()).toBe("1");
    await expect
      .poll(async () =>
        suite.server.db
          .selectFrom("follows")
          .select("followee_id")
          .where("follower_id", "=", await userId(ada.handle))
          .execute(),
      )
      .toHaveLength(1);
    await adaPage.reload();
    await adaPage.getByRole("button", { name: `Following ${bo.displayName}` }).waitFor();

    // Her Following feed now has his post; she likes it with JavaScript.
    await adaPage.goto(url("/feed?tab=following"));
    await waitForHydration(adaPage);
    const adaCard = postCard(adaPage, marker);
    await adaCard.waitFor();
    const like = likeButton(adaCard);
    expect(await like.getAttribute("aria-pressed")).toBe("false");
    expect(await adaCard.getByTestId("like-count").innerText()).toBe("0");
    // The server is slowed down, so what shows before it answers is the optimistic state.
    let releaseLike = () => {};
    const likeHeld = new Promise<void>((resolve) => (releaseLike = resolve));
    await adaPage.route(/\/posts\/\d+\/like/, async (route) => {
      await likeHeld;
      await route.continue();
    });
    await like.click();
    await expect.poll(() => like.getAttribute("aria-pressed")).toBe("true");
    expect(await adaCard.getByTestId("like-count").innerText()).toBe("1");
    expect(await adaCard.getByTestId("like-reward").innerText()).toBe("");
    releaseLike();
    await adaCard.getByTestId("like-reward").getByText("+0.0002 MICRO pending").waitFor();
    await adaPage.unroute(/\/posts\/\d+\/like/);
    await adaPage
      .getByTestId("reward-toast")
      .filter({ hasText: `+0.0002 MICRO · You liked ${bo.displayName}'s post` })
      .waitFor();
    await screenshot(adaPage, "desktop-feed-liked");
    const post = await suite.server.db
      .selectFrom("posts")
      .select(["id", "like_count"])
      .where("body", "like", `%${marker}%`)
      .executeTakeFirstOrThrow();
    expect(post.like_count).toBe(1);
    // The card stayed where it was (no reload) and unliking flips it back.
    await like.click();
    // React renders the optimistic count after the click's event handler returns.
    await expect.poll(() => adaCard.getByTestId("like-count").innerText()).toBe("0");
    await expect
      .poll(
        async () =>
          (
            await suite.server.db
              .selectFrom("posts")
              .select("like_count")
              .where("id", "=", post.id)
              .executeTakeFirstOrThrow()
          ).like_count,
      )
      .toBe(0);
    await like.click();
    await expect.poll(() => adaCard.getByTestId("like-count").innerText()).toBe("1");

    // Ada comments on the post page; Bo replies to her comment.
    await adaCard.getByRole("link", { name: /^Comments:/ }).click();
    await adaPage.waitForURL((u) => u.pathname === `/p/${post.id}`);
    await waitForHydration(adaPage);
    await adaPage.getByLabel("Write a comment").fill(`Lovely ${marker}, #rivers forever`);
    await adaPage.getByRole("button", { name: "Comment", exact: true }).click();
    const adaComment = adaPage.getByTestId("comment").filter({ hasText: `Lovely ${marker}` });
    await adaComment.waitFor();
    expect(await adaPage.getByLabel("Write a comment").inputValue()).toBe("");

    await boPage.goto(url(`/p/${post.id}`));
    await waitForHydration(boPage);
    const thread = boPage.getByTestId("comment").filter({ hasText: `Lovely ${marker}` });
    await thread.locator("summary", { hasText: "Reply" }).click();
    await boPage.getByLabel(`Reply to ${ada.displayName}`).fill("Thank you!");
    await boPage.getByRole("button", { name: "Reply", exact: true }).click();
    const replies = boPage.getByRole("list", { name: `Replies to ${ada.displayName}` });
    await replies.getByText("Thank you!").waitFor();
    // Bo likes Ada's comment.
    const commentLike = likeButton(boPage.getByTestId("comment").filter({ hasText: `Lovely` }));
    await commentLike.click();
    expect(await commentLike.getAttribute("aria-pressed")).toBe("true");
    await screenshot(boPage, "desktop-post-thread");

    // Bo's notifications, in words; the badge empties. (The like on his post was undone
    // and redone, so its reward was reversed and none shows.)
    await boPage.goto(url("/notifications"));
    await waitForHydration(boPage);
    const notifications = boPage.getByTestId("notification");
    await notifications.filter({ hasText: `${ada.displayName} liked your post` }).waitFor();
    await notifications.filter({ hasText: `${ada.displayName} commented on your post` }).waitFor();
    await notifications.filter({ hasText: `${ada.displayName} followed you` }).waitFor();
    expect(await boPage.getByTestId("notifications-badge").count()).toBe(0);
    await screenshot(boPage, "desktop-notifications");

    // Ada's: the mention, the reply, and the like on her comment with what it earned her.
    await adaPage.goto(url("/notifications"));
    const adaNotifications = adaPage.getByTestId("notification");
    await adaNotifications
      .filter({ hasText: `${bo.displayName} mentioned you in a post` })
      .waitFor();
    await adaNotifications
      .filter({ hasText: `${bo.displayName} replied to your comment` })
      .waitFor();
    const commentLiked = adaNotifications.filter({
      hasText: `${bo.displayName} liked your comment`,
    });
    expect(await commentLiked.innerText()).toContain("+0.001 MICRO pending");
    expect(adaProblems).toEqual([]);
  }, 120_000);

  it("infinite scroll appends the next page of a feed in place", async () => {
    const author = await createUser(suite.server.db);
    const marker = randomBytes(3).toString("hex");
    for (let i = 1; i <= 25; i++) await postAs(author.user.id, `Scroll ${marker} item ${i}.`);
    const page = await newPage();
    const problems = collectProblems(page);
    await signInAs(page);
    await page.goto(url(`/u/${author.user.handle}`));
    await waitForHydration(page);
    const cards = page.getByTestId("post-card");
    await postCard(page, `Scroll ${marker} item 25.`).waitFor();
    expect(await cards.count()).toBe(20);
    const older = page.getByRole("link", { name: "Older posts" });
    expect(await older.getAttribute("href")).toMatch(/^\/u\/[^?]+\?after=/);
    const before = page.url();
    await page.mouse.wheel(0, 20_000);
    await postCard(page, `Scroll ${marker} item 1.`).waitFor();
    expect(await cards.count()).toBe(25);
    expect(page.url()).toBe(before);
    await page.getByText("You are all caught up.").waitFor();
    expect(problems).toEqual([]);
  });

  it("works without JavaScript on a phone: composer errors, liking, and the older-posts link", async () => {
    const author = await createUser(suite.server.db);
    const marker = randomBytes(3).toString("hex");
    for (let i = 1; i <= 22; i++) await postAs(author.user.id, `Phone ${marker} post ${i}.`);
    const page = await newPage({ viewport: phone, javaScriptEnabled: false });
    const me = newUser("Cy");
    await signUp(page, me, { hasJs: false });

    // Bad input: a clear message, nothing written.
    await page.goto(url("/feed"));
    await page.getByRole("button", { name: "Post", exact: true }).click();
    await page.getByText("Write something in your post.").waitFor();
    await page.getByLabel("Write a post").fill("x".repeat(501));
    await page.getByRole("button", { name: "Post", exact: true }).click();
    await page.getByText("A post has at most 500 characters; this one has 501.").waitFor();
    expect(await page.getByLabel("Write a post").inputValue()).toHaveLength(501);
    const written = await suite.server.db
      .selectFrom("posts")
      .select("id")
      .where("author_id", "=", await userId(me.handle))
      .execute();
    expect(written).toEqual([]);

    // Following the author without JavaScript, from his profile.
    await page.goto(url(`/u/${author.user.handle}`));
    await page.getByRole("button", { name: `Follow ${author.user.displayName}` }).click();
    await page.getByRole("button", { name: `Following ${author.user.displayName}` }).waitFor();
    expect(await page.getByTestId("count-followers").innerText()).toBe("1");

    // Liking posts and comes back to the same card.
    await page.goto(url("/feed?tab=following"));
    const card = postCard(page, `Phone ${marker} post 22.`);
    await likeButton(card).click();
    await page.waitForURL((u) => u.hash.startsWith("#post-"));
    expect(await likeButton(card).getAttribute("aria-pressed")).toBe("true");
    expect(await card.getByTestId("like-count").innerText()).toBe("1");
    await expectNoHorizontalScroll(page);
    await screenshot(page, "phone-feed-no-js");

    // The next page is a link.
    await page.getByRole("link", { name: "Older posts" }).click();
    await page.waitForURL((u) => u.searchParams.has("after"));
    await postCard(page, `Phone ${marker} post 1.`).waitFor();
    expect(await postCard(page, `Phone ${marker} post 22.`).count()).toBe(0);
  });

  it("a report reaches the moderators; hiding takes the post out of every feed", async () => {
    const writer = newUser("Dee");
    const reader = newUser("Eli");
    const writerPage = await newPage();
    const readerPage = await newPage();
    await signUp(writerPage, writer);
    const readerId = await signUp(readerPage, reader);
    const marker = randomBytes(3).toString("hex");
    await composePost(writerPage, `Buy cheap followers ${marker} #spam`);

    await readerPage.goto(url("/feed?tab=discover"));
    await waitForHydration(readerPage);
    const card = postCard(readerPage, marker);
    await card.locator("summary").click();
    await card.getByRole("link", { name: "Report post" }).click();
    await readerPage.waitForURL((u) => u.pathname === "/report");
    await readerPage.getByRole("heading", { name: "Report this post" }).waitFor();
    await readerPage.getByRole("button", { name: "Send report" }).click();
    await readerPage.getByText("Say what is wrong in 1–500 characters.").waitFor();
    await readerPage.getByLabel("What is wrong with it?").fill("Spam: selling followers");
    await readerPage.getByRole("button", { name: "Send report" }).click();
    await readerPage.getByText("Thank you — the moderators will look at it.").waitFor();

    // Not for members.
    const notFound = await readerPage.goto(url("/admin/moderation"));
    expect(notFound?.status()).toBe(404);

    const adminPage = await newPage();
    await signInAs(adminPage, { isAdmin: true });
    await adminPage.getByRole("link", { name: "Moderation" }).click();
    await adminPage.waitForURL((u) => u.pathname === "/admin/moderation");
    await waitForHydration(adminPage);
    const item = adminPage.getByRole("listitem").filter({ hasText: marker });
    await item.getByText(`Post reported by @${reader.handle}`).waitFor();
    await item.getByText("“Spam: selling followers”").waitFor();
    await item.getByLabel(/^Note on report/).fill("Spam, hidden.");
    await screenshot(adminPage, "desktop-moderation");
    await item.getByRole("button", { name: "Hide post" }).click();
    await adminPage
      .getByRole("status")
      .getByText(/content hidden\.$/)
      .waitFor();
    await adminPage
      .getByRole("listitem")
      .filter({ hasText: marker })
      .waitFor({ state: "detached" });

    // Gone from the feeds, the hashtag and its own page.
    await readerPage.goto(url("/feed?tab=discover"));
    await readerPage.getByRole("heading", { level: 1, name: "Feed" }).waitFor();
    expect(await postCard(readerPage, marker).count()).toBe(0);
    await readerPage.goto(url("/tags/spam"));
    expect(await postCard(readerPage, marker).count()).toBe(0);
    const post = await suite.server.db
      .selectFrom("posts")
      .select(["id", "hidden_at"])
      .where("body", "like", `%${marker}%`)
      .executeTakeFirstOrThrow();
    expect(post.hidden_at).not.toBeNull();
    expect((await readerPage.goto(url(`/p/${post.id}`)))?.status()).toBe(404);
    expect(readerId).toBeTruthy();
  }, 120_000);

  it("refuses what it should: signed-out and cross-site posts, unknown pages, bad cursors", async () => {
    const author = await createUser(suite.server.db);
    const post = await postAs(author.user.id, "A post to poke at");
    const page = await newPage();
    await page.goto(url("/feed"));
    const origin = { Origin: suite.server.url };

    const signedOut = await page.request.post(url(`/posts/${post.id}/like`), {
      form: { intent: "like", redirectTo: `/p/${post.id}` },
      headers: origin,
      maxRedirects: 0,
    });
    expect(signedOut.status()).toBe(302);
    expect(signedOut.headers().location).toBe(
      `/signin?${new URLSearchParams({ redirectTo: `/p/${post.id}` })}`,
    );
    const crossSite = await page.request.post(url(`/posts/${post.id}/like`), {
      form: { intent: "like" },
      headers: { Origin: "https://evil.example" },
      maxRedirects: 0,
    });
    expect(crossSite.status()).toBe(403);

    for (const path of [
      "/p/99999999",
      "/p/abc",
      "/u/nobody_at_all",
      "/tags/%21%21",
      "/report?post=99999999",
    ]) {
      const response = await page.request.get(url(path), { maxRedirects: 0 });
      expect(response.status(), path).toBe(path.startsWith("/report") ? 302 : 404);
    }
    const badCursor = await page.goto(url("/feed?tab=discover&after=not-a-cursor"));
    expect(badCursor?.status()).toBe(400);
    await page.getByRole("alert").getByText("That page cursor is not valid here").waitFor();
    const likes = await suite.server.db
      .selectFrom("post_likes")
      .select("user_id")
      .where("post_id", "=", post.id)
      .execute();
    expect(likes).toEqual([]);
  });

  it("has no serious axe violations on the feed, post, profile, notifications and moderation pages, on desktop and phone", async () => {
    const admin = await createUser(suite.server.db);
    await suite.server.db
      .updateTable("users")
      .set({
        is_admin: true,
        bio: "Moderator of rivers and deltas. Likes long walks by the water.",
      })
      .where("id", "=", admin.user.id)
      .execute();
    const friend = await createUser(suite.server.db);
    await earnTrustLevel1(suite.server.db, friend.user.id);
    const marker = randomBytes(3).toString("hex");
    const first = await postAs(
      friend.user.id,
      `Morning on the delta ${marker}: the tide is out and the herons are fishing. https://example.com/herons #birds @${admin.user.handle}`,
    );
    await postAs(friend.user.id, `Short one ${marker} #birds`);
    const reported = await report(
      suite.server.db,
      friend.user.id,
      { kind: "user", id: admin.user.id },
      "Testing the queue",
    );
    expect(reported.ok).toBe(true);
    const spam = await postAs(admin.user.id, `Unwanted ${marker}`);
    const filed = await report(
      suite.server.db,
      friend.user.id,
      { kind: "post", id: spam.id },
      "Off topic",
    );
    expect(filed.ok).toBe(true);

    for (const [label, viewport] of [
      ["desktop", desktop],
      ["phone", phone],
    ] as const) {
      const page = await newPage({ viewport });
      await page.goto(url("/signin"));
      await waitForHydration(page);
      await page.getByLabel("Email", { exact: true }).fill(admin.user.email);
      await page.getByLabel("Password", { exact: true }).fill(admin.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((u) => u.pathname === "/");

      const pages = [
        ["feed", "/feed?tab=discover", "Feed"],
        ["post", `/p/${first.id}`, null],
        ["profile", `/u/${friend.user.handle}`, friend.user.displayName],
        ["notifications", "/notifications", "Notifications"],
        ["moderation", "/admin/moderation", "Moderation"],
      ] as const;
      for (const [name, path, heading] of pages) {
        await page.goto(url(path));
        await waitForHydration(page);
        if (heading) await page.getByRole("heading", { level: 1, name: heading }).waitFor();
        await expectNoSeriousAxeViolations(page);
        await expectNoHorizontalScroll(page);
        await screenshot(page, `${label}-${name}`);
      }
    }
  }, 240_000);
});
