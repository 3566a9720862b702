import { existsSync, mkdirSync } from "fs";
import { join } from "path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { CONTROL_DIR, createHarness, type Harness, type HarnessOptions } from "../../src/harness/server";
import { testBrowser } from "./chromium";

export { testBrowser };

export const SCREENSHOTS = join(__dirname, "..", "..", "test-output", "screenshots");

const DEFAULT_VIEWPORT = { width: 1100, height: 900 };

export interface Session {
  harness: Harness;
  url: string;
  browser: Browser;
  /**
   * One browser profile for the test file, as an admin's browser is: pages share its HTTP cache, so
   * the platform libraries load once (and tests meet cached responses the way a real browser would).
   */
  context: BrowserContext;
  /** A new tab in the file's browser profile, at the given size. */
  newPage: (viewport?: { width: number; height: number }) => Promise<Page>;
  close: () => Promise<void>;
}

/** The harness on a free loopback port and a browser profile of its own for a test file, in the run's shared browser. */
export async function startSession(options: HarnessOptions = {}): Promise<Session> {
  // Without the built control every form would wait out its timeouts: say so at once instead.
  if (!existsSync(join(CONTROL_DIR, "bundle.js")))
    throw new Error(
      `The control is not built (${join(CONTROL_DIR, "bundle.js")} is missing): run npm run build, or npm test, which builds first.`,
    );
  const harness = createHarness(options);
  let url: string;
  let browser: Browser | undefined;
  let context: BrowserContext;
  try {
    url = await harness.app.listen({ host: "127.0.0.1", port: 0 });
    browser = await testBrowser();
    context = await browser.newContext({ viewport: DEFAULT_VIEWPORT });
  } catch (error) {
    // Nothing may stay open when setup fails, or jest waits on it.
    await browser?.close();
    await harness.app.close();
    throw error;
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    harness,
    url,
    browser,
    context,
    newPage: async (viewport) => {
      const page = await context.newPage();
      if (viewport) await page.setViewportSize(viewport);
      return page;
    },
    close: async () => {
      await browser.close();
      await harness.app.close();
    },
  };
}

export interface OpenedForm {
  page: Page;
  /** Console errors and page errors seen so far (the browser's own notes on failed requests aside). */
  errors: string[];
  /** Web API answers of 400 and above, as "STATUS METHOD path". */
  failedRequests: string[];
}

/**
 * What goes wrong on a page, as it happens: console errors and uncaught exceptions, and answers of
 * 400 and above as "STATUS METHOD path". Chromium also logs every failed load to the console as
 * "Failed to load resource"; those are counted as failed requests instead.
 */
export function watchPage(page: Page): { errors: string[]; failedRequests: string[] } {
  const errors: string[] = [];
  const failedRequests: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("response", (response) => {
    if (response.status() >= 400)
      failedRequests.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
  });
  return { errors, failedRequests };
}

/**
 * Opens a user's form in a fresh page and waits for the control; for a user who is not a service
 * account it opens the conversion view, so the checklist is there either way.
 */
export async function openUser(
  session: Session,
  userId: string,
  query: Record<string, string> = {},
  viewport?: { width: number; height: number },
): Promise<OpenedForm> {
  const page = await session.newPage(viewport);
  const { errors, failedRequests } = watchPage(page);
  const params = new URLSearchParams({ user: userId, ...query });
  await page.goto(`${session.url}/?${params.toString()}`);
  await page.waitForFunction(() => (window as unknown as { __harnessReady?: boolean }).__harnessReady === true);
  await page.locator('span[data-tone]:has-text(":") strong').last().waitFor();
  const convert = page.getByRole("button", { name: /^(Make this a service account|En faire un compte de service)$/ });
  if (await convert.count()) await convert.click();
  // The checklist: a check that needs action, or the line holding the passed ones.
  await page.locator("[data-check], [data-passed-toggle]").first().waitFor();
  return { page, errors, failedRequests };
}

/** Clicks the confirm button of the open dialog once it has focus, then waits for it to close. */
export async function confirm(page: Page): Promise<void> {
  const dialog = page.locator('[role="alertdialog"] .ms-Dialog-main');
  await dialog.waitFor();
  await page.waitForFunction(() => document.activeElement?.closest(".ms-Dialog-main") !== null);
  await dialog.locator(".ms-Dialog-action button").first().click();
  await page.locator('[role="alertdialog"]').waitFor({ state: "detached" });
}

/** A check's status; a passed check is folded, so the line that unfolds the passed checks is opened first. */
export async function checkStatus(page: Page, id: string): Promise<string | null> {
  const folded = page.locator('[data-passed-toggle][aria-expanded="false"]');
  if ((await page.locator(`[data-check="${id}"]`).count()) === 0 && (await folded.count()) > 0) await folded.click();
  return page.locator(`[data-check="${id}"]`).getAttribute("data-status");
}

export async function armFault(session: Session, fault: object): Promise<void> {
  const response = await fetch(`${session.url}/_emulator/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(fault),
  });
  if (!response.ok) throw new Error(`could not arm ${JSON.stringify(fault)}`);
}
