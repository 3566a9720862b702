/**
 * The Web API queries that build a snapshot and perform fixes, in one place so adapters, tests and
 * the emulator agree on them (systemuser and role table references; "Associate and disassociate
 * table rows using the Web API").
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

export const ROLE_COLUMNS = ["roleid", "name", "_businessunitid_value", "_parentrootroleid_value"] as const;

export const USER_ROLES_RELATIONSHIP = "systemuserroles_association";

/** The user's own columns. A single-record read carries the row version as its ETag, which is right here: every change to these columns moves it. */
export const USER_QUERY = `?$select=${USER_COLUMNS.join(",")}`;

/** The user with every role they hold, for readers outside the form (the HTTP client sends `If-None-Match: null` on expansions). */
export const USER_WITH_ROLES_QUERY = `${USER_QUERY}&$expand=${USER_ROLES_RELATIONSHIP}($select=${ROLE_COLUMNS.join(",")})`;

/**
 * The roles a user holds, as a roles query filtered on the association ("Filter rows": lambda
 * operators). Not `$expand` on the user: associating or removing a role does not move the user's row
 * version, so a browser revalidating that read gets 304 and the old roles ("Join tables using OData"
 * warns that expanded collections can be stale; `Xrm.WebApi` cannot send `If-None-Match: null`).
 */
export function userRolesQuery(userId: string): string {
  return `?$select=${ROLE_COLUMNS.join(",")}&$filter=${USER_ROLES_RELATIONSHIP}/any(u:u/systemuserid eq ${guid(userId)})`;
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
 * The form's read of the user, which also brings the acting admin's own row (their access mode) and
 * the users the non-interactive limit counts (at most a handful), so a load stays at three requests
 * even when RetrieveOrganizationResources fails.
 */
export function userAndNonInteractiveUsersQuery(userId: string, actorId?: string): string {
  const actor = actorId ? ` or systemuserid eq ${guid(actorId)}` : "";
  return `${USER_QUERY}&$filter=systemuserid eq ${guid(userId)}${actor} or (${NON_INTERACTIVE_FILTER})`;
}

/** The copy of a role in one business unit (roles are copied per business unit). */
export function roleInBusinessUnitQuery(roleName: string, businessUnitId: string): string {
  return `?$select=roleid,name,_businessunitid_value&$filter=name eq ${odataString(roleName)} and _businessunitid_value eq ${guid(businessUnitId)}`;
}

/** OData string literal: single quotes doubled (OData URL conventions), then URL-encoded. */
export function odataString(value: string): string {
  return `'${encodeURIComponent(value.replace(/'/g, "''"))}'`;
}

function guid(id: string): string {
  const bare = id.replace(/[{}]/g, "");
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(bare)) throw new Error(`Not a GUID: ${id}`);
  return bare;
}

/** The webhook's read: the user, their roles, and the badge it may have to update. */
export const USER_WITH_ROLES_AND_BADGE_QUERY = `?$select=${[...USER_COLUMNS, "svcacct_compliancestatus", "svcacct_compliancesummary"].join(",")}&$expand=${USER_ROLES_RELATIONSHIP}($select=${ROLE_COLUMNS.join(",")})`;

/** Holders of a role, through the relationship's navigation from the role side. */
export function roleHoldersPath(roleId: string): string {
  return `roles(${guid(roleId)})/${USER_ROLES_RELATIONSHIP}?$select=systemuserid`;
}
