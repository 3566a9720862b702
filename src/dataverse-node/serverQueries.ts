import {
  DIRECT_ROLES_EXPAND,
  guid,
  holdsRole,
  odataString,
  privilegeNamesFilter,
  ROLE_COLUMNS,
  ROLE_PRIVILEGES_RELATIONSHIP,
  TEAM_ROLES_RELATIONSHIP,
  TEAMS_EXPAND,
  USER_COLUMNS,
} from "../dataverse/queries";

/**
 * The queries only the server sends (the webhook, the audit and the heal), beside the form's in
 * src/dataverse/queries.ts. The server's HTTP client sends `If-None-Match: null` on reads that expand,
 * so the expansions here are current ("Join tables using OData").
 */

/** The badge the webhook and the heal compare before writing. */
const BADGE_COLUMNS = ["svcacct_compliancestatus", "svcacct_compliancesummary"] as const;

/** Ids per `or` filter: keeps URLs far below the Web API's 32 KB limit ("Compose HTTP requests"). */
export const IDS_PER_QUERY = 50;

/** The webhook's read of some users: their columns, the badge it may have to update, and their teams. */
export function usersWithTeamsAndBadgeQuery(userIds: readonly string[]): string {
  const filter = userIds.map((id) => `systemuserid eq ${guid(id)}`).join(" or ");
  return `?$select=${[...USER_COLUMNS, ...BADGE_COLUMNS].join(",")}&$expand=${TEAMS_EXPAND}&$filter=${filter}`;
}

/** The audit's and the heal's users: with their direct roles and teams expanded, and the badge when it may be written. */
export function usersWithRolesAndTeamsQuery(options: { badge: boolean }): string {
  const columns = options.badge ? [...USER_COLUMNS, ...BADGE_COLUMNS] : USER_COLUMNS;
  return `?$select=${columns.join(",")}&$expand=${DIRECT_ROLES_EXPAND},${TEAMS_EXPAND}`;
}

/** Users holding the service role, directly or through a team: the audit reads them with the non-interactive users. */
export function holdsRoleNamed(roleName: string): string {
  return holdsRole(`name eq ${odataString(roleName)}`);
}

/** Every team holding a role, with its roles: the audit's map from a user's teams to their roles. */
export const TEAMS_WITH_ROLES_QUERY = `?$select=teamid&$filter=${TEAM_ROLES_RELATIONSHIP}/any(r:r/roleid ne null)&$expand=${TEAM_ROLES_RELATIONSHIP}($select=${ROLE_COLUMNS.join(",")})`;

/** The watched privileges with the roles granting each: the audit's map from roles to privileges. */
export function privilegeGrantsQuery(watchedPrivileges: readonly string[]): string {
  return `?$select=name&$filter=${privilegeNamesFilter(watchedPrivileges)}&$expand=${ROLE_PRIVILEGES_RELATIONSHIP}($select=roleid)`;
}
