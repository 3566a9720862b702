import { sameId } from "../core/ids";
import type { RoleAssignment, TeamMembership } from "../core/snapshot";
import type { Row } from "./client";
import { ROLE_PRIVILEGES_RELATIONSHIP, TEAM_MEMBERSHIP_RELATIONSHIP, TEAM_ROLES_RELATIONSHIP, USER_ROLES_RELATIONSHIP } from "./queries";
import { expandedRows, roleFromRow, teamFromRow } from "./snapshotRows";

/**
 * Everything about how one user holds roles, however it was read: the form and the webhook read it as
 * one roles query (userRolesQuery), the audit as expansions of many users plus two maps. Both end in
 * `effectiveRoles`, so every reader reports the same roles from the same sources.
 */
export interface RoleHoldings {
  /** Role rows the user holds directly. */
  direct: Row[];
  teams: TeamMembership[];
  /** The role rows a team holds. */
  rolesOfTeam: (teamId: string) => Row[];
  /** The watched privileges a role grants; undefined when they could not be read. */
  privilegesOf: (roleId: string) => string[] | undefined;
  /** Role rows a current filter says the user holds, which neither of the above explains yet. */
  unattributed?: Row[];
}

/** The union of the roles held directly and through teams, each with where it comes from. */
export function effectiveRoles(holdings: RoleHoldings): RoleAssignment[] {
  const role = (row: Row, source: RoleAssignment["source"]) => roleFromRow(row, source, holdings.privilegesOf(String(row.roleid)));
  return [
    ...holdings.direct.map((row) => role(row, { kind: "direct" })),
    ...holdings.teams.flatMap((team) => holdings.rolesOfTeam(team.teamId).map((row) => role(row, { kind: "team", team }))),
    ...(holdings.unattributed ?? []).map((row) => role(row, { kind: "unattributed" })),
  ];
}

/** The user's teams from an expansion of teammembership_association on their row. */
export function teamsOfUserRow(row: Row): TeamMembership[] {
  return expandedRows(row, TEAM_MEMBERSHIP_RELATIONSHIP).map(teamFromRow);
}

/** The watched privileges a role row's expansion names; [] when none are watched, undefined when the expansion is missing. */
function expandedPrivileges(row: Row, watched: readonly string[]): string[] | undefined {
  if (watched.length === 0) return [];
  if (!Array.isArray(row[ROLE_PRIVILEGES_RELATIONSHIP])) return undefined;
  return expandedRows(row, ROLE_PRIVILEGES_RELATIONSHIP).map((privilege) => String(privilege.name));
}

/**
 * Holdings from the rows of userRolesQuery and the user's teams. When the query asked for this user
 * alone, a row that neither expansion explains is still the user's: unattributed. When it asked for
 * several, such a row may be another user's, and the expansions (read fresh on the server) decide.
 */
export function holdingsFromRoleRows(
  userId: string,
  teams: TeamMembership[],
  rows: Row[],
  watched: readonly string[],
  asked: "this user" | "several users",
): RoleHoldings {
  const isDirect = (row: Row) => expandedRows(row, USER_ROLES_RELATIONSHIP).some((holder) => sameId(String(holder.systemuserid), userId));
  const heldByTeam = (row: Row, teamId: string) =>
    expandedRows(row, TEAM_ROLES_RELATIONSHIP).some((team) => sameId(String(team.teamid), teamId));
  const privileges = new Map(rows.map((row) => [String(row.roleid).toLowerCase(), expandedPrivileges(row, watched)]));
  return {
    direct: rows.filter(isDirect),
    teams,
    rolesOfTeam: (teamId) => rows.filter((row) => heldByTeam(row, teamId)),
    privilegesOf: (roleId) => privileges.get(roleId.toLowerCase()),
    unattributed: asked === "this user" ? rows.filter((row) => !isDirect(row) && !teams.some((team) => heldByTeam(row, team.teamId))) : [],
  };
}

/** The audit's maps, read once per run: each team's roles, and each role's watched privileges. */
export interface RoleMaps {
  rolesOfTeam: (teamId: string) => Row[];
  privilegesOf: (roleId: string) => string[] | undefined;
}

/** Holdings of one user row read with usersWithRolesAndTeamsQuery, through the run's maps. */
export function holdingsFromUserRow(row: Row, maps: RoleMaps): RoleHoldings {
  return { direct: expandedRows(row, USER_ROLES_RELATIONSHIP), teams: teamsOfUserRow(row), ...maps };
}

/** The maps from the rows of TEAMS_WITH_ROLES_QUERY and privilegeGrantsQuery. */
export function roleMapsFrom(teamRows: Row[], privilegeRows: Row[], watched: readonly string[]): RoleMaps {
  const rolesByTeam = new Map(teamRows.map((team) => [String(team.teamid).toLowerCase(), expandedRows(team, TEAM_ROLES_RELATIONSHIP)]));
  const privilegesByRole = new Map<string, string[]>();
  for (const privilege of privilegeRows)
    for (const role of expandedRows(privilege, ROLE_PRIVILEGES_RELATIONSHIP)) {
      const key = String(role.roleid).toLowerCase();
      privilegesByRole.set(key, [...(privilegesByRole.get(key) ?? []), String(privilege.name)]);
    }
  return {
    rolesOfTeam: (teamId) => rolesByTeam.get(teamId.toLowerCase()) ?? [],
    // Every role was looked up: one granting none of the watched privileges grants nothing to report.
    privilegesOf: (roleId) => (watched.length ? (privilegesByRole.get(roleId.toLowerCase()) ?? []) : []),
  };
}
