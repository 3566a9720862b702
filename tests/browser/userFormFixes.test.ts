import { join } from "path";
import { describeShape } from "../../src/emulator/requestShapes";
import { SALES_BU, roleId, TEAMS, USERS } from "../../src/emulator/sampleOrg";
import { armFault, checkStatus, confirm, SCREENSHOTS } from "./browser";
import { setUpFormSuite } from "./formSuite";

const form = setUpFormSuite();

describe("the User form harness: fixes, and how failures are told", () => {
  it("converts an interactive user end to end and the emulator holds the result", async () => {
    const page = await form.open(USERS.interactive);
    expect(await page.getByText("What converting this user takes").count()).toBe(1);
    const guide = page.getByRole("group", { name: "Make this a service account" });
    await guide.getByRole("button", { name: "Switch to Non-interactive" }).click();
    await confirm(page);
    await page.locator('[data-step="assign-role"][data-state="current"]').waitFor();
    expect(form.user(USERS.interactive)?.accessmode).toBe(4);
    expect(await page.evaluate(() => (window as unknown as { __formAccessMode: number }).__formAccessMode)).toBe(4);

    await page.locator('[data-step="assign-role"]').getByRole("button", { name: "Assign Integration Service Account" }).click();
    await confirm(page);
    await page.locator('[data-step="release-licence"][data-state="current"]').waitFor();
    expect(form.session.harness.emulator.store.holds(USERS.interactive, roleId("Integration Service Account"))).toBe(true);
    expect(await checkStatus(page, "non-interactive-capacity")).toBe("pass");
    expect(await page.locator('[data-check="non-interactive-capacity"]').textContent()).toContain("7 of 7");

    // The admin removes the licence in Microsoft 365; the next sync clears islicensed.
    form.session.harness.emulator.store.update("systemuser", USERS.interactive, { islicensed: false });
    await page.getByRole("button", { name: "I removed it: check again" }).click();
    await page.locator('span[data-tone="success"]:has-text("Compliance:")').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, "converted.png"), fullPage: true });
  });

  it("blocks a conversion at the limit, and shows Dataverse's refusal when the limit is reached meanwhile", async () => {
    form.session.harness.emulator.store.update("systemuser", USERS.interactive, { accessmode: 4 }); // 7 of 7
    const full = await form.open(USERS.interactiveWithServiceRole);
    const button = full.locator('[data-check="access-mode"] button');
    expect(await button.isDisabled()).toBe(true);
    expect(await full.locator('[data-check="access-mode"]').textContent()).toContain("All 7 non-interactive slots are in use.");

    form.session.harness.emulator.reset(); // 6 of 7 again
    const page = await form.open(USERS.interactiveWithServiceRole);
    form.session.harness.emulator.store.update("systemuser", USERS.interactive, { accessmode: 4 }); // someone takes the last slot
    await page.locator('[data-check="access-mode"] button').click();
    await confirm(page);
    const alert = page.getByRole("alert");
    await expect(alert.textContent()).resolves.toContain("You have reached the maximum number of non-interactive users");
    expect(form.user(USERS.interactiveWithServiceRole)?.accessmode).toBe(0);
    expect(await page.locator('[data-check="access-mode"] button').isDisabled()).toBe(true); // re-read: now full
  });

  it("says a 403 in words and changes nothing", async () => {
    const page = await form.open(USERS.forbiddenRole);
    await armFault(form.session, {
      method: "DELETE",
      status: 403,
      code: "0x80040220",
      message: "Principal user is missing prvAssignRole privilege.",
    });
    await page.locator('[data-check="forbidden-roles"]').getByRole("button", { name: "Remove System Administrator" }).click();
    await confirm(page);
    const alert = page.getByRole("alert");
    await expect(alert.textContent()).resolves.toContain("You don't have the privileges for this.");
    await expect(alert.textContent()).resolves.toContain("Principal user is missing prvAssignRole privilege.");
    expect(form.session.harness.emulator.store.holds(USERS.forbiddenRole, roleId("System Administrator"))).toBe(true);
    expect(await checkStatus(page, "forbidden-roles")).toBe("fail");
  });

  it("refuses to overwrite a change made elsewhere (412) and shows the new state", async () => {
    const page = await form.open(USERS.interactiveWithServiceRole);
    form.session.harness.emulator.store.update("systemuser", USERS.interactiveWithServiceRole, { internalemailaddress: null }); // edited elsewhere
    await page.locator('[data-check="access-mode"] button').click();
    await confirm(page);
    await expect(page.getByRole("alert").textContent()).resolves.toContain("Someone else changed this user");
    expect(form.user(USERS.interactiveWithServiceRole)?.accessmode).toBe(0);
    expect(await checkStatus(page, "primary-email")).toBe("fail");
  });

  it("waits out a 429 and succeeds, and explains a throttle that outlasts the retries", async () => {
    const page = await form.open(USERS.interactiveWithServiceRole);
    await armFault(form.session, { method: "PATCH", status: 429, retryAfter: 1 });
    await page.locator('[data-check="access-mode"] button').click();
    await confirm(page);
    await expect(page.getByRole("status").filter({ hasText: "Done." }).textContent()).resolves.toContain("Done.");
    expect(form.user(USERS.interactiveWithServiceRole)?.accessmode).toBe(4);

    form.session.harness.emulator.reset(); // a free slot again
    const other = await form.open(USERS.interactive);
    await armFault(form.session, { method: "PATCH", status: 429, retryAfter: 1, times: 5 });
    await other.locator('[data-check="access-mode"] button').click();
    await confirm(other);
    await expect(other.getByRole("alert").textContent()).resolves.toContain("Dataverse is limiting requests right now.");
    expect(form.user(USERS.interactive)?.accessmode).toBe(0);
  });

  it("keeps business units apart: the child unit's user gets the child unit's role copy", async () => {
    form.session.harness.emulator.store.update("systemuser", USERS.salesNonAdmin, {}); // untouched user in the Sales unit
    const page = await form.open(USERS.salesNonAdmin);
    await page.locator('[data-check="service-role"] button').click();
    await confirm(page);
    await page.locator('[data-check="service-role"][data-status="fail"]').waitFor({ state: "detached" });
    expect(await checkStatus(page, "service-role")).toBe("pass");
    expect(form.session.harness.emulator.store.holds(USERS.salesNonAdmin, roleId("Integration Service Account", SALES_BU))).toBe(true);
  });

  it("agrees with the server right after assigning and removing a role and leaving a team, with the browser's HTTP cache on", async () => {
    // Dataverse gives a single-record read the user's row version as its ETag, answers a matching
    // If-None-Match with 304, and a role change does not move that version: an expanded read of the
    // user would come back from the browser's cache with the old roles.
    const page = await form.open(USERS.forbiddenRole);
    await page.locator('[data-check="forbidden-roles"]').getByRole("button", { name: "Remove System Administrator" }).click();
    await confirm(page);
    await page.getByRole("status").filter({ hasText: "Done." }).waitFor();
    expect(form.session.harness.emulator.store.holds(USERS.forbiddenRole, roleId("System Administrator"))).toBe(false);
    // System Customizer still comes through the Legacy Admins owner team: the account leaves it.
    const forbidden = page.locator('[data-check="forbidden-roles"]');
    await expect(forbidden.textContent()).resolves.toContain("System Customizer (through the team Legacy Admins)");
    await forbidden.getByRole("button", { name: "Remove from the team Legacy Admins" }).click();
    const dialog = page.getByRole("alertdialog");
    await expect(dialog.textContent()).resolves.toContain("loses every role it grants: System Customizer");
    await confirm(page);
    await page.getByRole("status").filter({ hasText: "Done." }).waitFor();
    expect(form.session.harness.emulator.store.isLinked("teammembership_association", USERS.forbiddenRole, TEAMS.legacyAdmins)).toBe(false);
    expect(await checkStatus(page, "forbidden-roles")).toBe("pass");
    await page.getByRole("button", { name: "Refresh" }).click();
    await page.locator('[data-check="forbidden-roles"][data-status="pass"]').waitFor();

    const other = await form.open(USERS.salesNonAdmin);
    expect(await checkStatus(other, "service-role")).toBe("fail");
    await other.locator('[data-check="service-role"] button').click();
    await confirm(other);
    await other.getByRole("status").filter({ hasText: "Done." }).waitFor();
    expect(await checkStatus(other, "service-role")).toBe("pass");
  });

  // Last, so it sees every request the tests above made the control send (jest runs them in order).
  it("sent only request shapes Dataverse documents (src/emulator/requestShapes.ts)", () => {
    expect(form.undocumentedShapes()).toEqual([]);
    expect([...form.session.harness.emulator.shapes.values()].map(describeShape)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^GET systemusers\?\$expand&\$filter&\$select/),
        expect.stringMatching(/^GET roles\?\$expand&\$filter&\$select/),
        expect.stringMatching(/^PATCH systemusers\(<id>\)/),
        expect.stringMatching(/^POST teams\(<id>\)\/Microsoft\.Dynamics\.CRM\.RemoveMembersTeam/),
      ]),
    );
  });
});
