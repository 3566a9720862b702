import { BrowserUnavailable, launchChromium } from "./chromium";

/**
 * Finds and starts the browser once (unpacking the npm-shipped one the first time), and says which it
 * is or, in one line, what is missing: the first step of `npm test`, before the build, so the answer
 * comes within seconds.
 */
export default async function findBrowser(): Promise<string> {
  const browser = await launchChromium();
  const version = browser.version();
  await browser.close();
  return version;
}

if (require.main === module) {
  findBrowser()
    .then((version) => console.log(`Browser tests: Chromium ${version}`))
    .catch((error: unknown) => {
      console.error(error instanceof BrowserUnavailable ? error.message : error);
      process.exitCode = 1;
    });
}
