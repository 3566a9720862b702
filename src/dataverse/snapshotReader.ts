import type { Actor, HostCapabilities, NonInteractiveCapacity, UserSnapshot } from "../core/snapshot";
import { AccessMode } from "../core/snapshot";
import type { DataverseClient, Row } from "./client";
import { sameId } from "../core/ids";
import { DataverseError, toDataverseError } from "./errors";
import { countsTowardNonInteractiveLimit, NON_INTERACTIVE_USERS_QUERY, userAndNonInteractiveUsersQuery, userRolesQuery } from "./queries";
import { effectiveRoles, holdingsFromRoleRows, teamsOfUserRow } from "./roleHoldings";
import { stampedEntraFromRow, userFromRow } from "./snapshotRows";

/** What the snapshot needs from where it runs: the acting admin (the form only) and the deployment. */
export interface EnvironmentFacts {
  isOnPremises: boolean;
  actor: Actor | null;
  host?: HostCapabilities;
}

/**
 * Reads everything the rules need about one user in three requests, issued together: the user with
 * their teams (and the users the non-interactive limit counts), the roles they hold directly and
 * through those teams with the watched privileges (a roles query, never a possibly stale expansion of
 * the user), and RetrieveOrganizationResources, whose figures win when it answers.
 */
export async function readSnapshot(
  client: DataverseClient,
  userId: string,
  facts: EnvironmentFacts | Promise<EnvironmentFacts>,
  /** The acting admin, whose own access mode Dataverse checks before a switch; read in the same request. */
  actorId?: string,
  /** The privileges the policy fails or warns on (watchedPrivileges). */
  watched: readonly string[] = [],
): Promise<UserSnapshot> {
  const [userRows, roleRows, resources, environment] = await Promise.all([
    readAllPages(client, "systemuser", userAndNonInteractiveUsersQuery(userId, actorId)),
    readAllPages(client, "role", userRolesQuery(userId, watched)),
    readOrganizationResources(client),
    facts,
  ]);
  const row = userRows.find((candidate) => typeof candidate.systemuserid === "string" && sameId(candidate.systemuserid, userId));
  if (!row) throw new DataverseError("not-found", `systemuser ${userId} cannot be read.`);
  const capacity = resources ?? { used: userRows.filter(countsTowardNonInteractiveLimit).length, max: null, source: "count" };
  return {
    user: userFromRow(row),
    roles: effectiveRoles(holdingsFromRoleRows(userId, teamsOfUserRow(row), roleRows, watched, "this user")),
    capacity,
    ...environment,
    actor: environment.actor && actorId ? actorFrom(environment.actor, actorId, userId, userRows) : environment.actor,
    stampedEntra: stampedEntraFromRow(row),
  };
}

/**
 * The acting admin as the user read says: their row comes back only when they hold System
 * Administrator (by template, directly or through a team), with their access mode. It cannot tell when
 * the admin is the user read, or non-interactive (the read brings those anyway): then it is unknown.
 */
function actorFrom(actor: Actor, actorId: string, userId: string, userRows: Row[]): Actor {
  if (sameId(actorId, userId)) return { ...actor, isSystemAdministrator: null };
  const actorRow = userRows.find((candidate) => typeof candidate.systemuserid === "string" && sameId(candidate.systemuserid, actorId));
  if (!actorRow) return { ...actor, isSystemAdministrator: false };
  const accessMode = userFromRow(actorRow).accessMode;
  return { ...actor, accessMode, isSystemAdministrator: accessMode === AccessMode.NonInteractive ? null : true };
}

/** Every page of a query's rows. */
export async function readAllPages(client: DataverseClient, entityLogicalName: string, query: string): Promise<Row[]> {
  let page = await client.retrieveMultiple(entityLogicalName, query);
  const rows = [...page.rows];
  while (page.nextLink) {
    page = await client.retrieveNextPage(entityLogicalName, page.nextLink);
    rows.push(...page.rows);
  }
  return rows;
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
