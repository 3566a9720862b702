import { existsSync, readFileSync } from "fs";
import { extname, join, normalize } from "path";
import Fastify, { type FastifyInstance } from "fastify";
import type { Browser } from "playwright-core";
import { CONTROL_DIR } from "../../src/harness/server";
import { SCREENSHOTS, testBrowser } from "./browser";

/**
 * Microsoft's own test harness, pcf-start (what `pcf-scripts start` opens): no global Xrm, and a
 * context.webAPI that alerts and rejects. Served the way pcf-start serves it (its own folder at "/",
 * the built control beside it), except that React comes from node_modules instead of the CDN the
 * page names, since the machine has no internet.
 */
const PCF_START = join(__dirname, "..", "..", "node_modules", "pcf-start");
const REACT_FILES: Record<string, string> = {
  "/react.development.js": require.resolve("react/umd/react.development.js"),
  "/react-dom.development.js": require.resolve("react-dom/umd/react-dom.development.js"),
};
const TYPES: Record<string, string> = {
  ".js": "application/javascript",
  ".html": "text/html",
  ".xml": "application/xml",
  ".resx": "application/xml",
  ".json": "application/json",
  ".css": "text/css",
};

function pcfStartServer(): FastifyInstance {
  const app = Fastify();
  app.get("/favicon.ico", (_request, reply) => reply.code(204).send());
  app.get("/*", (request, reply) => {
    const path = decodeURIComponent(request.url.split("?")[0]);
    if (path === "/" || path === "/index.html") {
      const page = readFileSync(join(PCF_START, "index.html"), "utf8")
        .replace(/https:\/\/unpkg\.com\/react@[^/]+\/umd\/react\.development\.js/, "/react.development.js")
        .replace(/https:\/\/unpkg\.com\/react-dom@[^/]+\/umd\/react-dom\.development\.js/, "/react-dom.development.js");
      return reply.type("text/html").send(page);
    }
    const file =
      REACT_FILES[path] ?? [PCF_START, CONTROL_DIR].map((root) => join(root, normalize(path))).find((candidate) => existsSync(candidate));
    if (!file || !existsSync(file)) return reply.code(404).send();
    return reply.type(TYPES[extname(file)] ?? "application/octet-stream").send(readFileSync(file));
  });
  return app;
}

let app: FastifyInstance;
let url: string;
let browser: Browser;
beforeAll(async () => {
  app = pcfStartServer();
  url = await app.listen({ host: "127.0.0.1", port: 0 });
  browser = await testBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

it("loads the production bundle in pcf-start's own harness page without an initialization error", async () => {
  // pcf-start renders nothing for a locale it does not know (E_Unsupported_Locale), and a browser
  // started under LANG=C (the Chromium that npm ci brings) reports "en-US@posix": give it a plain one.
  const page = await browser.newPage({ locale: "en-US" });
  const errors: string[] = [];
  const missing: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("response", (response) => {
    if (response.status() >= 400) missing.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
  // pcf-start's context.webAPI alerts "not yet supported" and rejects every call.
  const alerts: string[] = [];
  page.on("dialog", (dialog) => {
    alerts.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(url);
  // The control renders inside the harness and shows what it can: its reads are refused there, so it
  // says it could not read the user, with the harness's own words and a Refresh button.
  await page.getByRole("button", { name: /^(Refresh|Actualiser)$/ }).waitFor({ timeout: 30000 });
  await page.screenshot({ path: join(SCREENSHOTS, "pcf-start.png"), fullPage: true });
  expect(await page.getByText(/Error occurred during initialization/i).count()).toBe(0);
  expect(await page.getByText(/not yet supported/).count()).toBeGreaterThan(0);
  expect(errors.filter((text) => /Xrm|initialization/i.test(text))).toEqual([]);
  expect(alerts.length).toBeGreaterThan(0);
  expect(missing).toEqual([]);
  await page.close();
});
