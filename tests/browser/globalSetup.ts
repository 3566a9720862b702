import { BrowserUnavailable, launchChromium } from "./chromium";

/**
 * Runs once before the browser test files: finds and starts a browser (unpacking the npm-shipped one
 * the first time), so that a machine without one stops the run at once with one line that says what
 * is missing, rather than every file failing on its own.
 */
export default async function findBrowser(): Promise<void> {
  try {
    const browser = await launchChromium();
    await browser.close();
  } catch (error) {
    // The message says it all; a stack trace would only bury it.
    if (error instanceof BrowserUnavailable) error.stack = `${error.name}: ${error.message}`;
    throw error;
  }
}
