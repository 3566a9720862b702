import type { RoleAssignment, RoleSource, StampedEntraCheck, StampedEntraVerdict, TeamMembership, UserRecord } from "../core/snapshot";
import type { Row } from "./client";

/** The annotation Dataverse formats a lookup or choice with (Prefer: odata.include-annotations). */
export const FORMATTED = "@OData.Community.Display.V1.FormattedValue";

/** The systemuser column each field of a user record is read from (null: derived from an annotation or the row version). */
export const USER_FIELD_COLUMNS: Record<keyof UserRecord, string | null> = {
  systemUserId: "systemuserid",
  fullName: "fullname",
  domainName: "domainname",
  accessMode: "accessmode",
  isDisabled: "isdisabled",
  isLicensed: "islicensed",
  primaryEmail: "internalemailaddress",
  emailApproval: "emailrouteraccessapproval",
  businessUnitId: "businessunitid",
  businessUnitName: null,
  applicationId: "applicationid",
  userLicenseType: "userlicensetype",
  etag: null,
  entraObjectId: "azureactivedirectoryobjectid",
};

/** Maps Web API rows to the snapshot's records: the only place that knows column names and annotations. */
export function userFromRow(row: Row): UserRecord {
  return {
    systemUserId: text(row.systemuserid) ?? "",
    fullName: text(row.fullname) ?? "",
    domainName: text(row.domainname) ?? "",
    accessMode: numberOr(row.accessmode, 0),
    isDisabled: row.isdisabled === true,
    isLicensed: row.islicensed === true,
    primaryEmail: text(row.internalemailaddress),
    emailApproval: numberOrNull(row.emailrouteraccessapproval),
    businessUnitId: text(row._businessunitid_value) ?? "",
    businessUnitName: text(row[`_businessunitid_value${FORMATTED}`]) ?? undefined,
    applicationId: text(row.applicationid),
    userLicenseType: numberOrNull(row.userlicensetype),
    etag: text(row["@odata.etag"]),
    entraObjectId: text(row.azureactivedirectoryobjectid),
  };
}

/**
 * The server's Entra verdict as stamped on the user: `svcacct_entraverdict` holds the checks as JSON
 * (`{"checks":[{id, status, messageKey, params}]}`), `svcacct_entraverdicton` when it was set. Anything
 * unreadable counts as no verdict: the form then says "check by hand" rather than guess.
 */
export function stampedEntraFromRow(row: Row): StampedEntraVerdict | null {
  const json = text(row.svcacct_entraverdict);
  const decidedOn = text(row.svcacct_entraverdicton);
  if (!json || !decidedOn) return null;
  try {
    const parsed = JSON.parse(json) as { checks?: unknown };
    if (!Array.isArray(parsed.checks)) return null;
    const checks = parsed.checks.filter(
      (check): check is StampedEntraCheck =>
        typeof check === "object" &&
        check !== null &&
        typeof (check as StampedEntraCheck).id === "string" &&
        typeof (check as StampedEntraCheck).messageKey === "string",
    );
    return { decidedOn, checks };
  } catch {
    return null;
  }
}

/** svcacct_entraverdict's MaxLength: Dataverse refuses a longer value, and the badge with it. */
export const ENTRA_VERDICT_MAX = 4000;

/** A check whose text parameters are cut to `cap` characters (a user holding dozens of directory roles). */
function shortened(check: StampedEntraCheck, cap: number): StampedEntraCheck {
  if (!check.params) return check;
  const params = Object.fromEntries(
    Object.entries(check.params).map(([name, value]) => [
      name,
      typeof value === "string" && value.length > cap ? `${value.slice(0, cap - 1)}…` : value,
    ]),
  );
  return { ...check, params };
}

/**
 * The verdict columns' value for these checks (the time is written only when the verdict changes),
 * within the column's length: long text parameters are cut until it fits.
 */
export function entraVerdictText(checks: StampedEntraCheck[]): string {
  let text = JSON.stringify({ checks });
  for (const cap of [200, 60, 20]) {
    if (text.length <= ENTRA_VERDICT_MAX) break;
    text = JSON.stringify({ checks: checks.map((check) => shortened(check, cap)) });
  }
  return text;
}

/** A role row (ROLE_COLUMNS) as held in one way, with the watched privileges it grants when they were read. */
export function roleFromRow(row: Row, source: RoleSource, privileges?: string[]): RoleAssignment {
  return {
    roleId: text(row.roleid) ?? "",
    name: text(row.name) ?? "",
    businessUnitId: text(row._businessunitid_value) ?? "",
    businessUnitName: text(row[`_businessunitid_value${FORMATTED}`]) ?? undefined,
    parentRootRoleId: text(row._parentrootroleid_value) ?? undefined,
    templateId: text(row._roletemplateid_value),
    source,
    ...(privileges ? { privileges } : {}),
  };
}

/** A team row (TEAM_COLUMNS). */
export function teamFromRow(row: Row): TeamMembership {
  return {
    teamId: text(row.teamid) ?? "",
    name: text(row.name) ?? "",
    teamType: numberOr(row.teamtype, 0),
    entraGroupId: text(row.azureactivedirectoryobjectid),
    isDefault: row.isdefault === true,
  };
}

/** The rows of an expanded collection-valued navigation property; none when it was not expanded. */
export function expandedRows(row: Row, navigation: string): Row[] {
  const value = row[navigation];
  return Array.isArray(value) ? (value as Row[]) : [];
}

export function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function numberOr(value: unknown, fallback: number): number {
  return numberOrNull(value) ?? fallback;
}
