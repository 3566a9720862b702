import { join } from "path";
import { DATAVERSE_ADMINS_GROUP, sampleOrg, USERS } from "../../src/emulator/sampleOrg";
import { checkStatus, confirm, SCREENSHOTS } from "./browser";
import { setUpFormSuite } from "./formSuite";

describe("the User form harness: roles through teams and privileges", () => {
  const form = setUpFormSuite();

  it("names the Microsoft Entra group team that grants System Administrator, offers no Dataverse fix, and links to the group", async () => {
    const page = await form.open(USERS.compliantMarketing);
    const forbidden = page.locator('[data-check="forbidden-roles"]');
    await expect(forbidden.textContent()).resolves.toContain(
      "System Administrator (through the Microsoft Entra group team Dataverse Admins)",
    );
    expect(await forbidden.getByRole("button").count()).toBe(0);
    const link = forbidden.getByRole("link", { name: "Open the group in Microsoft Entra" });
    expect(await link.getAttribute("href")).toBe(
      `https://entra.microsoft.com/#view/Microsoft_AAD_IAM/GroupDetailsMenuBlade/~/Members/groupId/${DATAVERSE_ADMINS_GROUP}`,
    );
    await page.screenshot({ path: join(SCREENSHOTS, "team-entra-group.png"), fullPage: true });
  });

  it("names the privilege and the role granting it, a failure and a warning, with what to do", async () => {
    const page = await form.open(USERS.roleManagerApp);
    const forbidden = page.locator('[data-check="forbidden-privileges"]');
    await expect(forbidden.textContent()).resolves.toContain("prvAssignRole from Integration Role Manager (assigned directly)");
    await expect(forbidden.textContent()).resolves.toContain("Edit the role Integration Role Manager to take prvAssignRole away");
    expect(await checkStatus(page, "sensitive-privileges")).toBe("warning");
    await expect(page.locator('[data-check="sensitive-privileges"]').textContent()).resolves.toContain("prvActOnBehalfOfAnotherUser");
  });

  it("disables leaving a team for an admin without prvWriteTeam, saying which privilege is missing", async () => {
    const page = await form.open(USERS.forbiddenRole, { as: USERS.salesNonAdmin });
    const leave = page.locator('[data-check="forbidden-roles"]').getByRole("button", { name: "Remove from the team Legacy Admins" });
    expect(await leave.isDisabled()).toBe(true);
    await expect(page.locator('[data-check="forbidden-roles"]').textContent()).resolves.toContain("prvWriteTeam");
  });

  it("sent only request shapes Dataverse documents (src/emulator/requestShapes.ts)", () => {
    expect(form.undocumentedShapes()).toEqual([]);
  });
});

describe("the User form harness in an org whose base language is French", () => {
  const form = setUpFormSuite({ seed: () => sampleOrg({ baseLanguage: 1036 }) });

  it("still recognizes System Administrator by its template: the forbidden role and the admin who may switch modes", async () => {
    const page = await form.open(USERS.forbiddenRole);
    await expect(page.locator('[data-check="forbidden-roles"]').textContent()).resolves.toContain(
      "Administrateur système (assigned directly)",
    );
    // Avery holds "Administrateur système": the gate lets her switch Ivan to non-interactive, and Dataverse agrees.
    const ivan = await form.open(USERS.interactiveWithServiceRole);
    await ivan.locator('[data-check="access-mode"]').getByRole("button", { name: "Switch to Non-interactive" }).click();
    await confirm(ivan);
    await ivan.getByRole("status").filter({ hasText: "Done." }).waitFor();
    expect(form.user(USERS.interactiveWithServiceRole)?.accessmode).toBe(4);
  });
});
