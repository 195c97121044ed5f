import fs from "node:fs";
import path from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import type { BrowserContextOptions, Page } from "playwright-core";
import { expect } from "vitest";

/** Screenshots for a person to look at; no test compares them. */
export const screensDir = "/tmp/tributary-screens";
export const phoneViewport = { width: 390, height: 844 };
const desktopViewport = { width: 1280, height: 900 };

/** The four ways a page must read right: 1280 and 390 px, each in light and dark. */
export const lightAndDarkScreens: { name: string; options: BrowserContextOptions }[] = [
  { name: "1280-light", options: { viewport: desktopViewport, colorScheme: "light" } },
  { name: "1280-dark", options: { viewport: desktopViewport, colorScheme: "dark" } },
  { name: "390-light", options: { viewport: phoneViewport, isMobile: true, colorScheme: "light" } },
  { name: "390-dark", options: { viewport: phoneViewport, isMobile: true, colorScheme: "dark" } },
];

export async function saveScreenshot(page: Page, name: string) {
  fs.mkdirSync(screensDir, { recursive: true });
  await page.screenshot({ path: path.join(screensDir, `${name}.png`), fullPage: true });
}

/**
 * Waits until the Remix client router exists, so interactions exercise the enhanced
 * (client-side) forms and not a native submission that happens to race hydration.
 */
export async function waitForHydration(page: Page) {
  await page.waitForFunction(() => "__remixRouter" in window);
}

export async function expectNoHorizontalScroll(page: Page) {
  const sizes = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(sizes.clientWidth).toBeGreaterThan(0);
  expect(sizes.scrollWidth, `page is wider than the viewport on ${page.url()}`).toBeLessThanOrEqual(
    sizes.clientWidth,
  );
}

/** An axe scan (WCAG 2 A and AA) with no serious or critical findings; prints them if any. */
export async function expectNoSeriousAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      helpUrl: violation.helpUrl,
      nodes: violation.nodes.map((node) => ({
        target: node.target.join(" "),
        html: node.html,
        fix: node.failureSummary,
      })),
    }));
  if (serious.length > 0) {
    console.error(`axe violations on ${page.url()}:\n${JSON.stringify(serious, null, 2)}`);
  }
  expect(serious, `serious/critical axe violations on ${page.url()}`).toEqual([]);
}
