import { DEFAULT_POLICY, policyFrom, policyFromSettings, watchedPrivileges } from "../../src/core/policy";
import { sameRoleName } from "../../src/core/roleNames";

describe("policyFrom", () => {
  it("gives the defaults for empty configuration", () => {
    expect(policyFrom({})).toEqual(DEFAULT_POLICY);
    expect(policyFrom({ serviceRoleName: "  ", nonInteractiveLimit: null })).toEqual(DEFAULT_POLICY);
  });

  it("splits forbidden roles on semicolons and trims them", () => {
    expect(policyFrom({ forbiddenRoleNames: " System Administrator ;; Delegate ;" }).forbiddenRoleNames).toEqual([
      "System Administrator",
      "Delegate",
    ]);
  });

  it("lets an empty forbidden list mean none", () => {
    expect(policyFrom({ forbiddenRoleNames: "" }).forbiddenRoleNames).toEqual([]);
  });

  it("never forbids the service role itself", () => {
    expect(policyFrom({ serviceRoleName: "Sync", forbiddenRoleNames: "sync;System Administrator" }).forbiddenRoleNames).toEqual([
      "System Administrator",
    ]);
  });

  it.each([0, -1, 2.5, Number.NaN])("ignores the limit %p", (limit) => {
    expect(policyFrom({ nonInteractiveLimit: limit }).fallbackNonInteractiveLimit).toBe(7);
  });

  it("keeps a sensible limit", () => {
    expect(policyFrom({ nonInteractiveLimit: 5 }).fallbackNonInteractiveLimit).toBe(5);
  });

  it("forbids the privileges that raise access and warns about impersonation by default", () => {
    expect(DEFAULT_POLICY.forbiddenPrivilegeNames).toEqual(["prvAssignRole", "prvCreateRole", "prvWriteRole"]);
    expect(DEFAULT_POLICY.warningPrivilegeNames).toEqual(["prvActOnBehalfOfAnotherUser"]);
    expect(watchedPrivileges(DEFAULT_POLICY)).toEqual(["prvAssignRole", "prvCreateRole", "prvWriteRole", "prvActOnBehalfOfAnotherUser"]);
  });

  it("splits the privilege lists, lets a blank one mean none, and never warns about a privilege it fails", () => {
    const policy = policyFrom({
      forbiddenPrivilegeNames: " prvDeleteAccount ; prvActOnBehalfOfAnotherUser",
      warningPrivilegeNames: "PRVACTONBEHALFOFANOTHERUSER;prvExportToExcel",
    });
    expect(policy.forbiddenPrivilegeNames).toEqual(["prvDeleteAccount", "prvActOnBehalfOfAnotherUser"]);
    expect(policy.warningPrivilegeNames).toEqual(["prvExportToExcel"]);
    expect(policyFrom({ forbiddenPrivilegeNames: "", warningPrivilegeNames: " " })).toMatchObject({
      forbiddenPrivilegeNames: [],
      warningPrivilegeNames: [],
    });
  });
});

describe("policyFromSettings", () => {
  it("reads every setting by the names the webhook and the CLI share, the defaults for the rest", () => {
    expect(policyFromSettings({})).toEqual(DEFAULT_POLICY);
    expect(
      policyFromSettings({
        SERVICE_ROLE_NAME: "Vendor Sync",
        FORBIDDEN_ROLE_NAMES: "Vendor Admin",
        FORBIDDEN_PRIVILEGES: "prvDeleteUser",
        WARNING_PRIVILEGES: "",
        ALLOWED_DIRECTORY_ROLES: "Service Support Administrator",
        NON_INTERACTIVE_LIMIT: "5",
        INTERACTIVE_SIGN_IN_DAYS: "14",
        UNUSED_AFTER_DAYS: "60",
        CREDENTIAL_MAX_AGE_DAYS: "180",
        CREDENTIAL_WARNING_DAYS: "45",
        CREDENTIAL_MAX_LIFETIME_DAYS: "365",
      }),
    ).toEqual({
      serviceRoleName: "Vendor Sync",
      forbiddenRoleNames: ["Vendor Admin"],
      forbiddenPrivilegeNames: ["prvDeleteUser"],
      warningPrivilegeNames: [],
      allowedDirectoryRoleNames: ["Service Support Administrator"],
      fallbackNonInteractiveLimit: 5,
      interactiveSignInDays: 14,
      unusedAfterDays: 60,
      credentialMaxAgeDays: 180,
      credentialWarningDays: 45,
      credentialMaxLifetimeDays: 365,
    });
  });

  it("keeps a day threshold's default for a blank, zero, negative or fractional value", () => {
    for (const value of ["", " ", "0", "-5", "1.5", "ninety"])
      expect(policyFromSettings({ UNUSED_AFTER_DAYS: value }).unusedAfterDays).toBe(DEFAULT_POLICY.unusedAfterDays);
  });
});

describe("sameRoleName", () => {
  it("ignores case and outer blanks but not accents", () => {
    expect(sameRoleName(" System Administrator", "system administrator ")).toBe(true);
    expect(sameRoleName("Rôle", "Role")).toBe(false);
  });
});
