import type { Page } from "playwright-core";
import { join } from "path";
import { USERS } from "../../src/emulator/sampleOrg";
import { checkStatus, SCREENSHOTS } from "./browser";
import { setUpFormSuite } from "./formSuite";

const form = setUpFormSuite();

const overall = (page: Page) => page.locator('span[data-tone]:has-text("Compliance:") strong').textContent();
const failing = (page: Page) =>
  page.$$eval("[data-check]", (rows) =>
    rows.filter((row) => ["fail", "warning"].includes(row.getAttribute("data-status") ?? "")).map((row) => row.getAttribute("data-check")),
  );

describe("the User form harness: what the panel shows", () => {
  it.each([
    ["compliant", USERS.compliant, "Compliant", []],
    ["wrong business unit", USERS.wrongBusinessUnit, "Non-compliant", ["service-role"]],
    ["licence still assigned", USERS.licenceStillAssigned, "Needs attention", ["licence-released"]],
    ["no email", USERS.noEmail, "Non-compliant", ["primary-email"]],
    ["forbidden role", USERS.forbiddenRole, "Non-compliant", ["forbidden-roles"]],
    ["System Administrator through an Entra group team", USERS.compliantMarketing, "Non-compliant", ["forbidden-roles"]],
    ["a custom role's privileges", USERS.roleManagerApp, "Non-compliant", ["forbidden-privileges", "sensitive-privileges"]],
    ["disabled", USERS.disabled, "Non-compliant", ["account-enabled"]],
    ["interactive holder of the service role", USERS.interactiveWithServiceRole, "Non-compliant", ["access-mode"]],
    ["interactive", USERS.interactive, "Not a service account", ["access-mode", "service-role"]],
    ["application user", USERS.applicationUser, "Compliant", []],
    ["support user", USERS.supportUser, "Not a service account", []],
    ["delegated admin", USERS.delegatedAdmin, "Not a service account", []],
    ["admin's own account", USERS.admin, "Not a service account", ["not-own-account", "access-mode", "service-role", "forbidden-roles"]],
  ])("shows the %s scenario", async (name, id, status, failingChecks) => {
    const page = await form.open(id);
    expect(form.opened[0].failedRequests).toEqual([]);
    expect(await overall(page)).toBe(status);
    expect(await failing(page)).toEqual(failingChecks);
    await page.screenshot({ path: join(SCREENSHOTS, `scenario-${name.replace(/\W+/g, "-")}.png`), fullPage: true });
  });

  it("works at phone width", async () => {
    const page = await form.open(USERS.wrongBusinessUnit, {}, { width: 360, height: 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SCREENSHOTS, "phone.png"), fullPage: true });
  });

  it("speaks French when the user does", async () => {
    const page = await form.open(USERS.compliant, { lcid: "1036" });
    expect(await page.locator('span[data-tone]:has-text("Conformité:") strong').textContent()).toBe("Conforme");
    expect(await checkStatus(page, "access-mode")).toBe("pass");
    expect(await page.locator('[data-check="access-mode"]').textContent()).toContain("Le mode d'accès est Non interactif");
  });

  it("lists every seeded user with a link to their form", async () => {
    const page = await form.session.newPage();
    await page.goto(`${form.session.url}/users`);
    const links = await page.locator('table[aria-label="Users"] a').count();
    expect(links).toBe(form.session.harness.emulator.store.count({ logicalName: "systemuser" } as never));
    await page.close();
  });

  // Last, so it sees every request the tests above made the control send (jest runs them in order).
  it("sent only request shapes Dataverse documents (src/emulator/requestShapes.ts)", () => {
    expect(form.undocumentedShapes()).toEqual([]);
  });
});
