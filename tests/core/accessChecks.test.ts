import { evaluate } from "../../src/core/evaluate";
import { DEFAULT_POLICY, policyFrom } from "../../src/core/policy";
import type { Check, CheckId } from "../../src/core/report";
import { ROLE_TEMPLATE_IDS } from "../../src/core/roleNames";
import { TeamType, type RoleAssignment } from "../../src/core/snapshot";
import { role, snapshot, team } from "../support/snapshots";

const check = (roles: RoleAssignment[], id: CheckId, policy = DEFAULT_POLICY): Check => {
  const found = evaluate(snapshot({ roles: [role("Integration Service Account"), ...roles] }), policy).checks.find((c) => c.id === id);
  if (!found) throw new Error(`no ${id}`);
  return found;
};

const ENTRA_TEAM = team("Dataverse Admins", TeamType.EntraSecurityGroup);
const OWNER_TEAM = team("Legacy Admins", TeamType.Owner);
const DEFAULT_TEAM = team("Contoso", TeamType.Owner, { isDefault: true });

describe("roles held through teams", () => {
  it("fails System Administrator held only through a Microsoft Entra group team, names the team, and offers no Dataverse fix", () => {
    const admin = role("System Administrator", undefined, "r-sa", { source: { kind: "team", team: ENTRA_TEAM } });
    expect(check([admin], "forbidden-roles")).toEqual({
      id: "forbidden-roles",
      status: "fail",
      messageKey: "check_forbiddenRoles_fail",
      params: { roles: [{ key: "grant_entraTeam", params: { role: "System Administrator", team: "Dataverse Admins" } }] },
      fixes: [],
      grants: [{ roleId: "r-sa", roleName: "System Administrator", source: { kind: "team", team: ENTRA_TEAM } }],
    });
    // A Microsoft 365 (Office) group team is an Entra group too.
    const office = team("Integrations", TeamType.EntraOfficeGroup);
    expect(check([{ ...admin, source: { kind: "team", team: office } }], "forbidden-roles").params).toEqual({
      roles: [{ key: "grant_entraTeam", params: { role: "System Administrator", team: "Integrations" } }],
    });
  });

  it("offers to take the account out of an owner team, once per team however many forbidden roles it grants", () => {
    const through = { source: { kind: "team" as const, team: OWNER_TEAM } };
    const report = check(
      [role("System Customizer", undefined, "r-sc", through), role("System Administrator", undefined, "r-sa", through)],
      "forbidden-roles",
    );
    expect(report.fixes).toEqual([{ action: "remove-from-team", teamId: OWNER_TEAM.teamId, teamName: "Legacy Admins" }]);
    expect(report.params).toEqual({
      roles: [
        { key: "grant_team", params: { role: "System Customizer", team: "Legacy Admins" } },
        { key: "grant_team", params: { role: "System Administrator", team: "Legacy Admins" } },
      ],
    });
  });

  it("never offers to leave a business unit's default team, nor to remove a role whose source is not known yet", () => {
    const fromDefault = role("System Customizer", undefined, "r-sc", { source: { kind: "team", team: DEFAULT_TEAM } });
    const unknown = role("System Administrator", undefined, "r-sa", { source: { kind: "unattributed" } });
    const result = check([fromDefault, unknown], "forbidden-roles");
    expect(result).toMatchObject({ status: "fail", fixes: [] });
    expect(result.params).toEqual({
      roles: [
        { key: "grant_defaultTeam", params: { role: "System Customizer", team: "Contoso" } },
        { key: "grant_unattributed", params: { role: "System Administrator" } },
      ],
    });
  });

  it("offers the direct removal and the team removal side by side for a role held both ways", () => {
    const direct = role("System Administrator", undefined, "r-sa");
    const throughTeam = { ...direct, source: { kind: "team" as const, team: OWNER_TEAM } };
    expect(check([direct, throughTeam], "forbidden-roles").fixes).toEqual([
      { action: "remove-role", roleId: "r-sa", roleName: "System Administrator" },
      { action: "remove-from-team", teamId: OWNER_TEAM.teamId, teamName: "Legacy Admins" },
    ]);
  });

  it("counts the service role held through a team of the user's business unit", () => {
    const report = evaluate(
      snapshot({ roles: [role("Integration Service Account", undefined, "r-isa", { source: { kind: "team", team: OWNER_TEAM } })] }),
      DEFAULT_POLICY,
    );
    expect(report.checks.find((c) => c.id === "service-role")?.status).toBe("pass");
    expect(report.status).toBe("compliant");
  });
});

describe("roles known in every language", () => {
  it("recognizes System Administrator and System Customizer by their template, whatever the base language calls them", () => {
    const admin = role("Administrateur système", undefined, "r-sa", { templateId: ROLE_TEMPLATE_IDS.systemAdministrator.toUpperCase() });
    const customizer = role("Personnalisateur du système", undefined, "r-sc", { templateId: `{${ROLE_TEMPLATE_IDS.systemCustomizer}}` });
    expect(check([admin, customizer], "forbidden-roles")).toMatchObject({
      status: "fail",
      fixes: [
        { action: "remove-role", roleId: "r-sa", roleName: "Administrateur système" },
        { action: "remove-role", roleId: "r-sc", roleName: "Personnalisateur du système" },
      ],
    });
  });

  it("keeps matching custom roles by name, without case, and never by a template they do not have", () => {
    const policy = policyFrom({ forbiddenRoleNames: "vendor admin" });
    expect(check([role("Vendor Admin")], "forbidden-roles", policy).status).toBe("fail");
    // Another role with the System Administrator template is not "Vendor Admin".
    expect(
      check(
        [role("Administrateur système", undefined, "r-sa", { templateId: ROLE_TEMPLATE_IDS.systemAdministrator })],
        "forbidden-roles",
        policy,
      ).status,
    ).toBe("pass");
    // A custom role that only borrows the name of a system role is still matched by that name.
    expect(check([role("System Administrator", undefined, "r-fake", { templateId: null })], "forbidden-roles").status).toBe("fail");
  });
});

describe("privileges that matter", () => {
  const manager = (privileges: string[], overrides = {}) =>
    role("Integration Role Manager", undefined, "r-irm", { privileges, ...overrides });

  it("fails a privilege that lets the account raise its own access, naming it and the role granting it", () => {
    expect(check([manager(["prvAssignRole", "prvActOnBehalfOfAnotherUser"])], "forbidden-privileges")).toEqual({
      id: "forbidden-privileges",
      status: "fail",
      messageKey: "check_forbiddenPrivileges_fail",
      params: {
        privileges: [
          {
            key: "grant_privilege",
            params: { privilege: "prvAssignRole", grant: [{ key: "grant_direct", params: { role: "Integration Role Manager" } }] },
          },
        ],
      },
      fixes: [],
      grants: [{ roleId: "r-irm", roleName: "Integration Role Manager", source: { kind: "direct" }, privileges: ["prvAssignRole"] }],
    });
  });

  it("warns about impersonation, which some integrations need, and names the team granting it", () => {
    const throughTeam = manager(["PRVACTONBEHALFOFANOTHERUSER"], { source: { kind: "team", team: OWNER_TEAM } });
    const report = evaluate(snapshot({ roles: [role("Integration Service Account"), throughTeam] }), DEFAULT_POLICY);
    expect(report.checks.find((c) => c.id === "forbidden-privileges")?.status).toBe("pass");
    expect(report.checks.find((c) => c.id === "sensitive-privileges")).toMatchObject({
      status: "warning",
      messageKey: "check_sensitivePrivileges_warning",
      params: {
        privileges: [
          {
            key: "grant_privilege",
            params: {
              privilege: "PRVACTONBEHALFOFANOTHERUSER",
              grant: [{ key: "grant_team", params: { role: "Integration Role Manager", team: "Legacy Admins" } }],
            },
          },
        ],
      },
    });
    expect(report.status).toBe("needs-attention");
  });

  it("leaves the privileges of a forbidden role to the forbidden-roles finding", () => {
    const admin = role("System Administrator", undefined, "r-sa", { privileges: ["prvAssignRole", "prvActOnBehalfOfAnotherUser"] });
    expect(check([admin], "forbidden-privileges").status).toBe("pass");
    expect(check([admin], "sensitive-privileges").status).toBe("pass");
  });

  it("is a check by hand, never a pass, when a role's privileges could not be read", () => {
    expect(check([manager([]), role("Vendor Role", undefined, "r-v", { privileges: undefined })], "forbidden-privileges")).toEqual({
      id: "forbidden-privileges",
      status: "manual",
      messageKey: "check_privileges_unread",
      params: { roles: [{ key: "grant_direct", params: { role: "Vendor Role" } }] },
      fixes: [],
    });
    // A found privilege decides even when another role was not read.
    expect(
      check([manager(["prvAssignRole"]), role("Vendor Role", undefined, "r-v", { privileges: undefined })], "forbidden-privileges").status,
    ).toBe("fail");
    // Nothing watched: nothing to read.
    const none = policyFrom({ forbiddenPrivilegeNames: "", warningPrivilegeNames: "" });
    expect(check([role("Vendor Role", undefined, "r-v", { privileges: undefined })], "forbidden-privileges", none).status).toBe("pass");
  });

  it("holds application users to the privilege checks too", () => {
    const app = snapshot({ user: { applicationId: "0d000000-0000-4000-8000-000000000002" }, roles: [manager(["prvCreateRole"])] });
    const report = evaluate(app, DEFAULT_POLICY);
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ["account-type", "pass"],
      ["account-enabled", "pass"],
      ["forbidden-roles", "pass"],
      ["forbidden-privileges", "fail"],
      ["sensitive-privileges", "pass"],
      ["app-credentials", "manual"],
      ["app-owner", "manual"],
    ]);
    expect(report.status).toBe("non-compliant");
  });
});
