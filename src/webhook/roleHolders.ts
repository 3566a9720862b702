import type { HttpDataverseClient } from "../dataverse-node/httpClient";
import { roleHoldersPath } from "../dataverse/queries";

/** Every user holding a role, page by page. */
export async function readRoleHolders(client: HttpDataverseClient, roleId: string): Promise<string[]> {
  const ids: string[] = [];
  let page = await client.retrieveNextPage("systemuser", `${client.apiUrl}${roleHoldersPath(roleId)}`, 5000);
  for (;;) {
    ids.push(...page.rows.map((row) => String(row.systemuserid)));
    if (!page.nextLink) return ids;
    page = await client.retrieveNextPage("systemuser", page.nextLink, 5000);
  }
}
