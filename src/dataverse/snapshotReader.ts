import type { Actor, HostCapabilities, NonInteractiveCapacity, UserSnapshot } from "../core/snapshot";
import type { DataverseClient, Row } from "./client";
import { sameId } from "../core/ids";
import { DataverseError, toDataverseError } from "./errors";
import {
  countsTowardNonInteractiveLimit,
  NON_INTERACTIVE_USERS_QUERY,
  USER_ROLES_RELATIONSHIP,
  userAndNonInteractiveUsersQuery,
  userRolesQuery,
} from "./queries";
import { roleFromRow, stampedEntraFromRow, userFromRow } from "./snapshotRows";

/** What the snapshot needs from where it runs: the acting admin (the form only) and the deployment. */
export interface EnvironmentFacts {
  isOnPremises: boolean;
  actor: Actor | null;
  host?: HostCapabilities;
}

/**
 * Reads everything the rules need about one user in three requests, issued together: the user (with
 * the users the non-interactive limit counts), the roles they hold (a roles query, never a possibly
 * stale expansion), and RetrieveOrganizationResources, whose figures win when it answers.
 */
export async function readSnapshot(
  client: DataverseClient,
  userId: string,
  facts: EnvironmentFacts | Promise<EnvironmentFacts>,
  /** The acting admin, whose own access mode Dataverse checks before a switch; read in the same request. */
  actorId?: string,
): Promise<UserSnapshot> {
  const [userRows, roleRows, resources, environment] = await Promise.all([
    readAllPages(client, "systemuser", userAndNonInteractiveUsersQuery(userId, actorId)),
    readAllPages(client, "role", userRolesQuery(userId)),
    readOrganizationResources(client),
    facts,
  ]);
  const row = userRows.find((candidate) => typeof candidate.systemuserid === "string" && sameId(candidate.systemuserid, userId));
  if (!row) throw new DataverseError("not-found", `systemuser ${userId} cannot be read.`);
  const capacity = resources ?? { used: userRows.filter(countsTowardNonInteractiveLimit).length, max: null, source: "count" };
  const actorRow = actorId
    ? userRows.find((candidate) => typeof candidate.systemuserid === "string" && sameId(candidate.systemuserid, actorId))
    : undefined;
  const actor = environment.actor && actorRow ? { ...environment.actor, accessMode: userFromRow(actorRow).accessMode } : environment.actor;
  return {
    user: userFromRow(row),
    roles: roleRows.map(roleFromRow),
    capacity,
    ...environment,
    actor,
    stampedEntra: stampedEntraFromRow(row),
  };
}

async function readAllPages(client: DataverseClient, entityLogicalName: string, query: string): Promise<Row[]> {
  let page = await client.retrieveMultiple(entityLogicalName, query);
  const rows = [...page.rows];
  while (page.nextLink) {
    page = await client.retrieveNextPage(entityLogicalName, page.nextLink);
    rows.push(...page.rows);
  }
  return rows;
}

/** Builds a snapshot from a user row that carries its expanded roles; shared with readers that page many users. */
export function snapshotFromRow(row: Row, capacity: NonInteractiveCapacity, facts: EnvironmentFacts): UserSnapshot {
  const roleRows = Array.isArray(row[USER_ROLES_RELATIONSHIP]) ? (row[USER_ROLES_RELATIONSHIP] as Row[]) : [];
  return { user: userFromRow(row), roles: roleRows.map(roleFromRow), capacity, ...facts, stampedEntra: stampedEntraFromRow(row) };
}

/** The figures of RetrieveOrganizationResources, or null when it fails (or the host cannot call it). */
async function readOrganizationResources(client: DataverseClient): Promise<NonInteractiveCapacity | null> {
  try {
    const resources = await client.retrieveOrganizationResources();
    return {
      used: resources.CurrentNumberOfNonInteractiveUsers,
      max: resources.MaxNumberOfNonInteractiveUsers,
      source: "organizationResources",
    };
  } catch (error) {
    // An authentication failure will fail the user read too: say that, not a capacity estimate.
    if (toDataverseError(error).kind === "unauthorized") throw error;
    return null;
  }
}

/** The capacity alone: RetrieveOrganizationResources, else a count of the users the limit counts. */
export async function readCapacity(client: DataverseClient): Promise<NonInteractiveCapacity> {
  const resources = await readOrganizationResources(client);
  if (resources) return resources;
  try {
    const used = (await readAllPages(client, "systemuser", NON_INTERACTIVE_USERS_QUERY)).length;
    return { used, max: null, source: "count" };
  } catch {
    return { used: null, max: null, source: "unknown" };
  }
}
