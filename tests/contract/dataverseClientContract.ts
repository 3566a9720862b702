/**
 * What every DataverseClient adapter must do against Dataverse (here: the emulator's sample org,
 * freshly reset). Runs in the browser for the Xrm adapter and in Node for the HTTP adapter, so
 * both adapters are held to the same expectations. Plain code, no test runner: it returns one
 * result per case.
 */
import type { DataverseClient } from "../../src/dataverse/client";
import { toDataverseError } from "../../src/dataverse/errors";
import { roleInBusinessUnitQuery, USER_QUERY, USER_ROLES_RELATIONSHIP, userRolesQuery } from "../../src/dataverse/queries";

export interface ContractIds {
  interactiveUser: string;
  compliantUser: string;
  rootBusinessUnit: string;
  serviceRoleName: string;
  /** Users in the org, for the paging case. */
  userCount: number;
  nonInteractiveUsed: number;
}

export interface ContractResult {
  name: string;
  passed: boolean;
  detail?: string;
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

async function rejectsWith(promise: Promise<unknown>, kind: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    const mapped = toDataverseError(error);
    check(mapped.kind === kind, `expected a ${kind} error, got ${mapped.kind}: ${mapped.message}`);
    return;
  }
  throw new Error(`expected a ${kind} error, but it succeeded`);
}

export async function runDataverseClientContract(client: DataverseClient, ids: ContractIds): Promise<ContractResult[]> {
  const cases: [string, () => Promise<void>][] = [
    [
      "retrieves a user with etag and formatted values, and the roles they hold",
      async () => {
        const row = await client.retrieve("systemuser", ids.compliantUser, USER_QUERY);
        check(row.systemuserid === ids.compliantUser, "systemuserid");
        check(row.accessmode === 4, "accessmode");
        check(typeof row["@odata.etag"] === "string", "@odata.etag");
        check(row["_businessunitid_value@OData.Community.Display.V1.FormattedValue"] === "Contoso", "formatted business unit");
        const roles = (await client.retrieveMultiple("role", userRolesQuery(ids.compliantUser, []))).rows;
        check(
          roles.some((role) => role.name === ids.serviceRoleName),
          "the user's roles",
        );
      },
    ],
    [
      "maps a missing row to not-found",
      () => rejectsWith(client.retrieve("systemuser", "00000000-0000-4000-8000-000000000000", "?$select=fullname"), "not-found"),
    ],
    [
      "finds the role copy of one business unit",
      async () => {
        const page = await client.retrieveMultiple("role", roleInBusinessUnitQuery(ids.serviceRoleName, ids.rootBusinessUnit));
        check(page.rows.length === 1, `expected 1 role, got ${page.rows.length}`);
        check(page.nextLink === undefined, "no next page");
      },
    ],
    [
      "pages with a page size and next links",
      async () => {
        const seen = new Set<string>();
        let page = await client.retrieveMultiple("systemuser", "?$select=fullname", 5);
        let pages = 1;
        page.rows.forEach((row) => seen.add(row.systemuserid as string));
        while (page.nextLink) {
          page = await client.retrieveNextPage("systemuser", page.nextLink, 5);
          pages++;
          page.rows.forEach((row) => seen.add(row.systemuserid as string));
        }
        check(seen.size === ids.userCount, `expected ${ids.userCount} users, got ${seen.size}`);
        check(pages === Math.ceil(ids.userCount / 5), `expected ${Math.ceil(ids.userCount / 5)} pages, got ${pages}`);
      },
    ],
    [
      "reads the organization's non-interactive figures",
      async () => {
        const resources = await client.retrieveOrganizationResources();
        check(
          resources.CurrentNumberOfNonInteractiveUsers === ids.nonInteractiveUsed,
          `used ${resources.CurrentNumberOfNonInteractiveUsers}`,
        );
        check(resources.MaxNumberOfNonInteractiveUsers === 7, `max ${resources.MaxNumberOfNonInteractiveUsers}`);
      },
    ],
    [
      "refuses an update over a newer version, then updates with the current one",
      async () => {
        await rejectsWith(client.update("systemuser", ids.interactiveUser, { accessmode: 4 }, { ifMatch: 'W/"1"' }), "conflict");
        const current = await client.retrieve("systemuser", ids.interactiveUser, "?$select=accessmode");
        check(current.accessmode === 0, "the refused update changed nothing");
        await client.update("systemuser", ids.interactiveUser, { accessmode: 4 }, { ifMatch: current["@odata.etag"] as string });
        const after = await client.retrieve("systemuser", ids.interactiveUser, "?$select=accessmode");
        check(after.accessmode === 4, "accessmode after the update");
      },
    ],
    [
      "associates a role, refuses it twice, and disassociates it",
      async () => {
        const role = (await client.retrieveMultiple("role", roleInBusinessUnitQuery(ids.serviceRoleName, ids.rootBusinessUnit))).rows[0];
        const roleId = role.roleid as string;
        await client.associate("systemuser", ids.interactiveUser, USER_ROLES_RELATIONSHIP, "role", roleId);
        const held = (await client.retrieveMultiple("role", userRolesQuery(ids.interactiveUser, []))).rows;
        check(
          held.some((r) => r.roleid === roleId),
          "the role is held after associate",
        );
        await rejectsWith(client.associate("systemuser", ids.interactiveUser, USER_ROLES_RELATIONSHIP, "role", roleId), "duplicate");
        await client.disassociate("systemuser", ids.interactiveUser, USER_ROLES_RELATIONSHIP, roleId);
        const after = (await client.retrieveMultiple("role", userRolesQuery(ids.interactiveUser, []))).rows;
        check(!after.some((r) => r.roleid === roleId), "the role is gone after disassociate");
      },
    ],
  ];
  const results: ContractResult[] = [];
  for (const [name, run] of cases) {
    try {
      await run();
      results.push({ name, passed: true });
    } catch (error) {
      results.push({ name, passed: false, detail: error instanceof Error ? error.message : JSON.stringify(error) });
    }
  }
  return results;
}
