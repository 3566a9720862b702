import type { CompliancePolicy } from "../core/policy";
import type { NonInteractiveCapacity, UserSnapshot } from "../core/snapshot";
import type { DataverseClient, Page, Row } from "../dataverse/client";
import { odataString, USER_WITH_ROLES_QUERY } from "../dataverse/queries";
import { readCapacity, snapshotFromRow } from "../dataverse/snapshotReader";

/** Dataverse's largest page ("Page results"). */
export const PAGE_SIZE = 5000;
/** Ids per `or` filter: keeps URLs far below Dataverse's length limit. */
const IDS_PER_REQUEST = 50;

export interface AuditProgress {
  /** What is being read, in words. */
  stage: string;
  requests: number;
}

export interface AuditSnapshots {
  snapshots: UserSnapshot[];
  capacity: NonInteractiveCapacity;
}

export interface ServiceAccountRows {
  rows: Row[];
  capacity: NonInteractiveCapacity;
}

export interface ServiceAccountQuery {
  /** The user query (`$select` and `$expand` of the roles); the audit's by default. */
  userQuery?: string;
  /** Also the users matching this `$filter` (e.g. whose badge still says they are a service account). */
  alsoFilter?: string;
}

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, index * size + size));
}

/**
 * Reads every account that is or should be a service account, page by page: the service role's
 * copies, who holds them (from the systemuserroles intersect table), the non-interactive users with
 * their roles, then the remaining holders with theirs. Requests grow with pages and with the number
 * of service accounts, never with the number of users; memory holds only the accounts audited.
 */
export async function readServiceAccountSnapshots(
  client: DataverseClient,
  policy: CompliancePolicy,
  onProgress: (progress: AuditProgress) => void = () => undefined,
): Promise<AuditSnapshots> {
  const { rows, capacity } = await readServiceAccountRows(client, policy, onProgress);
  const facts = { isOnPremises: false, actor: null };
  return { snapshots: rows.map((row) => snapshotFromRow(row, capacity, facts)), capacity };
}

/** The rows behind the audit's snapshots, read as `readServiceAccountSnapshots` says; the stamp reads them too. */
export async function readServiceAccountRows(
  client: DataverseClient,
  policy: CompliancePolicy,
  onProgress: (progress: AuditProgress) => void = () => undefined,
  query: ServiceAccountQuery = {},
): Promise<ServiceAccountRows> {
  const userQuery = query.userQuery ?? USER_WITH_ROLES_QUERY;
  let requests = 0;
  const all = async (entity: string, query: string, stage: string): Promise<Row[]> => {
    const rows: Row[] = [];
    let page: Page = await client.retrieveMultiple(entity, query, PAGE_SIZE);
    onProgress({ stage, requests: ++requests });
    rows.push(...page.rows);
    while (page.nextLink) {
      page = await client.retrieveNextPage(entity, page.nextLink, PAGE_SIZE);
      onProgress({ stage, requests: ++requests });
      rows.push(...page.rows);
    }
    return rows;
  };

  const serviceRoleIds = (await all("role", `?$select=roleid&$filter=name eq ${odataString(policy.serviceRoleName)}`, "service role")).map(
    (row) => String(row.roleid),
  );
  const holderIds = new Set<string>();
  for (const ids of chunks(serviceRoleIds, IDS_PER_REQUEST)) {
    const filter = ids.map((id) => `roleid eq ${id}`).join(" or ");
    for (const row of await all("systemuserroles", `?$select=systemuserid&$filter=${filter}`, "service role holders"))
      holderIds.add(String(row.systemuserid).toLowerCase());
  }

  const userRows = new Map<string, Row>();
  for (const row of await all("systemuser", `${userQuery}&$filter=accessmode eq 4`, "non-interactive users"))
    userRows.set(String(row.systemuserid).toLowerCase(), row);
  const missing = [...holderIds].filter((id) => !userRows.has(id));
  for (const ids of chunks(missing, IDS_PER_REQUEST)) {
    const filter = ids.map((id) => `systemuserid eq ${id}`).join(" or ");
    for (const row of await all("systemuser", `${userQuery}&$filter=${filter}`, "service role holders' details"))
      userRows.set(String(row.systemuserid).toLowerCase(), row);
  }
  if (query.alsoFilter) {
    for (const row of await all("systemuser", `${userQuery}&$filter=${query.alsoFilter}`, "other users"))
      userRows.set(String(row.systemuserid).toLowerCase(), row);
  }

  const capacity = await readCapacity(client);
  onProgress({ stage: "non-interactive limit", requests: ++requests });
  return { rows: [...userRows.values()], capacity };
}
