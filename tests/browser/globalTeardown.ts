import { SHARED_BROWSER_ENDPOINT } from "./chromium";
import { running } from "./globalSetup";

/** Closes the browser the global setup started, whatever the tests did. */
export default async function stopSharedBrowser(): Promise<void> {
  const server = running.svcacctBrowserServer;
  running.svcacctBrowserServer = undefined;
  delete process.env[SHARED_BROWSER_ENDPOINT];
  await server?.close();
}
