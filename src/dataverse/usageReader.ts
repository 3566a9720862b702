import {
  WORKFLOW_ACTIVATED,
  WORKFLOW_DEFINITION,
  WorkflowCategory,
  type AccountUsage,
  type ImpersonatingStep,
  type OwnedConnectionReference,
  type OwnedProcess,
  type UsageList,
  type UsageValue,
} from "../core/usage";
import type { DataverseClient, Row } from "./client";
import { toDataverseError } from "./errors";
import { FORMATTED } from "./snapshotRows";

/**
 * The usage read: what runs as one account, in three requests sent together (a fourth for its last
 * access when asked). Tables and columns: workflow (category, type, statecode, ownerid),
 * sdkmessageprocessingstep (impersonatinguserid, statecode, eventhandler) and connectionreference
 * (ownerid, statecode) in the Dataverse table reference
 * (https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/workflow,
 * …/sdkmessageprocessingstep, …/connectionreference); the last access is the newest audit record of
 * action 64 or 65, "User Access via Web" and "via Web Services" (…/audit).
 */
const PAGE = 5000;
const PROCESS_CATEGORIES = Object.values(WorkflowCategory)
  .map((category) => `category eq ${category}`)
  .join(" or ");
/** audit.action: 64 User Access via Web, 65 User Access via Web Services. */
export const USER_ACCESS_ACTIONS = [64, 65] as const;

export const usageQueries = (userId: string) => ({
  processes: `?$select=workflowid,name,category,statecode&$filter=_ownerid_value eq ${userId} and type eq ${WORKFLOW_DEFINITION} and (${PROCESS_CATEGORIES})&$orderby=name`,
  steps: `?$select=sdkmessageprocessingstepid,name,statecode,_eventhandler_value&$filter=_impersonatinguserid_value eq ${userId}&$orderby=name`,
  connectionReferences: `?$select=connectionreferenceid,connectionreferencedisplayname,connectorid,statecode&$filter=_ownerid_value eq ${userId}&$orderby=connectionreferencedisplayname`,
  lastAccess: `?$select=createdon&$filter=_objectid_value eq ${userId} and (${USER_ACCESS_ACTIONS.map((action) => `action eq ${action}`).join(" or ")})&$orderby=createdon desc&$top=1`,
});

const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : null);

/** A read the caller may not make is "hidden" (403: PrivilegeDenied), any other fault a problem in words. */
async function listOf<T>(read: () => Promise<Row[]>, map: (row: Row) => T): Promise<UsageList<T>> {
  try {
    return { rows: (await read()).map(map) };
  } catch (error) {
    const failure = toDataverseError(error);
    return failure.kind === "forbidden" ? { hidden: true } : { problem: failure.message };
  }
}

export async function readAccountUsage(
  client: DataverseClient,
  userId: string,
  options: { lastAccess?: boolean } = {},
): Promise<AccountUsage> {
  const queries = usageQueries(userId);
  const rows = (table: string, query: string) => async () => (await client.retrieveMultiple(table, query, PAGE)).rows;
  const [processes, steps, connectionReferences, lastAccess] = await Promise.all([
    listOf<OwnedProcess>(rows("workflow", queries.processes), (row) => ({
      id: String(row.workflowid),
      name: text(row.name) ?? "",
      category: Number(row.category),
      on: row.statecode === WORKFLOW_ACTIVATED,
    })),
    listOf<ImpersonatingStep>(rows("sdkmessageprocessingstep", queries.steps), (row) => ({
      id: String(row.sdkmessageprocessingstepid),
      name: text(row.name) ?? "",
      on: row.statecode === 0,
      handler: text(row[`_eventhandler_value${FORMATTED}`]),
    })),
    listOf<OwnedConnectionReference>(rows("connectionreference", queries.connectionReferences), (row) => ({
      id: String(row.connectionreferenceid),
      name: text(row.connectionreferencedisplayname) ?? "",
      connector: text(row.connectorid),
      on: row.statecode === 0,
    })),
    options.lastAccess ? lastAccessOf(client, queries.lastAccess) : Promise.resolve(undefined),
  ]);
  return { processes, steps, connectionReferences, ...(lastAccess ? { lastAccess } : {}) };
}

/** `$top=1` without a page size: Dataverse ignores `$top` when `odata.maxpagesize` is sent ("Page results"). */
async function lastAccessOf(client: DataverseClient, query: string): Promise<UsageValue<string | null>> {
  const read = await listOf(
    async () => (await client.retrieveMultiple("audit", query)).rows,
    (row) => text(row.createdon),
  );
  return "rows" in read ? { value: read.rows[0] ?? null } : read;
}
