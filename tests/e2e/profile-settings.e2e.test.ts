import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { testImage } from "#tests/core/profiles/images.ts";
import { browserSuite, browserSuiteCanRun } from "#tests/support/browser.ts";
import { createUser } from "#tests/support/factories.ts";
import {
  expectNoHorizontalScroll,
  expectNoSeriousAxeViolations,
  phoneViewport,
  saveScreenshot,
  waitForHydration,
} from "#tests/support/page-checks.ts";

const desktop = { width: 1280, height: 900 };

const screenshot = (page: Page, name: string) => saveScreenshot(page, `profile-${name}`);

/** The avatar's <img> has loaded and decoded (not a broken image). */
async function expectAvatarLoaded(page: Page) {
  const avatar = page.getByTestId("avatar-image");
  await page.waitForFunction(
    (img) => img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0,
    await avatar.elementHandle(),
  );
}

describe.skipIf(!browserSuiteCanRun())("profile settings in a real browser (Chromium)", () => {
  const suite = browserSuite(desktop);
  const { newPage } = suite;

  async function signIn(page: Page, options: { hasJs?: boolean } = {}) {
    const { user, password } = await createUser(suite.server.db, { displayName: "Rosa Park" });
    await page.goto(`${suite.server.url}/signin`);
    if (options.hasJs ?? true) await waitForHydration(page);
    await page.getByLabel("Email", { exact: true }).fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    return user;
  }

  it("uploads an avatar through the form, previews it, and serves it from /media", async () => {
    const page = await newPage();
    const user = await signIn(page);
    await page.goto(`${suite.server.url}/settings`);
    await page.getByRole("link", { name: /Edit your public profile/ }).click();
    await page.waitForURL((url) => url.pathname === "/settings/profile");
    await waitForHydration(page);
    await page.getByRole("heading", { level: 1, name: "Profile" }).waitFor();

    const avatar = page.getByTestId("avatar-image");
    expect(await avatar.getAttribute("src")).toBe(`/avatars/${user.id}.svg`);
    await expectAvatarLoaded(page);
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, "desktop-identicon");

    const png = await testImage("png", { width: 640, height: 480, noise: true });
    await page.getByLabel("Upload a picture").setInputFiles({
      name: "portrait.png",
      mimeType: "image/png",
      buffer: Buffer.from(png),
    });
    await page.getByRole("img", { name: "Preview of the chosen image" }).waitFor();
    expect(await avatar.getAttribute("src")).toMatch(/^blob:/);

    await page.getByRole("button", { name: "Upload avatar" }).click();
    await page.getByRole("status").filter({ hasText: "Your new avatar is saved." }).waitFor();
    await page.getByRole("img", { name: "Your current avatar" }).waitFor();
    const src = await avatar.getAttribute("src");
    expect(src).toMatch(/^\/media\/\d+\.webp$/);
    await expectAvatarLoaded(page);
    expect(await avatar.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(256);

    const served = await page.request.get(`${suite.server.url}${src}`);
    expect(served.status()).toBe(200);
    expect(served.headers()["content-type"]).toBe("image/webp");
    expect(served.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
    await page.getByRole("button", { name: "Remove avatar" }).waitFor();
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, "desktop-uploaded");

    await page.getByRole("button", { name: "Remove avatar" }).click();
    await page.getByRole("status").filter({ hasText: "Your avatar is removed" }).waitFor();
    await expect.poll(() => avatar.getAttribute("src")).toBe(`/avatars/${user.id}.svg`);
  });

  it("refuses a file that is not an image with a message next to the field", async () => {
    const page = await newPage();
    await signIn(page);
    await page.goto(`${suite.server.url}/settings/profile`);
    await waitForHydration(page);
    await page.getByLabel("Upload a picture").setInputFiles({
      name: "not-really.png",
      mimeType: "image/png",
      buffer: Buffer.from("<html><script>alert(1)</script></html>"),
    });
    await page.getByRole("button", { name: "Upload avatar" }).click();
    const error = page.locator("#avatar-error");
    await error.waitFor();
    expect(await error.textContent()).toBe(
      "The file is not a PNG, JPEG, WebP or GIF image, whatever its name says.",
    );
    const input = page.getByLabel("Upload a picture");
    expect(await input.getAttribute("aria-invalid")).toBe("true");
    expect(await input.getAttribute("aria-describedby")).toContain("avatar-error");

    // Over 5 MB: stopped in the browser, before a byte is uploaded.
    const posts: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST") posts.push(request.url());
    });
    await input.setInputFiles({
      name: "huge.png",
      mimeType: "image/png",
      buffer: Buffer.alloc(5 * 1024 * 1024 + 1),
    });
    await page.getByText("The image is larger than 5 MB. Choose a smaller one.").waitFor();
    await page.getByRole("button", { name: "Upload avatar" }).click();
    expect(await input.evaluate((el: HTMLInputElement) => el.validity.customError)).toBe(true);
    expect(posts).toEqual([]);
  });

  it("saves the bio and the earnings choice, and shows a too-long bio's error by the field", async () => {
    const page = await newPage();
    const user = await signIn(page);
    await page.goto(`${suite.server.url}/settings/profile`);
    await waitForHydration(page);
    await page.getByLabel("Bio", { exact: true }).fill("Rivers, games and tiny rewards.");
    await page.getByLabel("Show my earnings on my profile").check();
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    const row = await suite.server.db
      .selectFrom("users")
      .select(["bio", "shows_earnings"])
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ bio: "Rivers, games and tiny rewards.", shows_earnings: true });

    await page.getByLabel("Bio", { exact: true }).fill("x".repeat(281));
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByText("A bio has at most 280 characters (this one has 281).").waitFor();
    expect(await page.getByLabel("Bio", { exact: true }).getAttribute("aria-invalid")).toBe("true");
  });

  it("uploads without JavaScript too", async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await signIn(page, { hasJs: false });
    await page.goto(`${suite.server.url}/settings/profile`);
    await page.getByLabel("Upload a picture").setInputFiles({
      name: "photo.jpg",
      mimeType: "image/jpeg",
      buffer: Buffer.from(await testImage("jpeg", { width: 200, height: 300 })),
    });
    await page.getByRole("button", { name: "Upload avatar" }).click();
    await page.getByText("Your new avatar is saved.").waitFor();
    expect(await page.getByTestId("avatar-image").getAttribute("src")).toMatch(
      /^\/media\/\d+\.webp$/,
    );
    await expectAvatarLoaded(page);
  });

  it("fits a 390px phone screen and passes axe", async () => {
    const page = await newPage({ viewport: phoneViewport });
    await signIn(page);
    await page.goto(`${suite.server.url}/settings/profile`);
    await waitForHydration(page);
    await page.getByLabel("Upload a picture").setInputFiles({
      name: "square.webp",
      mimeType: "image/webp",
      buffer: Buffer.from(await testImage("webp", { width: 500, height: 500, noise: true })),
    });
    await page.getByRole("button", { name: "Upload avatar" }).click();
    await page.getByRole("status").filter({ hasText: "Your new avatar is saved." }).waitFor();
    await expectAvatarLoaded(page);
    await expectNoHorizontalScroll(page);
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, "phone");
  });
});
