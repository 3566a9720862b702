import type { HttpDataverseClient } from "../dataverse-node/httpClient";
import { roleHoldersPath, teamMembersPath } from "../dataverse/queries";

/** The webhook's reads of whom a role or a team reaches, over one client (WebhookDependencies). */
export function membershipReaders(client: HttpDataverseClient): {
  roleHolders: (roleId: string) => Promise<string[]>;
  teamMembers: (teamId: string) => Promise<string[]>;
} {
  return { roleHolders: (roleId) => readRoleHolders(client, roleId), teamMembers: (teamId) => readTeamMembers(client, teamId) };
}

/** Every user holding a role directly, page by page. */
export function readRoleHolders(client: HttpDataverseClient, roleId: string): Promise<string[]> {
  return readUserIds(client, roleHoldersPath(roleId));
}

/** Every member of a team, page by page. */
export function readTeamMembers(client: HttpDataverseClient, teamId: string): Promise<string[]> {
  return readUserIds(client, teamMembersPath(teamId));
}

/** The systemuserid of every row of a filtered collection of users. */
async function readUserIds(client: HttpDataverseClient, path: string): Promise<string[]> {
  const ids: string[] = [];
  let page = await client.retrieveNextPage("systemuser", `${client.apiUrl}${path}`, 5000);
  for (;;) {
    ids.push(...page.rows.map((row) => String(row.systemuserid)));
    if (!page.nextLink) return ids;
    page = await client.retrieveNextPage("systemuser", page.nextLink, 5000);
  }
}
