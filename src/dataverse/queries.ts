import { ROLE_TEMPLATE_IDS } from "../core/roleNames";

/**
 * The Web API queries that build a snapshot and perform fixes, in one place so adapters, tests and
 * the emulator agree on them (systemuser, team, role and privilege table references; "Query data
 * using the Web API"; "Associate and disassociate table rows using the Web API").
 */
export const USER_COLUMNS = [
  "systemuserid",
  "fullname",
  "domainname",
  "accessmode",
  "isdisabled",
  "islicensed",
  "internalemailaddress",
  "emailrouteraccessapproval",
  "_businessunitid_value",
  "applicationid",
  "userlicensetype",
  "azureactivedirectoryobjectid",
  // The server's Entra verdict, which the form shows (it cannot call Graph): read with the user, no extra request.
  "svcacct_entraverdict",
  "svcacct_entraverdicton",
] as const;

export const ROLE_COLUMNS = ["roleid", "name", "_businessunitid_value", "_parentrootroleid_value", "_roletemplateid_value"] as const;
export const TEAM_COLUMNS = ["teamid", "name", "teamtype", "azureactivedirectoryobjectid", "isdefault"] as const;

/** The many-to-many relationships; each one's schema name is its navigation property on both sides. */
export const USER_ROLES_RELATIONSHIP = "systemuserroles_association";
export const TEAM_MEMBERSHIP_RELATIONSHIP = "teammembership_association";
export const TEAM_ROLES_RELATIONSHIP = "teamroles_association";
export const ROLE_PRIVILEGES_RELATIONSHIP = "roleprivileges_association";

/**
 * A user's teams as a single-level expansion: supported for N:N relationships, where a nested one is
 * not ("Only many-to-one relationships are supported for nested expansion", Join tables using OData),
 * so a team's roles are never expanded under the user.
 */
export const TEAMS_EXPAND = `${TEAM_MEMBERSHIP_RELATIONSHIP}($select=${TEAM_COLUMNS.join(",")})`;
export const DIRECT_ROLES_EXPAND = `${USER_ROLES_RELATIONSHIP}($select=${ROLE_COLUMNS.join(",")})`;

/** The user's own columns. A single-record read carries the row version as its ETag, which is right here: every change to these columns moves it. */
export const USER_QUERY = `?$select=${USER_COLUMNS.join(",")}`;

/**
 * Whether a user holds a role matching `condition` directly or through a team, as a `$filter` on
 * systemusers: lambda operators over collection-valued navigation properties, nested ones included
 * ("Filter rows": conditions on "multiple collection-valued navigation properties and nested
 * collections"; `systemusers?$filter=teammembership_association/any(t:t/name eq '…')` is Microsoft's example).
 */
export function holdsRole(condition: string): string {
  return `(${USER_ROLES_RELATIONSHIP}/any(r:r/${condition}) or ${TEAM_MEMBERSHIP_RELATIONSHIP}/any(t:t/${TEAM_ROLES_RELATIONSHIP}/any(r:r/${condition})))`;
}

/**
 * The roles users hold, directly or through any team they belong to, as a roles query filtered on the
 * relationships (a filter is evaluated now; "Join tables using OData" warns that expanded collections
 * may come from a cache, and `Xrm.WebApi` cannot send `If-None-Match: null`). So the set of roles is
 * always current. The expansions say where each comes from (the users among its direct holders, and
 * the teams holding it) and which of the watched privileges it grants; if an expansion lags, a role is
 * still held, only its source is unknown for a moment. The form asks for one user, the webhook for the
 * users of one coalescing window.
 */
export function userRolesQuery(userIds: string | readonly string[], watchedPrivileges: readonly string[]): string {
  const ids = (typeof userIds === "string" ? [userIds] : userIds).map(guid);
  const anyOf = (variable: string) => ids.map((id) => `${variable}systemuserid eq ${id}`).join(" or ");
  const expands = [
    `${USER_ROLES_RELATIONSHIP}($select=systemuserid;$filter=${anyOf("")})`,
    `${TEAM_ROLES_RELATIONSHIP}($select=teamid)`,
    ...(watchedPrivileges.length
      ? [`${ROLE_PRIVILEGES_RELATIONSHIP}($select=name;$filter=${privilegeNamesFilter(watchedPrivileges)})`]
      : []),
  ];
  const held = `${USER_ROLES_RELATIONSHIP}/any(u:${anyOf("u/")}) or ${TEAM_ROLES_RELATIONSHIP}/any(t:t/${TEAM_MEMBERSHIP_RELATIONSHIP}/any(u:${anyOf("u/")}))`;
  return `?$select=${ROLE_COLUMNS.join(",")}&$filter=${held}&$expand=${expands.join(",")}`;
}

export function privilegeNamesFilter(names: readonly string[]): string {
  return names.map((name) => `name eq ${odataString(name)}`).join(" or ");
}

/**
 * Fallback when RetrieveOrganizationResources fails: enabled non-interactive users that are not
 * application users (those do not count toward the limit). The filter and the predicate say the same.
 */
const NON_INTERACTIVE_FILTER = "accessmode eq 4 and applicationid eq null and isdisabled eq false";
export const NON_INTERACTIVE_USERS_QUERY = `?$select=systemuserid&$filter=${NON_INTERACTIVE_FILTER}`;

export function countsTowardNonInteractiveLimit(row: Record<string, unknown>): boolean {
  return row.accessmode === 4 && (row.applicationid ?? null) === null && row.isdisabled === false;
}

/**
 * The form's read of the user and their teams, which also brings the users the non-interactive limit
 * counts (at most a handful) and the acting admin's own row (their access mode) only if the admin is a
 * System Administrator, known by the role's template in any base language, directly or through a team.
 * So a load stays at three requests even when RetrieveOrganizationResources fails.
 */
export function userAndNonInteractiveUsersQuery(userId: string, actorId?: string): string {
  const actor = actorId
    ? ` or (systemuserid eq ${guid(actorId)} and ${holdsRole(`_roletemplateid_value eq ${ROLE_TEMPLATE_IDS.systemAdministrator}`)})`
    : "";
  return `${USER_QUERY}&$filter=systemuserid eq ${guid(userId)}${actor} or (${NON_INTERACTIVE_FILTER})&$expand=${TEAMS_EXPAND}`;
}

/** The copy of a role in one business unit (roles are copied per business unit). */
export function roleInBusinessUnitQuery(roleName: string, businessUnitId: string): string {
  return `?$select=roleid,name,_businessunitid_value&$filter=name eq ${odataString(roleName)} and _businessunitid_value eq ${guid(businessUnitId)}`;
}

/** OData string literal: single quotes doubled (OData URL conventions), then URL-encoded. */
export function odataString(value: string): string {
  return `'${encodeURIComponent(value.replace(/'/g, "''"))}'`;
}

export function guid(id: string): string {
  const bare = id.replace(/[{}]/g, "");
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(bare)) throw new Error(`Not a GUID: ${id}`);
  return bare;
}

/** Holders of a role, through the relationship's navigation from the role side. */
export function roleHoldersPath(roleId: string): string {
  return `roles(${guid(roleId)})/${USER_ROLES_RELATIONSHIP}?$select=systemuserid`;
}

/** Members of a team, through the relationship's navigation from the team side. */
export function teamMembersPath(teamId: string): string {
  return `teams(${guid(teamId)})/${TEAM_MEMBERSHIP_RELATIONSHIP}?$select=systemuserid`;
}

/** A member in AddMembersTeam and RemoveMembersTeam: a systemuser keyed by `ownerid`, its principal key ("Use Web API actions"). */
export function teamMember(userId: string): { "@odata.type": string; ownerid: string } {
  return { "@odata.type": "Microsoft.Dynamics.CRM.systemuser", ownerid: userId };
}
