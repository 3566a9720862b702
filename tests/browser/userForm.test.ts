import { join } from "path";
import type { Page } from "playwright-core";
import { describeShape, documentedRowFor } from "../../src/emulator/requestShapes";
import { SALES_BU, roleId, USERS } from "../../src/emulator/sampleOrg";
import { armFault, checkStatus, confirm, openUser, SCREENSHOTS, startSession, type OpenedForm, type Session } from "./browser";

let session: Session;
let opened: OpenedForm[] = [];

beforeAll(async () => {
  session = await startSession();
});
afterAll(() => session?.close());
beforeEach(() => session.harness.emulator.reset());
afterEach(async () => {
  const forms = opened;
  opened = [];
  await Promise.all(forms.map((form) => form.page.close()));
  // No test may leave an error in the console.
  expect(forms.flatMap((form) => form.errors)).toEqual([]);
});

async function open(userId: string, query: Record<string, string> = {}, viewport?: { width: number; height: number }): Promise<Page> {
  const form = await openUser(session, userId, query, viewport);
  opened.push(form);
  return form.page;
}

const overall = (page: Page) => page.locator('span[data-tone]:has-text("Compliance:") strong').textContent();
const failing = (page: Page) =>
  page.$$eval("[data-check]", (rows) => rows.filter((row) => ["fail", "warning"].includes(row.getAttribute("data-status") ?? "")).map((row) => row.getAttribute("data-check")));
const user = (id: string) => session.harness.emulator.store.get("systemuser", id);

describe("the User form harness", () => {
  it.each([
    ["compliant", USERS.compliant, "Compliant", []],
    ["wrong business unit", USERS.wrongBusinessUnit, "Non-compliant", ["service-role"]],
    ["licence still assigned", USERS.licenceStillAssigned, "Needs attention", ["licence-released"]],
    ["no email", USERS.noEmail, "Non-compliant", ["primary-email"]],
    ["forbidden role", USERS.forbiddenRole, "Non-compliant", ["forbidden-roles"]],
    ["disabled", USERS.disabled, "Non-compliant", ["account-enabled"]],
    ["interactive holder of the service role", USERS.interactiveWithServiceRole, "Non-compliant", ["access-mode"]],
    ["interactive", USERS.interactive, "Not a service account", ["access-mode", "service-role"]],
    ["application user", USERS.applicationUser, "Compliant", []],
    ["support user", USERS.supportUser, "Not a service account", []],
    ["delegated admin", USERS.delegatedAdmin, "Not a service account", []],
    ["admin's own account", USERS.admin, "Not a service account", ["not-own-account", "access-mode", "service-role", "forbidden-roles"]],
  ])("shows the %s scenario", async (name, id, status, failingChecks) => {
    const page = await open(id);
    expect(opened[0].failedRequests).toEqual([]);
    expect(await overall(page)).toBe(status);
    expect(await failing(page)).toEqual(failingChecks);
    await page.screenshot({ path: join(SCREENSHOTS, `scenario-${name.replace(/\W+/g, "-")}.png`), fullPage: true });
  });

  it("converts an interactive user end to end and the emulator holds the result", async () => {
    const page = await open(USERS.interactive);
    expect(await page.getByText("What converting this user takes").count()).toBe(1);
    const guide = page.getByRole("group", { name: "Make this a service account" });
    await guide.getByRole("button", { name: "Switch to Non-interactive" }).click();
    await confirm(page);
    await page.locator('[data-step="assign-role"][data-state="current"]').waitFor();
    expect(user(USERS.interactive)?.accessmode).toBe(4);
    expect(await page.evaluate(() => (window as unknown as { __formAccessMode: number }).__formAccessMode)).toBe(4);

    await page.locator('[data-step="assign-role"]').getByRole("button", { name: "Assign Integration Service Account" }).click();
    await confirm(page);
    await page.locator('[data-step="release-licence"][data-state="current"]').waitFor();
    expect(session.harness.emulator.store.holds(USERS.interactive, roleId("Integration Service Account"))).toBe(true);
    expect(await checkStatus(page, "non-interactive-capacity")).toBe("pass");
    expect(await page.locator('[data-check="non-interactive-capacity"]').textContent()).toContain("7 of 7");

    // The admin removes the licence in Microsoft 365; the next sync clears islicensed.
    session.harness.emulator.store.update("systemuser", USERS.interactive, { islicensed: false });
    await page.getByRole("button", { name: "I removed it: check again" }).click();
    await page.locator('span[data-tone="success"]:has-text("Compliance:")').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, "converted.png"), fullPage: true });
  });

  it("blocks a conversion at the limit, and shows Dataverse's refusal when the limit is reached meanwhile", async () => {
    session.harness.emulator.store.update("systemuser", USERS.interactive, { accessmode: 4 }); // 7 of 7
    const full = await open(USERS.interactiveWithServiceRole);
    const button = full.locator('[data-check="access-mode"] button');
    expect(await button.isDisabled()).toBe(true);
    expect(await full.locator('[data-check="access-mode"]').textContent()).toContain("All 7 non-interactive slots are in use.");

    session.harness.emulator.reset(); // 6 of 7 again
    const page = await open(USERS.interactiveWithServiceRole);
    session.harness.emulator.store.update("systemuser", USERS.interactive, { accessmode: 4 }); // someone takes the last slot
    await page.locator('[data-check="access-mode"] button').click();
    await confirm(page);
    const alert = page.getByRole("alert");
    await expect(alert.textContent()).resolves.toContain("reached its maximum number of non-interactive users");
    expect(user(USERS.interactiveWithServiceRole)?.accessmode).toBe(0);
    expect(await page.locator('[data-check="access-mode"] button').isDisabled()).toBe(true); // re-read: now full
  });

  it("disables every fix for a non-admin caller and names the missing privilege", async () => {
    const page = await open(USERS.interactive, { as: USERS.salesNonAdmin });
    expect(await page.locator('[data-check="access-mode"] button').isDisabled()).toBe(true);
    expect(await page.locator('[data-check="access-mode"]').textContent()).toContain("You are missing the privilege prvWriteUser.");
    expect(await page.locator('[data-check="service-role"]').textContent()).toContain("prvAssignRole");
  });

  it("says a 403 in words and changes nothing", async () => {
    const page = await open(USERS.forbiddenRole);
    await armFault(session, { method: "DELETE", status: 403, code: "0x80040220", message: "Principal user is missing prvAssignRole privilege." });
    await page.locator('[data-check="forbidden-roles"]').getByRole("button", { name: "Remove System Administrator" }).click();
    await confirm(page);
    const alert = page.getByRole("alert");
    await expect(alert.textContent()).resolves.toContain("You don't have the privileges for this.");
    await expect(alert.textContent()).resolves.toContain("Principal user is missing prvAssignRole privilege.");
    expect(session.harness.emulator.store.holds(USERS.forbiddenRole, roleId("System Administrator"))).toBe(true);
    expect(await checkStatus(page, "forbidden-roles")).toBe("fail");
  });

  it("refuses to overwrite a change made elsewhere (412) and shows the new state", async () => {
    const page = await open(USERS.interactiveWithServiceRole);
    session.harness.emulator.store.update("systemuser", USERS.interactiveWithServiceRole, { internalemailaddress: null }); // edited elsewhere
    await page.locator('[data-check="access-mode"] button').click();
    await confirm(page);
    await expect(page.getByRole("alert").textContent()).resolves.toContain("Someone else changed this user");
    expect(user(USERS.interactiveWithServiceRole)?.accessmode).toBe(0);
    expect(await checkStatus(page, "primary-email")).toBe("fail");
  });

  it("waits out a 429 and succeeds, and explains a throttle that outlasts the retries", async () => {
    const page = await open(USERS.interactiveWithServiceRole);
    await armFault(session, { method: "PATCH", status: 429, retryAfter: 1 });
    await page.locator('[data-check="access-mode"] button').click();
    await confirm(page);
    await expect(page.getByRole("status").filter({ hasText: "Done." }).textContent()).resolves.toContain("Done.");
    expect(user(USERS.interactiveWithServiceRole)?.accessmode).toBe(4);

    session.harness.emulator.reset(); // a free slot again
    const other = await open(USERS.interactive);
    await armFault(session, { method: "PATCH", status: 429, retryAfter: 1, times: 5 });
    await other.locator('[data-check="access-mode"] button').click();
    await confirm(other);
    await expect(other.getByRole("alert").textContent()).resolves.toContain("Dataverse is limiting requests right now.");
    expect(user(USERS.interactive)?.accessmode).toBe(0);
  });

  it("works at phone width", async () => {
    const page = await open(USERS.wrongBusinessUnit, {}, { width: 360, height: 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SCREENSHOTS, "phone.png"), fullPage: true });
  });

  it("works from the keyboard: Tab to a fix, Enter opens the dialog on Cancel, Escape closes it", async () => {
    const page = await open(USERS.interactiveWithServiceRole);
    const button = page.locator('[data-check="access-mode"] button');
    await button.focus();
    await page.keyboard.press("Enter");
    await page.locator('[role="alertdialog"] .ms-Dialog-main').waitFor();
    await page.waitForFunction(() => document.activeElement?.textContent === "Cancel");
    await page.keyboard.press("Enter");
    await page.locator('[role="alertdialog"]').waitFor({ state: "detached" });
    expect(user(USERS.interactiveWithServiceRole)?.accessmode).toBe(0);
  });

  it("speaks French when the user does", async () => {
    const page = await open(USERS.compliant, { lcid: "1036" });
    expect(await page.locator('span[data-tone]:has-text("Conformité:") strong').textContent()).toBe("Conforme");
    expect(await checkStatus(page, "access-mode")).toBe("pass");
    expect(await page.locator('[data-check="access-mode"]').textContent()).toContain("Le mode d'accès est Non interactif");
  });

  it("lists every seeded user with a link to their form", async () => {
    const page = await session.browser.newPage();
    await page.goto(session.url);
    const links = await page.locator('table[aria-label="Users"] a').count();
    expect(links).toBe(session.harness.emulator.store.count({ logicalName: "systemuser" } as never));
    await page.close();
  });

  it("keeps business units apart: the child unit's user gets the child unit's role copy", async () => {
    session.harness.emulator.store.update("systemuser", USERS.salesNonAdmin, {}); // untouched user in the Sales unit
    const page = await open(USERS.salesNonAdmin);
    await page.locator('[data-check="service-role"] button').click();
    await confirm(page);
    await page.locator('[data-check="service-role"][data-status="fail"]').waitFor({ state: "detached" });
    expect(await checkStatus(page, "service-role")).toBe("pass");
    expect(session.harness.emulator.store.holds(USERS.salesNonAdmin, roleId("Integration Service Account", SALES_BU))).toBe(true);
  });

  it("agrees with the server right after assigning and removing a role, with the browser's HTTP cache on", async () => {
    // Dataverse gives a single-record read the user's row version as its ETag, answers a matching
    // If-None-Match with 304, and a role change does not move that version: an expanded read of the
    // user would come back from the browser's cache with the old roles.
    const page = await open(USERS.forbiddenRole);
    await page.locator('[data-check="forbidden-roles"]').getByRole("button", { name: "Remove System Administrator" }).click();
    await confirm(page);
    await page.getByRole("status").filter({ hasText: "Done." }).waitFor();
    expect(session.harness.emulator.store.holds(USERS.forbiddenRole, roleId("System Administrator"))).toBe(false);
    expect(await checkStatus(page, "forbidden-roles")).toBe("pass");
    await page.getByRole("button", { name: "Refresh" }).click();
    await page.locator('[data-check="forbidden-roles"][data-status="pass"]').waitFor();

    const other = await open(USERS.salesNonAdmin);
    expect(await checkStatus(other, "service-role")).toBe("fail");
    await other.locator('[data-check="service-role"] button').click();
    await confirm(other);
    await other.getByRole("status").filter({ hasText: "Done." }).waitFor();
    expect(await checkStatus(other, "service-role")).toBe("pass");
  });

  it("does not offer the access-mode switch to a caller without System Administrator, says why, and keeps the role fixes", async () => {
    // A user manager: may write users and assign roles, but is no System Administrator.
    const store = session.harness.emulator.store;
    const managerRole = "0c000000-0000-4000-8000-0000000000f1";
    store.insert("role", { roleid: managerRole, name: "User Manager", businessunitid: SALES_BU, parentrootroleid: managerRole });
    const grants = ["prvReadUser", "prvWriteUser", "prvAssignRole", "prvReadRole", "prvReadOrganization", "prvReadBusinessUnit", "prvReadTeam"];
    store.setRolePrivileges(managerRole, grants.map((name) => ({ name, depth: "Global" as const })));
    store.associate(USERS.salesNonAdmin, managerRole);

    const page = await open(USERS.interactive, { as: USERS.salesNonAdmin });
    expect(await page.locator('[data-check="access-mode"] button').isDisabled()).toBe(true);
    expect(await page.locator('[data-check="access-mode"]').textContent()).toContain("Only a System Administrator can change access modes");
    expect(await page.locator('[data-check="service-role"] button').isDisabled()).toBe(false);
  });

  it("does not offer the switch to a System Administrator who is not in Read-Write mode", async () => {
    session.harness.emulator.store.update("systemuser", USERS.admin, { accessmode: 1 }); // Administrative
    const page = await open(USERS.interactive);
    expect(await page.locator('[data-check="access-mode"] button').isDisabled()).toBe(true);
    expect(await page.locator('[data-check="access-mode"]').textContent()).toContain("whose own access mode is Read-Write");
  });

  it("reports the limit to a French caller from the capacity, not from the words of Dataverse's refusal", async () => {
    session.harness.emulator.store.insert("usersettings", { systemuserid: USERS.admin, uilanguageid: 1036 });
    const page = await open(USERS.interactiveWithServiceRole, { lcid: "1036" });
    session.harness.emulator.store.update("systemuser", USERS.interactive, { accessmode: 4 }); // someone takes the last slot
    await page.locator('[data-check="access-mode"] button').click();
    await confirm(page);
    const alert = page.getByRole("alert");
    await expect(alert.textContent()).resolves.toContain("L'environnement a atteint son nombre maximal d'utilisateurs non interactifs.");
    await expect(alert.textContent()).resolves.toContain("Votre organisation a atteint le nombre maximal d'utilisateurs non interactifs.");
    expect(user(USERS.interactiveWithServiceRole)?.accessmode).toBe(0);
  });

  it("gives the control Xrm.WebApi errors in the platform's shape: errorCode and message, no HTTP status", async () => {
    const page = await open(USERS.compliant);
    const shapes = await page.evaluate(async () => {
      const xrm = (window as unknown as { Xrm: { WebApi: Xrm.WebApi } }).Xrm.WebApi;
      const keysOf = (error: unknown) => Object.keys(error as object).sort();
      const retrieve = await xrm.retrieveRecord("systemuser", "00000000-0000-4000-8000-000000000000", "?$select=fullname").then(() => null, keysOf);
      const execute = await xrm.online
        .execute({
          target: { entityType: "systemuser", id: "00000000-0000-4000-8000-000000000000" },
          relatedEntityId: "00000000-0000-4000-8000-000000000000",
          relationship: "systemuserroles_association",
          getMetadata: () => ({ boundParameter: null, parameterTypes: {}, operationType: 2, operationName: "Disassociate" }),
        })
        .then(() => null, keysOf);
      return { retrieve, execute };
    });
    expect(shapes).toEqual({ retrieve: ["errorCode", "message"], execute: ["errorCode", "message"] });
  });

  // Last, so it sees every request the tests above made the control send (jest runs them in order).
  it("sent only request shapes Dataverse documents (src/emulator/requestShapes.ts)", () => {
    const seen = [...session.harness.emulator.shapes.values()];
    expect(seen.filter((shape) => !documentedRowFor(shape)).map(describeShape)).toEqual([]);
    expect(seen.map(describeShape)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^GET systemusers\?\$filter&\$select/), expect.stringMatching(/^GET roles\?\$filter&\$select/), expect.stringMatching(/^PATCH systemusers\(<id>\)/)]),
    );
  });
});
