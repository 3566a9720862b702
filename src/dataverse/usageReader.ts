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
import { readAllPages } from "./snapshotReader";
import { FORMATTED, text } from "./snapshotRows";

/**
 * The usage read: what runs as some accounts, one read per table for up to ACCOUNTS_PER_READ of them,
 * sent together: the processes they own (workflow: type, category, statecode, ownerid), the steps that
 * impersonate them (sdkmessageprocessingstep: impersonatinguserid, statecode, eventhandler), the
 * connection references they own (connectionreference: ownerid, statecode), and, when asked, each one's
 * newest access on record: audit rows of action 64 or 65, "User Access via Web" and "via Web Services",
 * aggregated per user ("Aggregate data"). Table reference:
 * https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/workflow,
 * …/sdkmessageprocessingstep, …/connectionreference, …/audit. The panel reads one account (three
 * requests), `svcacct usage` one with its access, the audit every audited account.
 */

/** Accounts named in one read: about 64 URL characters each keeps a GET under Dataverse's 32 KB URL. */
export const ACCOUNTS_PER_READ = 400;

const PROCESS_CATEGORIES = Object.values(WorkflowCategory)
  .map((category) => `category eq ${category}`)
  .join(" or ");
/** audit.action: 64 User Access via Web, 65 User Access via Web Services. */
export const USER_ACCESS_ACTIONS = [64, 65] as const;

const anyOf = (column: string, ids: string[]) => `(${ids.map((id) => `${column} eq ${id}`).join(" or ")})`;

export const usageQueries = (ids: string[], since?: Date) => ({
  processes: `?$select=workflowid,name,category,statecode,_ownerid_value&$filter=type eq ${WORKFLOW_DEFINITION} and (${PROCESS_CATEGORIES}) and ${anyOf("_ownerid_value", ids)}&$orderby=name`,
  steps: `?$select=sdkmessageprocessingstepid,name,statecode,_eventhandler_value,_impersonatinguserid_value&$filter=${anyOf("_impersonatinguserid_value", ids)}&$orderby=name`,
  connectionReferences: `?$select=connectionreferenceid,connectionreferencedisplayname,connectorid,statecode,_ownerid_value&$filter=${anyOf("_ownerid_value", ids)}&$orderby=connectionreferencedisplayname`,
  lastAccess: `?$apply=filter((${USER_ACCESS_ACTIONS.map((action) => `action eq ${action}`).join(" or ")})${since ? ` and createdon ge ${since.toISOString()}` : ""} and ${anyOf("_objectid_value", ids)})/groupby((_objectid_value),aggregate(createdon with max as lastaccess))`,
});

type Queries = ReturnType<typeof usageQueries>;
type Read = { rows: Row[] } | { hidden: true } | { problem: string };

const key = (value: unknown) => (typeof value === "string" ? value.toLowerCase() : "");

/** One table's rows over every chunk and page; a read the caller may not make is "hidden" (403: PrivilegeDenied). */
async function readTable(client: DataverseClient, table: string, queries: string[]): Promise<Read> {
  try {
    return { rows: (await Promise.all(queries.map((query) => readAllPages(client, table, query)))).flat() };
  } catch (error) {
    const failure = toDataverseError(error);
    return failure.kind === "forbidden" ? { hidden: true } : { problem: failure.message };
  }
}

/** One account's share of a table's rows, mapped; a refusal or fault stands for every account. */
function listFor<T>(read: Read, userId: string, ownerColumn: string, map: (row: Row) => T): UsageList<T> {
  if (!("rows" in read)) return read;
  return { rows: read.rows.filter((row) => key(row[ownerColumn]) === userId).map(map) };
}

export interface UsageReadOptions {
  /** Also each account's newest access on record (one more request per chunk). */
  lastAccess?: boolean;
  /** Only accesses since then (the audit's window keeps the aggregate small). */
  since?: Date;
}

/** What runs as each of these accounts, keyed by lower-case id. */
export async function readUsage(
  client: DataverseClient,
  userIds: string[],
  options: UsageReadOptions = {},
): Promise<Map<string, AccountUsage>> {
  const ids = [...new Set(userIds.map((id) => id.toLowerCase()))];
  const chunks: Queries[] = [];
  for (let start = 0; start < ids.length; start += ACCOUNTS_PER_READ)
    chunks.push(usageQueries(ids.slice(start, start + ACCOUNTS_PER_READ), options.since));
  const each = (kind: keyof Queries) => chunks.map((chunk) => chunk[kind]);
  const [processes, steps, connectionReferences, access] = await Promise.all([
    readTable(client, "workflow", each("processes")),
    readTable(client, "sdkmessageprocessingstep", each("steps")),
    readTable(client, "connectionreference", each("connectionReferences")),
    options.lastAccess ? readTable(client, "audit", each("lastAccess")) : Promise.resolve(null),
  ]);
  const usage = new Map<string, AccountUsage>();
  for (const id of ids) {
    const lastAccess: UsageValue<string | null> | undefined = !access
      ? undefined
      : "rows" in access
        ? { value: text(access.rows.find((row) => key(row._objectid_value) === id)?.lastaccess) }
        : access;
    usage.set(id, {
      processes: listFor<OwnedProcess>(processes, id, "_ownerid_value", (row) => ({
        id: String(row.workflowid),
        name: text(row.name) ?? "",
        category: Number(row.category),
        on: row.statecode === WORKFLOW_ACTIVATED,
      })),
      steps: listFor<ImpersonatingStep>(steps, id, "_impersonatinguserid_value", (row) => ({
        id: String(row.sdkmessageprocessingstepid),
        name: text(row.name) ?? "",
        on: row.statecode === 0,
        handler: text(row[`_eventhandler_value${FORMATTED}`]),
      })),
      connectionReferences: listFor<OwnedConnectionReference>(connectionReferences, id, "_ownerid_value", (row) => ({
        id: String(row.connectionreferenceid),
        name: text(row.connectionreferencedisplayname) ?? "",
        connector: text(row.connectorid),
        on: row.statecode === 0,
      })),
      ...(lastAccess ? { lastAccess } : {}),
    });
  }
  return usage;
}

/** What runs as one account: three requests, a fourth for its last access. */
export async function readAccountUsage(client: DataverseClient, userId: string, options: UsageReadOptions = {}): Promise<AccountUsage> {
  return (await readUsage(client, [userId], options)).get(userId.toLowerCase())!;
}
