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
] as const;

export const ROLE_COLUMNS = ["roleid", "name", "_businessunitid_value", "_parentrootroleid_value"] as const;

export const USER_ROLES_RELATIONSHIP = "systemuserroles_association";

/** One request for the user and every role they hold. */
export const USER_WITH_ROLES_QUERY = `?$select=${USER_COLUMNS.join(",")}&$expand=${USER_ROLES_RELATIONSHIP}($select=${ROLE_COLUMNS.join(",")})`;

/**
 * Fallback when RetrieveOrganizationResources fails: enabled non-interactive users that are not
 * application users (those do not count toward the limit).
 */
export const NON_INTERACTIVE_USERS_QUERY = "?$select=systemuserid&$filter=accessmode eq 4 and applicationid eq null and isdisabled eq false";

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
