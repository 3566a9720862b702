import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { pathToFileURL } from "url";
import type { Browser, Page } from "playwright-core";
import { CLI, run } from "../support/cli";
import { startTenantEmulator, type RunningTenant } from "../support/tenant";
import { SCREENSHOTS, testBrowser } from "./browser";

const AXE = require.resolve("axe-core/axe.min.js");

interface Summary {
  compliant: number;
  needsAttention: number;
  nonCompliant: number;
  nonInteractiveUsed: number | null;
  nonInteractiveMax: number;
}
interface TenantJson {
  environments: { environment: { id: string; name: string }; status: string; summary?: Summary; accounts?: unknown[] }[];
}

let tenant: RunningTenant;
let browser: Browser;
let dir: string;
let page: Page;
let json: TenantJson;
const requested: string[] = [];

beforeAll(async () => {
  tenant = await startTenantEmulator();
  dir = mkdtempSync(join(tmpdir(), "svcacct-html-"));
  const file = join(dir, "tenant.html");
  const audit = (...args: string[]) => run("node", [CLI, "audit", "--all-environments", "--admin-url", tenant.adminUrl, ...args]);
  await audit("--format", "html", "--out", file);
  json = JSON.parse((await audit("--format", "json")).stdout) as TenantJson;
  browser = await testBrowser();
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.on("request", (request) => requested.push(request.url()));
  await page.goto(pathToFileURL(file).href);
});
afterAll(async () => {
  await browser?.close();
  await tenant?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the tenant audit's HTML report", () => {
  it("opens offline: nothing but the file itself is requested", () => {
    expect(requested.every((url) => url.startsWith("file:"))).toBe(true);
  });

  it("shows each environment's statuses and quota as the JSON of the run says, and the one not read with its reason", async () => {
    for (const each of json.environments) {
      const section = page.locator(`section.environment[data-environment-id="${each.environment.id}"]`);
      if (each.status !== "read") {
        expect(await section.textContent()).toMatch(/Not read: /);
        continue;
      }
      const summary = each.summary!;
      expect(await section.getAttribute("data-compliant")).toBe(String(summary.compliant));
      expect(await section.getAttribute("data-non-compliant")).toBe(String(summary.nonCompliant));
      expect(await section.getAttribute("data-needs-attention")).toBe(String(summary.needsAttention));
      const quota = `${summary.nonInteractiveUsed ?? "unknown"} of ${summary.nonInteractiveMax} non-interactive users`;
      expect(await section.getByRole("img", { name: `Quota: ${quota}` }).count()).toBe(1);
      expect(await section.textContent()).toContain(quota);
    }
    const total = json.environments.reduce((sum, each) => sum + (each.accounts?.length ?? 0), 0);
    expect(await page.locator("#accounts tbody tr").count()).toBe(total);
    const nonCompliant = json.environments.reduce((sum, each) => sum + (each.summary?.nonCompliant ?? 0), 0);
    expect(await page.locator("#summary").getAttribute("data-non-compliant")).toBe(String(nonCompliant));
    await page.screenshot({ path: join(SCREENSHOTS, "tenant-report.png"), fullPage: true });
  });

  it("filters the accounts by environment and status, and sorts them by a column", async () => {
    const first = json.environments.find((each) => each.status === "read")!;
    await page.getByLabel("Environment", { exact: true }).selectOption(first.environment.id);
    expect(await page.locator("#accounts tbody tr:not([hidden])").count()).toBe(first.accounts!.length);
    await page.getByLabel("Status", { exact: true }).selectOption("compliant");
    expect(await page.locator("#accounts tbody tr:not([hidden])").count()).toBe(first.summary!.compliant);
    await page.getByLabel("Environment", { exact: true }).selectOption("");
    await page.getByLabel("Status", { exact: true }).selectOption("");
    await page.getByRole("button", { name: "Name", exact: true }).click();
    expect(await page.getByRole("columnheader", { name: "Name", exact: true }).getAttribute("aria-sort")).toBe("ascending");
    const names = await page.locator("#accounts tbody tr td:nth-child(3)").allTextContents();
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  });

  it("has no serious accessibility violation (axe-core, WCAG 2.1 AA)", async () => {
    // The report's policy lets only its own script run: axe is evaluated through the browser's protocol instead.
    await page.evaluate(readFileSync(AXE, "utf8"));
    const violations = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: { run: (context: unknown, options: unknown) => Promise<{ violations: { id: string; impact: string | null }[] }> };
        }
      ).axe;
      return (await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })).violations;
    });
    expect(
      violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical").map((violation) => violation.id),
    ).toEqual([]);
  });
});
