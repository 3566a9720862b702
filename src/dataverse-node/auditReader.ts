import { watchedPrivileges, type CompliancePolicy } from "../core/policy";
import type { NonInteractiveCapacity, UserSnapshot } from "../core/snapshot";
import type { DataverseClient, Page, Row } from "../dataverse/client";
import { holdsRoleNamed, privilegeGrantsQuery, TEAMS_WITH_ROLES_QUERY, usersWithRolesAndTeamsQuery } from "./serverQueries";
import { effectiveRoles, holdingsFromUserRow, roleMapsFrom } from "../dataverse/roleHoldings";
import { readCapacity } from "../dataverse/snapshotReader";
import { snapshotFromRow, type UserAccess } from "./userAccess";

/** Dataverse's largest page ("Page results"). */
export const PAGE_SIZE = 5000;

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
  accounts: UserAccess[];
  capacity: NonInteractiveCapacity;
}

export interface ServiceAccountQuery {
  /** Read the badge columns too (the heal compares them before writing). */
  badge?: boolean;
  /** Also the users matching this `$filter` (e.g. whose badge still says they are a service account). */
  alsoFilter?: string;
}

/**
 * Reads every account that is or should be a service account, page by page, with the roles it holds
 * directly and through its teams: see `readServiceAccountRows`.
 */
export async function readServiceAccountSnapshots(
  client: DataverseClient,
  policy: CompliancePolicy,
  onProgress: (progress: AuditProgress) => void = () => undefined,
): Promise<AuditSnapshots> {
  const { accounts, capacity } = await readServiceAccountRows(client, policy, onProgress);
  const facts = { isOnPremises: false, actor: null };
  return { snapshots: accounts.map((account) => snapshotFromRow(account, capacity, facts)), capacity };
}

/**
 * The accounts behind the audit's snapshots; the heal reads them too. Three paged reads, whatever the
 * number of users or teams: the non-interactive users and the holders of the service role (directly or
 * through a team), each with their direct roles and teams expanded; every team that holds a role, with
 * its roles (a team's roles cannot be expanded under the user: nested N:N expansions are refused); and
 * the watched privileges with the roles granting them. Then the non-interactive capacity.
 */
export async function readServiceAccountRows(
  client: DataverseClient,
  policy: CompliancePolicy,
  onProgress: (progress: AuditProgress) => void = () => undefined,
  query: ServiceAccountQuery = {},
): Promise<ServiceAccountRows> {
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
  const watched = watchedPrivileges(policy);
  const accountsFilter = `accessmode eq 4 or ${holdsRoleNamed(policy.serviceRoleName)}${query.alsoFilter ? ` or (${query.alsoFilter})` : ""}`;
  const userRows = await all(
    "systemuser",
    `${usersWithRolesAndTeamsQuery({ badge: query.badge ?? false })}&$filter=${accountsFilter}`,
    "service accounts",
  );
  const teamRows = await all("team", TEAMS_WITH_ROLES_QUERY, "teams' roles");
  const privilegeRows = watched.length ? await all("privilege", privilegeGrantsQuery(watched), "privileges") : [];
  const maps = roleMapsFrom(teamRows, privilegeRows, watched);

  const capacity = await readCapacity(client);
  onProgress({ stage: "non-interactive limit", requests: ++requests });
  return { accounts: userRows.map((row) => ({ row, roles: effectiveRoles(holdingsFromUserRow(row, maps)) })), capacity };
}
