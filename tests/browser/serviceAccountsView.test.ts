import { join } from "path";
import type { Page } from "playwright-core";
import { COMPLIANCE_STATUS_VALUES } from "../../src/core/complianceStatus";
import { USERS } from "../../src/emulator/sampleOrg";
import { SCREENSHOTS, startSession, type Session } from "./browser";

let session: Session;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  session = await startSession();
});
afterAll(() => session.close());
beforeEach(async () => {
  session.harness.emulator.reset();
  page = await session.newPage({ width: 1300, height: 900 });
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
});
afterEach(async () => {
  await page.close();
  expect(errors.splice(0)).toEqual([]);
});

/** Writes a badge as the webhook does (PATCH systemusers), so the view has something to show. */
async function stamp(userId: string, status: number, summary: string): Promise<void> {
  const response = await fetch(`${session.url}/api/data/v9.2/systemusers(${userId})`, {
    method: "PATCH",
    headers: { "content-type": "application/json", "OData-Version": "4.0" },
    body: JSON.stringify({
      svcacct_compliancestatus: status,
      svcacct_compliancesummary: summary,
      svcacct_compliancecheckedon: "2026-11-28T10:00:00Z",
    }),
  });
  if (!response.ok) throw new Error(`stamp ${userId}: ${response.status} ${await response.text()}`);
}

async function openView(query = ""): Promise<void> {
  await page.goto(`${session.url}/views/service-accounts${query}`);
  await page.waitForFunction(() => (window as unknown as { __harnessReady?: boolean }).__harnessReady === true);
}

const cell = (userId: string, column: string) => page.locator(`tr[data-user="${userId}"] td[data-column="${column}"]`);

describe("the Service accounts view with the grid customizer", () => {
  it("is linked from the harness's user list", async () => {
    await page.goto(`${session.url}/users`);
    await page.getByRole("link", { name: "Service accounts view" }).click();
    await page.waitForFunction(() => (window as unknown as { __harnessReady?: boolean }).__harnessReady === true);
    expect(new URL(page.url()).pathname).toBe("/views/service-accounts");
  });

  it("renders each status's badge in its tone, with the summary and the date as its description", async () => {
    await stamp(USERS.compliant, COMPLIANCE_STATUS_VALUES.compliant, "Compliant");
    await stamp(USERS.licenceStillAssigned, COMPLIANCE_STATUS_VALUES["needs-attention"], "It still holds a licence.");
    await stamp(USERS.noEmail, COMPLIANCE_STATUS_VALUES["non-compliant"], "It has no primary email.");
    await stamp(USERS.interactive, COMPLIANCE_STATUS_VALUES["not-service-account"], "Not a service account");
    await openView("?all=1");
    const expectations = [
      [USERS.compliant, "Compliant", "success"],
      [USERS.licenceStillAssigned, "Needs attention", "warning"],
      [USERS.noEmail, "Non-compliant", "error"],
      [USERS.interactive, "Not a service account", "neutral"],
    ] as const;
    for (const [userId, label, tone] of expectations) {
      const status = cell(userId, "svcacct_compliancestatus");
      expect(await status.getAttribute("data-rendered-by")).toBe("customizer");
      expect(await status.locator("strong").textContent()).toBe(label);
      expect(await status.locator("[data-tone]").getAttribute("data-tone")).toBe(tone);
    }
    const described = cell(USERS.noEmail, "svcacct_compliancestatus").locator("[data-grid-cell]");
    expect(await described.getAttribute("title")).toMatch(/^It has no primary email\.\nChecked on /);
    await page.screenshot({ path: join(SCREENSHOTS, "view-service-accounts.png"), fullPage: true });
  });

  it("shows access mode and licence as badges, and leaves every other column to the grid", async () => {
    await openView("?all=1");
    expect(await cell(USERS.licenceStillAssigned, "accessmode").locator("strong").textContent()).toBe("Non-interactive");
    expect(await cell(USERS.licenceStillAssigned, "islicensed").textContent()).toBe("Licensed");
    expect(await cell(USERS.licenceStillAssigned, "islicensed").locator("[data-tone]").getAttribute("data-tone")).toBe("warning");
    expect(await cell(USERS.compliant, "islicensed").textContent()).toBe("Unlicensed");
    expect(await cell(USERS.interactive, "accessmode").locator("[data-tone]").getAttribute("data-tone")).toBe("neutral");
    for (const column of ["fullname", "domainname", "svcacct_compliancesummary", "svcacct_compliancecheckedon", "_businessunitid_value"]) {
      const renderers = await page.$$eval(`td[data-column="${column}"]`, (cells) => [
        ...new Set(cells.map((td) => td.getAttribute("data-rendered-by"))),
      ]);
      expect([column, renderers]).toEqual([column, ["grid"]]);
    }
    // An unstamped status is the grid's empty cell, not a badge.
    expect(await cell(USERS.compliant, "svcacct_compliancestatus").getAttribute("data-rendered-by")).toBe("grid");
  });

  it("lists only the view's rows (non-interactive, no application users) by default, in French on request", async () => {
    await openView("?lcid=1036");
    const modes = await page.$$eval('td[data-column="accessmode"] strong', (cells) => [...new Set(cells.map((td) => td.textContent))]);
    expect(modes).toEqual(["Non interactif"]);
    expect(await page.locator(`tr[data-user="${USERS.applicationUser}"]`).count()).toBe(0);
  });
});
