import { join } from "path";
import type { Page } from "playwright-core";
import { COMPLIANCE_STATUS_VALUES } from "../../src/core/complianceStatus";
import { USERS } from "../../src/emulator/sampleOrg";
import { SCREENSHOTS, startSession, watchPage, type Session } from "./browser";

const AXE = require.resolve("axe-core/axe.min.js");
const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

let session: Session;
let page: Page;
let watched: ReturnType<typeof watchPage>;

beforeAll(async () => {
  session = await startSession();
});
afterAll(() => session.close());
beforeEach(async () => {
  session.harness.emulator.reset();
  page = await session.newPage({ width: 1300, height: 900 });
  watched = watchPage(page);
});
afterEach(async () => {
  await page.close();
  expect(watched).toEqual({ errors: [], failedRequests: [] });
});

/** Writes a badge as the webhook does (PATCH systemusers). */
async function stamp(userId: string, status: number): Promise<void> {
  const response = await fetch(`${session.url}/api/data/v9.2/systemusers(${userId})`, {
    method: "PATCH",
    headers: { "content-type": "application/json", "OData-Version": "4.0" },
    body: JSON.stringify({
      svcacct_compliancestatus: status,
      svcacct_compliancesummary: "stamped",
      svcacct_compliancecheckedon: "2026-11-28T10:00:00Z",
    }),
  });
  if (!response.ok) throw new Error(`stamp ${userId}: ${response.status} ${await response.text()}`);
}

async function ready(): Promise<void> {
  await page.waitForFunction(() => (window as unknown as { __harnessReady?: boolean }).__harnessReady === true);
  expect(await page.locator("#harness-error").isHidden()).toBe(true);
}

/** The grid's rows per status label ("" for a row not stamped yet). */
async function gridStatuses(table: string): Promise<Map<string, number>> {
  const labels = await page
    .locator(`${table} tbody tr td[data-column="svcacct_compliancestatus"]`)
    .evaluateAll((cells) => cells.map((cell) => cell.querySelector("strong")?.textContent ?? cell.textContent ?? ""));
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label || "(blank)", (counts.get(label || "(blank)") ?? 0) + 1);
  return counts;
}

/** The chart's figures as its legend states them: label → count. */
async function chartFigures(figure: string): Promise<Map<string, number>> {
  const items = await page
    .locator(`${figure} .chart-legend li`)
    .evaluateAll((nodes) =>
      nodes.map((node) => [node.textContent.replace(/: \d+$/, ""), Number((node as HTMLElement).dataset.count)] as [string, number]),
    );
  return new Map(items);
}

async function seriousViolations(): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async (tags) => {
    const axe = (
      window as unknown as {
        axe: { run: (context: unknown, options: unknown) => Promise<{ violations: { id: string; impact: string | null }[] }> };
      }
    ).axe;
    return (await axe.run(document, { runOnly: { type: "tag", values: tags } })).violations;
  }, WCAG_21_AA);
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => violation.id);
}

describe("the Service Account Compliance app", () => {
  beforeEach(async () => {
    await stamp(USERS.compliant, COMPLIANCE_STATUS_VALUES.compliant);
    await stamp(USERS.licenceStillAssigned, COMPLIANCE_STATUS_VALUES["needs-attention"]);
    await stamp(USERS.noEmail, COMPLIANCE_STATUS_VALUES["non-compliant"]);
  });

  it("opens on its home, the Service accounts view, whose chart counts the view's rows by status", async () => {
    const webApi: string[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith("/api/data/"))
        webApi.push(`${request.method()} ${url.pathname}?${[...url.searchParams.keys()].join("&")}`);
    });
    await page.goto(`${session.url}/`);
    await ready();
    // The view's rows and the chart's figures: one FetchXML query each.
    expect(webApi).toEqual(["GET /api/data/v9.2/systemusers?fetchXml", "GET /api/data/v9.2/systemusers?fetchXml"]);
    const url = new URL(page.url());
    expect(url.pathname).toBe("/main.aspx");
    expect(url.searchParams.get("viewid")).toBe("{04024341-948f-40cc-98f9-532203d15bd1}");
    const nav = page.getByRole("navigation", { name: "Service Account Compliance" });
    expect(await nav.getByRole("link").allTextContents()).toEqual(["Service accounts", "Compliance dashboard", "All users"]);
    expect(await nav.locator('[aria-current="page"]').textContent()).toBe("Service accounts");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Service accounts");

    const rows = Number(await page.locator("#view-grid").getAttribute("data-rows"));
    expect(rows).toBeGreaterThan(3);
    const figures = await chartFigures("#view-chart");
    // The chart counts the checked accounts (its fetch leaves out an empty status, so each slice keeps
    // its badge colour: Dataverse colours slices by position); the rest wait in the dashboard's backlog.
    const statuses = await gridStatuses("#view-grid");
    const unchecked = statuses.get("(blank)") ?? 0;
    statuses.delete("(blank)");
    expect(figures).toEqual(statuses);
    expect(unchecked).toBeGreaterThan(0);
    expect(Number(await page.locator("#view-chart").getAttribute("data-total"))).toBe(rows - unchecked);
    expect(figures.get("Compliant")).toBeGreaterThanOrEqual(1);
    expect(figures.get("Non-compliant")).toBe(1);
    // The colours are the chart definition's own, in the badge tones.
    const swatch = await page
      .locator('#view-chart li[data-category="413500002"] .swatch')
      .evaluate((node) => getComputedStyle(node).backgroundColor);
    expect(swatch).toBe("rgb(209, 52, 56)");
    await page.screenshot({ path: join(SCREENSHOTS, "app-service-accounts.png"), fullPage: true });
    expect(await seriousViolations()).toEqual([]);
  });

  it("follows its navigation to the dashboard, the other views and a user's form", async () => {
    await page.goto(`${session.url}/`);
    await ready();
    const nav = page.getByRole("navigation", { name: "Service Account Compliance" });

    await nav.getByRole("link", { name: "Compliance dashboard" }).click();
    await ready();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Service account compliance");
    const figures = await chartFigures(".dashboard figure");
    const nonCompliant = page.getByRole("table", { name: "Non-compliant service accounts" });
    expect(await nonCompliant.locator("tbody tr").count()).toBe(figures.get("Non-compliant"));
    expect(await nonCompliant.locator(`tr[data-user="${USERS.noEmail}"]`).count()).toBe(1);
    // The backlog lists every service account, the never-checked first, then the longest ago.
    const backlog = page.getByRole("table", { name: "Service accounts by last check" });
    const backlogRows = await backlog.locator("tbody tr").count();
    expect(backlogRows).toBeGreaterThan([...figures.values()].reduce((sum, count) => sum + count, 0));
    const checkedOn = await backlog.locator('td[data-column="svcacct_compliancecheckedon"]').allTextContents();
    expect(checkedOn.slice(0, backlogRows - 3).every((text) => text === "")).toBe(true);
    expect(checkedOn.slice(-3).every((text) => text !== "")).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, "app-dashboard.png"), fullPage: true });
    expect(await seriousViolations()).toEqual([]);

    await nav.getByRole("link", { name: "All users" }).click();
    await ready();
    expect(await page.locator("#view-grid tbody tr").count()).toBeGreaterThan(
      Number(await page.locator("#view-grid").getAttribute("data-rows")) - 1,
    );
    // The table's other views are one click away.
    await page.getByRole("link", { name: "Non-compliant service accounts" }).click();
    await ready();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Non-compliant service accounts");

    await nav.getByRole("link", { name: "Service accounts" }).click();
    await ready();
    await page.locator(`tr[data-user="${USERS.noEmail}"] td a`).first().click();
    await page.waitForFunction(() => (window as unknown as { __harnessReady?: boolean }).__harnessReady === true);
    expect(new URL(page.url()).searchParams.get("user")).toBe(USERS.noEmail);
  });

  it("answers every link of its navigation with a page that renders", async () => {
    await page.goto(`${session.url}/`);
    await ready();
    const links = await page
      .getByRole("navigation", { name: "Service Account Compliance" })
      .getByRole("link")
      .evaluateAll((nodes) => nodes.map((node) => (node as HTMLAnchorElement).href));
    for (const link of links) {
      const response = await page.goto(link);
      expect(response?.status()).toBe(200);
      await ready();
    }
  });
});
