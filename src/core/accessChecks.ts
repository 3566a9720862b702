import { isNamedRole } from "./roleNames";
import type { MessageKey, MessagePart } from "./messages";
import { samePrivilege, type CompliancePolicy } from "./policy";
import type { Check, Fix, Grant } from "./report";
import { TeamType, type RoleAssignment, type TeamMembership } from "./snapshot";

/**
 * The checks of what an account can really do: the roles it holds directly and through its teams
 * (a user's privileges are the union of both, "Security concepts in Dataverse"), and the privileges
 * those roles grant.
 */

function isForbiddenRole(role: RoleAssignment, policy: CompliancePolicy): boolean {
  return policy.forbiddenRoleNames.some((name) => isNamedRole(name, role));
}

export function forbiddenRolesCheck(roles: RoleAssignment[], policy: CompliancePolicy): Check {
  const id = "forbidden-roles";
  const forbidden = roles.filter((role) => isForbiddenRole(role, policy));
  if (forbidden.length === 0) return { id, status: "pass", messageKey: "check_forbiddenRoles_pass", fixes: [] };
  return {
    id,
    status: "fail",
    messageKey: "check_forbiddenRoles_fail",
    params: { roles: forbidden.map(grantPart) },
    fixes: fixesFor(forbidden),
    grants: forbidden.map((role) => grantOf(role)),
  };
}

/**
 * Privileges the policy forbids, granted by roles that are not already forbidden by name (those are
 * the forbidden-roles finding; their privileges would say it a second time).
 */
export function forbiddenPrivilegesCheck(roles: RoleAssignment[], policy: CompliancePolicy): Check {
  return privilegeCheck(roles, policy, policy.forbiddenPrivilegeNames, {
    id: "forbidden-privileges",
    status: "fail",
    pass: "check_forbiddenPrivileges_pass",
    found: "check_forbiddenPrivileges_fail",
  });
}

/** Privileges some integrations need (impersonation by default): a warning that names them and their roles. */
export function sensitivePrivilegesCheck(roles: RoleAssignment[], policy: CompliancePolicy): Check {
  return privilegeCheck(roles, policy, policy.warningPrivilegeNames, {
    id: "sensitive-privileges",
    status: "warning",
    pass: "check_sensitivePrivileges_pass",
    found: "check_sensitivePrivileges_warning",
  });
}

function privilegeCheck(
  roles: RoleAssignment[],
  policy: CompliancePolicy,
  names: string[],
  outcome: { id: "forbidden-privileges" | "sensitive-privileges"; status: "fail" | "warning"; pass: MessageKey; found: MessageKey },
): Check {
  const { id } = outcome;
  const considered = roles.filter((role) => !isForbiddenRole(role, policy));
  const grants = considered
    .map((role) => ({ role, privileges: (role.privileges ?? []).filter((held) => names.some((name) => samePrivilege(name, held))) }))
    .filter((grant) => grant.privileges.length > 0);
  if (grants.length) {
    return {
      id,
      status: outcome.status,
      messageKey: outcome.found,
      params: {
        privileges: grants.flatMap(({ role, privileges }) =>
          privileges.map((privilege): MessagePart => ({ key: "grant_privilege", params: { privilege, grant: [grantPart(role)] } })),
        ),
      },
      fixes: [],
      grants: grants.map(({ role, privileges }) => grantOf(role, privileges)),
    };
  }
  // A role whose privileges were not read could grant any of them: never a pass by default.
  const unread = names.length ? considered.filter((role) => role.privileges === undefined) : [];
  if (unread.length)
    return {
      id,
      status: "manual",
      messageKey: "check_privileges_unread",
      params: { roles: unread.map(grantPart) },
      fixes: [],
    };
  return { id, status: "pass", messageKey: outcome.pass, fixes: [] };
}

export function isEntraGroupTeam(team: Pick<TeamMembership, "teamType">): boolean {
  return team.teamType === TeamType.EntraSecurityGroup || team.teamType === TeamType.EntraOfficeGroup;
}

/**
 * Only what Dataverse accepts: a direct assignment is removed; membership of an owner team is ended
 * (RemoveMembersTeam). The members of a business unit's default team and of a Microsoft Entra group
 * team cannot be changed in Dataverse ("Manage teams"; CannotRemoveMembersFromDefaultTeam), and a role
 * whose source is not known yet offers nothing until a re-read says.
 */
function fixesFor(roles: RoleAssignment[]): Fix[] {
  const fixes: Fix[] = [];
  for (const role of roles) {
    const { source } = role;
    if (source.kind === "direct" && !fixes.some((fix) => fix.roleId === role.roleId))
      fixes.push({ action: "remove-role", roleId: role.roleId, roleName: role.name });
    if (
      source.kind === "team" &&
      source.team.teamType === TeamType.Owner &&
      !source.team.isDefault &&
      !fixes.some((fix) => fix.teamId === source.team.teamId)
    )
      fixes.push({ action: "remove-from-team", teamId: source.team.teamId, teamName: source.team.name });
  }
  return fixes;
}

function grantOf(role: RoleAssignment, privileges?: string[]): Grant {
  return { roleId: role.roleId, roleName: role.name, source: role.source, ...(privileges ? { privileges } : {}) };
}

/** The role and where it comes from, in words (the texts choose the language). */
export function grantPart(role: Pick<RoleAssignment, "name" | "source">): MessagePart {
  const { source } = role;
  if (source.kind === "direct") return { key: "grant_direct", params: { role: role.name } };
  if (source.kind === "unattributed") return { key: "grant_unattributed", params: { role: role.name } };
  const key = isEntraGroupTeam(source.team) ? "grant_entraTeam" : source.team.isDefault ? "grant_defaultTeam" : "grant_team";
  return { key, params: { role: role.name, team: source.team.name } };
}
