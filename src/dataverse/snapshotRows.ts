import type { RoleAssignment, UserRecord } from "../core/snapshot";
import type { Row } from "./client";

const FORMATTED = "@OData.Community.Display.V1.FormattedValue";

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
  };
}

export function roleFromRow(row: Row): RoleAssignment {
  return {
    roleId: text(row.roleid) ?? "",
    name: text(row.name) ?? "",
    businessUnitId: text(row._businessunitid_value) ?? "",
    businessUnitName: text(row[`_businessunitid_value${FORMATTED}`]) ?? undefined,
    parentRootRoleId: text(row._parentrootroleid_value) ?? undefined,
  };
}

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function numberOr(value: unknown, fallback: number): number {
  return numberOrNull(value) ?? fallback;
}
