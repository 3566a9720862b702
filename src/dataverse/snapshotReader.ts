import type { Actor, NonInteractiveCapacity, UserSnapshot } from "../core/snapshot";
import type { DataverseClient, Row } from "./client";
import { toDataverseError } from "./errors";
import { NON_INTERACTIVE_USERS_QUERY, USER_ROLES_RELATIONSHIP, USER_WITH_ROLES_QUERY } from "./queries";
import { roleFromRow, userFromRow } from "./snapshotRows";

/** What the snapshot needs from where it runs: the acting admin (the form only) and the deployment. */
export interface EnvironmentFacts {
  isOnPremises: boolean;
  actor: Actor | null;
}

/**
 * Reads everything the rules need about one user in two requests, issued together: the user with
 * their roles, and RetrieveOrganizationResources. A third request counts non-interactive users only
 * when that function fails.
 */
export async function readSnapshot(
  client: DataverseClient,
  userId: string,
  facts: EnvironmentFacts | Promise<EnvironmentFacts>,
): Promise<UserSnapshot> {
  const [row, capacity, environment] = await Promise.all([
    client.retrieve("systemuser", userId, USER_WITH_ROLES_QUERY),
    readCapacity(client),
    facts,
  ]);
  return snapshotFromRow(row, capacity, environment);
}

/** Builds a snapshot from a user row that carries its expanded roles; shared with readers that page many users. */
export function snapshotFromRow(row: Row, capacity: NonInteractiveCapacity, facts: EnvironmentFacts): UserSnapshot {
  const roleRows = Array.isArray(row[USER_ROLES_RELATIONSHIP]) ? (row[USER_ROLES_RELATIONSHIP] as Row[]) : [];
  return { user: userFromRow(row), roles: roleRows.map(roleFromRow), capacity, ...facts };
}

export async function readCapacity(client: DataverseClient): Promise<NonInteractiveCapacity> {
  try {
    const resources = await client.retrieveOrganizationResources();
    return { used: resources.CurrentNumberOfNonInteractiveUsers, max: resources.MaxNumberOfNonInteractiveUsers, source: "organizationResources" };
  } catch (error) {
    // An authentication failure will fail the user read too: say that, not a capacity estimate.
    if (toDataverseError(error).kind === "unauthorized") throw error;
  }
  try {
    let page = await client.retrieveMultiple("systemuser", NON_INTERACTIVE_USERS_QUERY);
    let used = page.rows.length;
    while (page.nextLink) {
      page = await client.retrieveNextPage("systemuser", page.nextLink);
      used += page.rows.length;
    }
    return { used, max: null, source: "count" };
  } catch {
    return { used: null, max: null, source: "unknown" };
  }
}
