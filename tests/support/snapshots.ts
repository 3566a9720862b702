import type { RoleAssignment, TeamMembership, UserRecord, UserSnapshot } from "../../src/core/snapshot";

export const ROOT_BU = "10000000-0000-0000-0000-000000000001";
export const CHILD_BU = "10000000-0000-0000-0000-000000000002";
export const USER_ID = "20000000-0000-0000-0000-000000000001";
export const ADMIN_ID = "20000000-0000-0000-0000-0000000000ad";

export const ALL_PRIVILEGES = new Set(["prvReadUser", "prvWriteUser", "prvAssignRole", "prvReadRole", "prvWriteTeam"]);

/** A role held directly, granting none of the watched privileges, unless the overrides say otherwise. */
export function role(
  name: string,
  businessUnitId = ROOT_BU,
  roleId = `r-${name}-${businessUnitId.slice(-1)}`,
  overrides: Partial<RoleAssignment> = {},
): RoleAssignment {
  return {
    roleId,
    name,
    businessUnitId,
    businessUnitName: businessUnitId === ROOT_BU ? "Contoso" : "Contoso Sales",
    source: { kind: "direct" },
    privileges: [],
    ...overrides,
  };
}

/** A team of the user's, for roles held through it. */
export function team(name: string, teamType: number, overrides: Partial<TeamMembership> = {}): TeamMembership {
  return { teamId: `t-${name}`, name, teamType, entraGroupId: teamType >= 2 ? `g-${name}` : null, isDefault: false, ...overrides };
}

/** A compliant service account in the root business unit, seen by an admin with every privilege. */
export function snapshot(overrides: { user?: Partial<UserRecord> } & Partial<Omit<UserSnapshot, "user">> = {}): UserSnapshot {
  const { user, ...rest } = overrides;
  return {
    user: {
      systemUserId: USER_ID,
      fullName: "Integration ERP",
      domainName: "svc-erp@contoso.com",
      accessMode: 4,
      isDisabled: false,
      isLicensed: false,
      primaryEmail: "svc-erp@contoso.com",
      emailApproval: 1,
      businessUnitId: ROOT_BU,
      businessUnitName: "Contoso",
      applicationId: null,
      userLicenseType: null,
      etag: 'W/"1001"',
      ...user,
    },
    roles: [role("Integration Service Account")],
    capacity: { used: 6, max: 7, source: "organizationResources" },
    isOnPremises: false,
    actor: { userId: ADMIN_ID, privileges: ALL_PRIVILEGES },
    ...rest,
  };
}
