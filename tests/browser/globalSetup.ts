import type { BrowserServer } from "playwright-core";
import { launchChromiumServer, SHARED_BROWSER_ENDPOINT } from "./chromium";

/** Shared with globalTeardown.ts: jest runs both in its main process. */
export const running = globalThis as typeof globalThis & { svcacctBrowserServer?: BrowserServer };

/**
 * The browser project's global setup: finds and starts the browser once (unpacking the npm-shipped
 * one the first time), so that a machine without one stops at once with one line that says what is
 * missing, rather than every browser test file failing on its own; then every test file connects to
 * it and opens its own browser profile, instead of starting a browser of its own (about 1 s of CPU
 * each).
 */
export default async function startSharedBrowser(): Promise<void> {
  const server = await launchChromiumServer();
  running.svcacctBrowserServer = server;
  // Jest starts its workers after the global setup, with this environment.
  process.env[SHARED_BROWSER_ENDPOINT] = server.wsEndpoint();
}
