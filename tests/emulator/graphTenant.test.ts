import { generateOrg } from "../../src/emulator/generateOrg";
import { entraTenantOf, SAMPLE_GROUPS } from "../../src/emulator/graphTenant";
import { DATAVERSE_ADMINS_GROUP, sampleOrg, USERS } from "../../src/emulator/sampleOrg";
import { DAY_MS, objectId } from "./graphSupport";

describe("the Entra tenant behind a Dataverse org", () => {
  const NOW = Date.parse("2026-11-30T08:15:00Z");

  it("dates everything from the moment it is seeded, in Graph's format", () => {
    const user = entraTenantOf(sampleOrg(), NOW).users.get(objectId(USERS.compliant))!;
    expect(user.createdDateTime).toBe(new Date(NOW - 400 * DAY_MS).toISOString().replace(".000", ""));
    expect(user.signInActivity?.lastSuccessfulSignInDateTime).toBe("2026-11-29T08:15:00Z");
  });

  it("makes users of systemusers with an object id, but not of application users or users deleted from Entra", () => {
    const tenant = entraTenantOf(sampleOrg(), NOW);
    expect(tenant.users.has(objectId(USERS.applicationUser))).toBe(false);
    expect(tenant.users.has(objectId(USERS.disabled))).toBe(false);
    expect(tenant.users.get(objectId(USERS.admin))?.directoryRoles).toEqual(["Global Administrator"]);
  });

  it("makes groups of Entra group teams with their members, beside the nested sample groups", () => {
    const tenant = entraTenantOf(sampleOrg(), NOW);
    expect(tenant.groups.get(DATAVERSE_ADMINS_GROUP)?.displayName).toBe("Dataverse Admins");
    expect(tenant.users.get(objectId(USERS.compliantMarketing))?.groups.sort()).toEqual(
      [DATAVERSE_ADMINS_GROUP, SAMPLE_GROUPS.mfaExempt].sort(),
    );
    expect(tenant.groups.get(SAMPLE_GROUPS.mfaExempt)?.memberOf).toEqual([SAMPLE_GROUPS.allIntegrationAccounts]);
  });

  it("starts each seed afresh: changing one tenant leaves the next untouched", () => {
    entraTenantOf(sampleOrg(), NOW).users.get(objectId(USERS.admin))!.directoryRoles.push("Service Support Administrator");
    expect(entraTenantOf(sampleOrg(), NOW).users.get(objectId(USERS.admin))?.directoryRoles).toEqual(["Global Administrator"]);
  });

  it("registers an app with a valid secret and one owner for any other application user (generated orgs)", () => {
    const org = generateOrg({ users: 20, roleAssignments: 20, businessUnits: 1 });
    const appId = "0d000000-0000-4000-8000-0000000000cc";
    org.systemusers.push({
      ...org.systemusers.find((row) => row.systemuserid === USERS.applicationUser),
      systemuserid: "5e000000-0000-4000-8000-0000000000cc",
      applicationid: appId,
      azureactivedirectoryobjectid: "5e000000-0000-4000-8000-aad0000000cc",
    });
    const tenant = entraTenantOf(org, NOW);
    const app = tenant.applications.get(appId)!;
    expect(app.owners).toEqual([objectId(USERS.admin)]);
    expect(Date.parse(app.passwordCredentials[0].endDateTime)).toBeGreaterThan(NOW);
    expect(tenant.servicePrincipals.get(appId)).toMatchObject({
      id: "5e000000-0000-4000-8000-aad0000000cc",
      servicePrincipalType: "Application",
    });
  });

  it("gives an org without the sample admin's row its first person as the owner", () => {
    const org = sampleOrg();
    org.systemusers = org.systemusers.filter((row) => row.systemuserid !== USERS.admin);
    const tenant = entraTenantOf(org, NOW);
    expect(tenant.applications.get("0d000000-0000-4000-8000-000000000001")?.owners).toEqual([objectId(USERS.salesNonAdmin)]);
    expect(tenant.conditionalAccessPolicies[0].conditions.users.excludeUsers).toEqual([]);
  });
});
