import { SALES_BU, USERS } from "../../src/emulator/sampleOrg";
import { confirm } from "./browser";
import { setUpFormSuite } from "./formSuite";

const form = setUpFormSuite();

describe("the User form harness: who may change what, keyboard, errors in the platform's shape", () => {
  it("disables every fix for a non-admin caller and names the missing privilege", async () => {
    const page = await form.open(USERS.interactive, { as: USERS.salesNonAdmin });
    expect(await page.locator('[data-check="access-mode"] button').isDisabled()).toBe(true);
    expect(await page.locator('[data-check="access-mode"]').textContent()).toContain("You are missing the privilege prvWriteUser.");
    expect(await page.locator('[data-check="service-role"]').textContent()).toContain("prvAssignRole");
  });

  it("works from the keyboard: Tab to a fix, Enter opens the dialog on Cancel, Escape closes it", async () => {
    const page = await form.open(USERS.interactiveWithServiceRole);
    const button = page.locator('[data-check="access-mode"] button');
    await button.focus();
    await page.keyboard.press("Enter");
    await page.locator('[role="alertdialog"] .ms-Dialog-main').waitFor();
    await page.waitForFunction(() => document.activeElement?.textContent === "Cancel");
    await page.keyboard.press("Enter");
    await page.locator('[role="alertdialog"]').waitFor({ state: "detached" });
    expect(form.user(USERS.interactiveWithServiceRole)?.accessmode).toBe(0);
  });

  it("does not offer the access-mode switch to a caller without System Administrator, says why, and keeps the role fixes", async () => {
    // A user manager: may write users and assign roles, but is no System Administrator.
    const store = form.session.harness.emulator.store;
    const managerRole = "0c000000-0000-4000-8000-0000000000f1";
    store.insert("role", { roleid: managerRole, name: "User Manager", businessunitid: SALES_BU, parentrootroleid: managerRole });
    const grants = [
      "prvReadUser",
      "prvWriteUser",
      "prvAssignRole",
      "prvReadRole",
      "prvReadOrganization",
      "prvReadBusinessUnit",
      "prvReadTeam",
    ];
    store.setRolePrivileges(
      managerRole,
      grants.map((name) => ({ name, depth: "Global" as const })),
    );
    store.associate(USERS.salesNonAdmin, managerRole);

    const page = await form.open(USERS.interactive, { as: USERS.salesNonAdmin });
    expect(await page.locator('[data-check="access-mode"] button').isDisabled()).toBe(true);
    expect(await page.locator('[data-check="access-mode"]').textContent()).toContain("Only a System Administrator can change access modes");
    expect(await page.locator('[data-check="service-role"] button').isDisabled()).toBe(false);
  });

  it("does not offer the switch to a System Administrator who is not in Read-Write mode", async () => {
    form.session.harness.emulator.store.update("systemuser", USERS.admin, { accessmode: 1 }); // Administrative
    const page = await form.open(USERS.interactive);
    expect(await page.locator('[data-check="access-mode"] button').isDisabled()).toBe(true);
    expect(await page.locator('[data-check="access-mode"]').textContent()).toContain("whose own access mode is Read-Write");
  });

  it("reports the limit to a French caller from the capacity, not from the words of Dataverse's refusal", async () => {
    form.session.harness.emulator.store.insert("usersettings", { systemuserid: USERS.admin, uilanguageid: 1036 });
    const page = await form.open(USERS.interactiveWithServiceRole, { lcid: "1036" });
    form.session.harness.emulator.store.update("systemuser", USERS.interactive, { accessmode: 4 }); // someone takes the last slot
    await page.locator('[data-check="access-mode"] button').click();
    await confirm(page);
    const alert = page.getByRole("alert");
    await expect(alert.textContent()).resolves.toContain("L'environnement a atteint son nombre maximal d'utilisateurs non interactifs.");
    await expect(alert.textContent()).resolves.toContain("Vous avez atteint le nombre maximal d'utilisateurs non interactifs.");
    expect(form.user(USERS.interactiveWithServiceRole)?.accessmode).toBe(0);
  });

  it("gives the control Xrm.WebApi errors in the platform's shape: errorCode and message, no HTTP status", async () => {
    const page = await form.open(USERS.compliant);
    const shapes = await page.evaluate(async () => {
      const xrm = (window as unknown as { Xrm: { WebApi: Xrm.WebApi } }).Xrm.WebApi;
      const keysOf = (error: unknown) => Object.keys(error as object).sort();
      const retrieve = await xrm
        .retrieveRecord("systemuser", "00000000-0000-4000-8000-000000000000", "?$select=fullname")
        .then(() => null, keysOf);
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
    expect(form.undocumentedShapes()).toEqual([]);
  });
});
