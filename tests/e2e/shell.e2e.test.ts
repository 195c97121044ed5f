import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserSuite, browserSuiteCanRun } from "#tests/support/browser.ts";
import { createUser } from "#tests/support/factories.ts";
import {
  expectNoHorizontalScroll,
  expectNoSeriousAxeViolations,
  phoneViewport,
  saveScreenshot,
  waitForHydration,
} from "#tests/support/page-checks.ts";
import { startTestServer } from "#tests/support/test-server.ts";

const desktop = { width: 1280, height: 900 };
const phone = phoneViewport;

type LogLine = { level: number; msg: string; url?: string; status?: number };

/** The width and height a PNG says it has (its IHDR chunk). */
function pngSize(bytes: Buffer) {
  expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe.skipIf(!browserSuiteCanRun())(
  "the app's shell: icons, header, dark scheme, toasts",
  () => {
    const logLines: LogLine[] = [];
    const suite = browserSuite(desktop, {
      startServer: () =>
        startTestServer(
          "pglite",
          {},
          {
            onLogLine: (line) => void logLines.push(JSON.parse(line) as LogLine),
          },
        ),
    });
    const url = (path: string) => `${suite.server.url}${path}`;

    async function signIn(page: Page, options: { isAdmin?: boolean } = {}) {
      const { user, password } = await createUser(suite.server.db);
      if (options.isAdmin) {
        await suite.server.db
          .updateTable("users")
          .set({ is_admin: true })
          .where("id", "=", user.id)
          .execute();
      }
      await page.goto(url("/signin"));
      await waitForHydration(page);
      await page.getByLabel("Email", { exact: true }).fill(user.email);
      await page.getByLabel("Password", { exact: true }).fill(password);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.waitForURL((u) => u.pathname !== "/signin");
      return user;
    }

    /** The header is one row: every item in it sits beside the others, none below. */
    async function expectOneRowHeader(page: Page, maxHeight: number) {
      const banner = page.getByRole("banner");
      const box = await banner.boundingBox();
      expect(box, "the page has no header").not.toBeNull();
      expect(box!.height, `header height on ${page.url()}`).toBeLessThanOrEqual(maxHeight);
      const rows = await banner.evaluate((header) => {
        const row = header.firstElementChild!;
        return [...row.children]
          .map((child) => child.getBoundingClientRect())
          .filter((rect) => rect.width > 0 && rect.height > 0)
          .map((rect) => ({ top: rect.top, bottom: rect.bottom }));
      });
      const firstBottom = Math.min(...rows.map((r) => r.bottom));
      for (const item of rows) expect(item.top).toBeLessThan(firstBottom);
      return box!.height;
    }

    it("serves a valid web app manifest whose icons answer as the images they claim to be", async () => {
      const response = await fetch(url("/manifest.webmanifest"));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/manifest\+json/);
      const manifest = (await response.json()) as {
        name: string;
        short_name: string;
        start_url: string;
        display: string;
        theme_color: string;
        background_color: string;
        icons: { src: string; sizes: string; type: string; purpose?: string }[];
      };
      expect(manifest).toMatchObject({
        name: "Tributary",
        short_name: "Tributary",
        start_url: "/",
        display: "standalone",
      });
      expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
      expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/i);
      const sizes = manifest.icons.map((icon) => `${icon.sizes} ${icon.purpose ?? "any"}`);
      expect(sizes).toEqual(
        expect.arrayContaining(["192x192 any", "512x512 any", "512x512 maskable", "any any"]),
      );
      for (const icon of manifest.icons) {
        const answer = await fetch(url(icon.src));
        expect(answer.status, icon.src).toBe(200);
        expect(answer.headers.get("content-type"), icon.src).toContain(icon.type);
        const bytes = Buffer.from(await answer.arrayBuffer());
        if (icon.type === "image/png") {
          const [width, height] = icon.sizes.split("x").map(Number);
          expect(pngSize(bytes), icon.src).toEqual({ width, height });
        } else {
          expect(bytes.toString("utf8")).toMatch(/^<svg /);
        }
      }
    });

    it("serves /favicon.ico and the apple-touch-icon, and every page links them and the manifest", async () => {
      const favicon = await fetch(url("/favicon.ico"));
      expect(favicon.status).toBe(200);
      expect(favicon.headers.get("content-type")).toMatch(/^image\/(x-icon|vnd\.microsoft\.icon)/);
      const ico = Buffer.from(await favicon.arrayBuffer());
      expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
      expect(ico.readUInt16LE(4)).toBeGreaterThan(0);

      const touch = await fetch(url("/apple-touch-icon.png"));
      expect(touch.status).toBe(200);
      expect(pngSize(Buffer.from(await touch.arrayBuffer()))).toEqual({ width: 180, height: 180 });

      const html = await (await fetch(url("/signin"))).text();
      expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest"/>');
      expect(html).toContain('<link rel="icon" href="/favicon.ico" sizes="32x32"/>');
      expect(html).toContain('<link rel="icon" href="/icon.svg" type="image/svg+xml"/>');
      expect(html).toMatch(/<meta name="theme-color" media="\(prefers-color-scheme: dark\)"/);
    });

    it("logs no warning or error while a browser loads pages (favicon included)", async () => {
      const page = await suite.newPage();
      const failed: string[] = [];
      page.on("response", (response) => {
        if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
      });
      const from = logLines.length;
      await page.goto(url("/"));
      await waitForHydration(page);
      await signIn(page);
      for (const path of ["/", "/feed", "/wallet"]) {
        await page.goto(url(path));
        await waitForHydration(page);
      }
      // A browser asks for /favicon.ico on its own (headless Chromium does not): ask as it would.
      expect(await page.evaluate(() => fetch("/favicon.ico").then((r) => r.status))).toBe(200);
      await expect
        .poll(() => logLines.slice(from).some((line) => line.url === "/favicon.ico"))
        .toBe(true);
      const loud = logLines.slice(from).filter((line) => line.level >= 40);
      expect(loud).toEqual([]);
      expect(failed).toEqual([]);
    });

    it("keeps the phone header to one row, signed out and signed in as an admin, with a menu that holds the rest", async () => {
      const page = await suite.newPage({ viewport: phone, isMobile: true, hasTouch: true });
      await page.goto(url("/"));
      await waitForHydration(page);
      const signedOut = await expectOneRowHeader(page, 64);
      await saveScreenshot(page, "shell-phone-signed-out");

      await signIn(page, { isAdmin: true });
      await page.goto(url("/feed"));
      await waitForHydration(page);
      const signedIn = await expectOneRowHeader(page, 64);
      await expectNoHorizontalScroll(page);
      const banner = page.getByRole("banner");
      await banner.getByTestId("header-balance").waitFor();
      await banner.getByTestId("notifications-link").waitFor();
      await saveScreenshot(page, "shell-phone-signed-in");

      // The sections and the account's links are one tap away, on screen.
      const menu = banner.getByText("Menu", { exact: true });
      await menu.tap();
      const nav = page.getByRole("navigation", { name: "Main" });
      for (const label of ["Feed", "Games", "Tasks", "Wallet"]) {
        const box = await nav.getByRole("link", { name: label, exact: true }).boundingBox();
        expect(box, label).not.toBeNull();
        expect(box!.x).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width).toBeLessThanOrEqual(phone.width);
      }
      for (const label of ["Admin", "Moderation"]) {
        await banner.getByRole("link", { name: label, exact: true }).waitFor();
      }
      await banner.getByRole("button", { name: "Sign out" }).waitFor();
      await saveScreenshot(page, "shell-phone-menu-open");

      // A section from the menu: the menu closes behind the navigation.
      await nav.getByRole("link", { name: "Games", exact: true }).tap();
      await page.waitForURL((u) => u.pathname === "/games");
      await expect.poll(() => nav.isVisible()).toBe(false);
      // Escape closes it too, and focus goes back to its button.
      await menu.tap();
      await nav.waitFor();
      await page.keyboard.press("Escape");
      await expect.poll(() => nav.isVisible()).toBe(false);
      console.info(`phone header height: signed out ${signedOut}px, signed in ${signedIn}px`);
    });

    it("keeps the desktop header to one row with every section and the account in view", async () => {
      const page = await suite.newPage();
      await signIn(page, { isAdmin: true });
      await page.goto(url("/wallet"));
      await waitForHydration(page);
      const height = await expectOneRowHeader(page, 72);
      const nav = page.getByRole("navigation", { name: "Main" });
      for (const label of ["Feed", "Games", "Tasks", "Wallet"]) {
        await nav.getByRole("link", { name: label, exact: true }).waitFor();
      }
      await page.getByRole("button", { name: "Sign out" }).waitFor();
      expect(await page.getByText("Menu", { exact: true }).isVisible()).toBe(false);
      console.info(`desktop header height: ${height}px`);
    });

    it("follows a dark system setting: the page's background and form controls turn dark", async () => {
      const backgroundIn = async (colorScheme: "light" | "dark") => {
        const page = await suite.newPage({ colorScheme });
        await page.goto(url("/signin"));
        return page.evaluate(() => ({
          body: getComputedStyle(document.body).backgroundColor,
          colorScheme: getComputedStyle(document.documentElement).colorScheme,
        }));
      };
      const light = await backgroundIn("light");
      const dark = await backgroundIn("dark");
      expect(dark.body).not.toBe(light.body);
      expect(dark.colorScheme).toBe("light dark");
    });

    for (const [label, viewport] of [
      ["desktop", desktop],
      ["phone", phone],
    ] as const) {
      it(`has no serious axe findings in the dark scheme, signed out and in (${label})`, async () => {
        const page = await suite.newPage({ colorScheme: "dark", viewport });
        for (const path of ["/", "/signin", "/signup", "/feed", "/games"]) {
          await page.goto(url(path));
          await waitForHydration(page);
          await expectNoSeriousAxeViolations(page);
          await saveScreenshot(page, `shell-dark-${label}-out-${path.slice(1) || "home"}`);
        }
        await signIn(page);
        for (const path of ["/", "/feed", "/wallet", "/games", "/tasks", "/settings"]) {
          await page.goto(url(path));
          await waitForHydration(page);
          await expectNoSeriousAxeViolations(page);
          await saveScreenshot(page, `shell-dark-${label}-in-${path.slice(1) || "home"}`);
        }
      }, 120_000);
    }

    for (const [label, viewport] of [
      ["desktop", desktop],
      ["phone", phone],
    ] as const) {
      it(`shows a reward toast away from the header, with how earning works, that waits while read (${label})`, async () => {
        const page = await suite.newPage({ viewport });
        const user = await signIn(page);
        await page.goto(url("/wallet"));
        await waitForHydration(page);
        await page.locator('[role="status"][data-live="connected"]').waitFor({ state: "attached" });
        // The toasts' clocks from here on are the test's to move.
        await page.clock.install();

        const paid = await suite.server.services.rewards.reward({
          actionKind: "post.created",
          userId: user.id,
          causeId: `shell-e2e-${label}-${user.id}`,
          memo: "A toast to read",
        });
        expect(paid.ok).toBe(true);
        const toast = page.getByTestId("reward-toast").filter({ hasText: "A toast to read" });
        await toast.waitFor();
        await saveScreenshot(page, `shell-toast-${label}`);

        const header = (await page.getByRole("banner").boundingBox())!;
        const box = (await toast.boundingBox())!;
        const overlaps =
          box.y < header.y + header.height &&
          header.y < box.y + box.height &&
          box.x < header.x + header.width &&
          header.x < box.x + box.width;
        expect(overlaps, "the toast covers the header").toBe(false);
        expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
        expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);

        const guide = toast.getByRole("link", { name: "How earning works" });
        expect(await guide.getAttribute("href")).toBe("/earning");

        // Someone reading it (pointer over it) keeps it; moving away lets it go.
        await toast.hover();
        await page.clock.runFor(20_000);
        expect(await toast.isVisible()).toBe(true);
        await page.mouse.move(0, 0);
        await page.clock.runFor(9_000);
        await toast.waitFor({ state: "detached" });

        // Dismissed by hand.
        await suite.server.services.rewards.reward({
          actionKind: "post.created",
          userId: user.id,
          causeId: `shell-e2e-${label}-${user.id}-second`,
          memo: "Another toast",
        });
        const second = page.getByTestId("reward-toast").filter({ hasText: "Another toast" });
        await second.getByRole("button", { name: "Dismiss" }).click();
        await second.waitFor({ state: "detached" });
      });
    }
  },
);
