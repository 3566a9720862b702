import type { NonInteractiveCapacity, RoleAssignment, UserSnapshot } from "../core/snapshot";
import type { DataverseClient, Row } from "../dataverse/client";
import { userRolesQuery } from "../dataverse/queries";
import { effectiveRoles, holdingsFromRoleRows, teamsOfUserRow } from "../dataverse/roleHoldings";
import { readAllPages, type EnvironmentFacts } from "../dataverse/snapshotReader";
import { stampedEntraFromRow, userFromRow } from "../dataverse/snapshotRows";
import { IDS_PER_QUERY, usersWithTeamsAndBadgeQuery } from "./serverQueries";

/** A user's row and effective roles, as the server reads one user: what a snapshot and a badge are made of. */
export interface UserAccess {
  /** The user's columns, badge and teams (USER_WITH_TEAMS_AND_BADGE_QUERY). */
  row: Row;
  roles: RoleAssignment[];
}

/**
 * Users read by the server (the webhook, a window of events at a time): their rows with their teams,
 * and the roles query for all of them, issued together, IDS_PER_QUERY users a time. A user missing
 * from the answer is gone. Two reads serve up to IDS_PER_QUERY users.
 */
export async function readUsersAccess(
  client: DataverseClient,
  userIds: string[],
  watched: readonly string[],
): Promise<Map<string, UserAccess>> {
  const accesses = new Map<string, UserAccess>();
  for (let start = 0; start < userIds.length; start += IDS_PER_QUERY) {
    const ids = userIds.slice(start, start + IDS_PER_QUERY);
    const [rows, roleRows] = await Promise.all([
      readAllPages(client, "systemuser", usersWithTeamsAndBadgeQuery(ids)),
      readAllPages(client, "role", userRolesQuery(ids, watched)),
    ]);
    for (const row of rows) {
      const id = String(row.systemuserid);
      const roles = effectiveRoles(
        holdingsFromRoleRows(id, teamsOfUserRow(row), roleRows, watched, ids.length === 1 ? "this user" : "several users"),
      );
      accesses.set(id.toLowerCase(), { row, roles });
    }
  }
  return accesses;
}

/** One user read by the server, or null when the user is gone. */
export async function readUserAccess(client: DataverseClient, userId: string, watched: readonly string[]): Promise<UserAccess | null> {
  return (await readUsersAccess(client, [userId], watched)).get(userId.toLowerCase()) ?? null;
}

/** Builds a snapshot from a user's row and roles already read; shared with readers that page many users. */
export function snapshotFromRow({ row, roles }: UserAccess, capacity: NonInteractiveCapacity, facts: EnvironmentFacts): UserSnapshot {
  return { user: userFromRow(row), roles, capacity, ...facts, stampedEntra: stampedEntraFromRow(row) };
}
