import { join } from "path";
import type { Page } from "playwright-core";
import { DEFAULT_POLICY } from "../../src/core/policy";
import { HttpDataverseClient } from "../../src/dataverse-node/httpClient";
import { USERS } from "../../src/emulator/sampleOrg";
import { entraSourceFor } from "../../src/graph/entraReader";
import { HttpGraphClient } from "../../src/graph/httpGraphClient";
import { BadgeStamper } from "../../src/webhook/badgeStamper";
import { englishTexts } from "../../src/webhook/messageTexts";
import { stampServiceAccounts } from "../../src/webhook/stampServiceAccounts";
import { SCREENSHOTS } from "./browser";
import { setUpFormSuite } from "./formSuite";

/**
 * The Entra scenarios of the sample tenant as `npm start` shows them: the heal reads Graph and stamps
 * every service account, then the form and the Service accounts view show the server's verdicts.
 */
const form = setUpFormSuite();
const noToken = () => Promise.resolve(null);

/** The start-up heal of `svcacct serve`, with Microsoft Graph on. */
async function heal(): Promise<void> {
  const client = new HttpDataverseClient(form.session.url, noToken);
  const graph = new HttpGraphClient(`${form.session.url}/graph`, noToken);
  const stamper = new BadgeStamper(client, DEFAULT_POLICY, englishTexts(), 4, undefined, entraSourceFor(graph));
  const summary = await stampServiceAccounts(client, DEFAULT_POLICY, stamper);
  expect(summary.failures).toEqual([]);
}

const row = (page: Page, check: string) => page.locator(`[data-check="${check}"]`);
const day = (iso: string) => new Date(iso).toLocaleDateString("en-US");
const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe("the Entra scenarios on the form and in the view, after the heal", () => {
  it.each([
    [
      "Sales Connector",
      "interactive-sign-in",
      "fail",
      USERS.wrongBusinessUnit,
      /^Someone signs in to this account as a person: interactive sign-in \(or attempt\) on (\S+)\./,
      -3,
    ],
    [
      "Legacy Import",
      "recent-use",
      "warning",
      USERS.forbiddenRole,
      /^Unused: no successful sign-in since (\S+), more than 90 days\. Disable it or find its owner\./,
      -200,
    ],
    ["Role Manager App", "app-credentials", "warning", USERS.roleManagerApp, /^The client secret “.+” expires on (\S+): renew it/, 10],
  ] as const)("%s: %s %s, with the date in the admin's format", async (name, check, status, id, wording, days) => {
    await heal();
    const page = await form.open(id);
    expect(await row(page, check).getAttribute("data-status")).toBe(status);
    const text = (await row(page, check).textContent()) ?? "";
    const match = new RegExp(wording.source.replace(/^\^/, "")).exec(text);
    expect(match?.[1]).toBe(day(daysFromNow(days)));
    expect(await page.getByTestId("entra-verdict").textContent()).toMatch(/^Microsoft Entra checks by the server on /);
    await page.screenshot({ path: join(SCREENSHOTS, `entra-${name.replace(/\W+/g, "-")}.png`), fullPage: true });
  });

  it("Marketing Sync: excluded from the MFA policy through its group, the policy named", async () => {
    await heal();
    const page = await form.open(USERS.compliantMarketing);
    expect(await row(page, "mfa-policy").getAttribute("data-status")).toBe("warning");
    expect(await row(page, "mfa-policy").textContent()).toContain(
      "Excluded from Conditional Access policies that require MFA: “Require MFA for all users”.",
    );
  });

  it("the view's badges carry the same findings in their summaries", async () => {
    await heal();
    const page = await form.session.newPage({ width: 1300, height: 900 });
    try {
      await page.goto(`${form.session.url}/views/service-accounts?all=1`);
      await page.waitForFunction(() => (window as unknown as { __harnessReady?: boolean }).__harnessReady === true);
      const described = (id: string) =>
        page.locator(`tr[data-user="${id}"] td[data-column="svcacct_compliancestatus"] [data-grid-cell]`).getAttribute("title");
      expect(await described(USERS.wrongBusinessUnit)).toMatch(/as a person/);
      expect(await described(USERS.forbiddenRole)).toMatch(/Unused: no successful sign-in since \d{4}-\d{2}-\d{2}/);
      expect(await described(USERS.compliantMarketing)).toMatch(/Excluded from Conditional Access policies that require MFA/);
      expect(await described(USERS.roleManagerApp)).toMatch(/expires on \d{4}-\d{2}-\d{2}/);
    } finally {
      await page.close();
    }
  });
});
