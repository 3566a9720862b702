import { WORKFLOW_ACTIVATED, WORKFLOW_DEFINITION, WorkflowCategory, type Tally, type UsageCounts, type UsageValue } from "../core/usage";
import type { DataverseClient, Row } from "../dataverse/client";
import { toDataverseError } from "../dataverse/errors";
import { USER_ACCESS_ACTIONS } from "../dataverse/usageReader";

/**
 * What runs as the audited accounts: four aggregate reads for up to ACCOUNTS_PER_READ accounts (four
 * more per that many beyond), each grouped by owner ("Aggregate data",
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/aggregate-data): processes
 * by owner, category and state; impersonating steps by user and state; connection references by owner
 * and state; and the newest "User Access" audit record per user in the window. Each read is filtered to
 * the audited accounts, so its groups stay few and its rows under Dataverse's 50,000-row aggregate
 * limit however many people own flows in the org.
 */
export interface UsageByAccount {
  /** Counts per user id (lower case); a user absent from the map runs nothing visible. */
  counts: (userId: string) => UsageCounts;
  /** The newest recorded access in the window, per user id; a problem when it could not be read. */
  lastAccess: (userId: string) => UsageValue<string | null>;
}

const PROCESS_FILTER = `type eq ${WORKFLOW_DEFINITION} and (${Object.values(WorkflowCategory)
  .map((category) => `category eq ${category}`)
  .join(" or ")})`;

/** Accounts named in one read: about 60 characters each keeps a GET well under Dataverse's 32 KB URL. */
export const ACCOUNTS_PER_READ = 400;

const anyOf = (column: string, ids: string[]) => `(${ids.map((id) => `${column} eq ${id}`).join(" or ")})`;

export const usageCountQueries = (since: Date, ids: string[]) => ({
  processes: `?$apply=filter(${PROCESS_FILTER} and ${anyOf("_ownerid_value", ids)})/groupby((_ownerid_value,category,statecode),aggregate($count as count))`,
  steps: `?$apply=filter(${anyOf("_impersonatinguserid_value", ids)})/groupby((_impersonatinguserid_value,statecode),aggregate($count as count))`,
  connectionReferences: `?$apply=filter(${anyOf("_ownerid_value", ids)})/groupby((_ownerid_value,statecode),aggregate($count as count))`,
  lastAccess: `?$apply=filter((${USER_ACCESS_ACTIONS.map((action) => `action eq ${action}`).join(" or ")}) and createdon ge ${since.toISOString()} and ${anyOf("_objectid_value", ids)})/groupby((_objectid_value),aggregate(createdon with max as lastaccess))`,
});

type Grouped = { rows: Row[] } | { hidden: true } | { problem: string };

/** One grouped read per chunk of accounts, their rows together; the first refusal or fault stands for all. */
async function grouped(client: DataverseClient, table: string, queries: string[]): Promise<Grouped> {
  try {
    const pages = await Promise.all(queries.map((query) => client.retrieveMultiple(table, query)));
    return { rows: pages.flatMap((page) => page.rows) };
  } catch (error) {
    const failure = toDataverseError(error);
    if (failure.kind === "forbidden") return { hidden: true };
    // Dataverse aggregates at most 50,000 rows (AggregateQueryRecordLimit).
    return { problem: failure.message };
  }
}

const id = (value: unknown) => (typeof value === "string" ? value.toLowerCase() : "");

/** Tallies per user from grouped rows: `userColumn` names the user, `keep` chooses the rows of one kind. */
function talliesOf(read: Grouped, userColumn: string, on: (row: Row) => boolean, keep: (row: Row) => boolean = () => true) {
  if (!("rows" in read)) return null;
  const tallies = new Map<string, Tally>();
  for (const row of read.rows.filter(keep)) {
    const user = id(row[userColumn]);
    const tally = tallies.get(user) ?? { total: 0, on: 0 };
    const count = Number(row.count) || 0;
    tally.total += count;
    if (on(row)) tally.on += count;
    tallies.set(user, tally);
  }
  return tallies;
}

export async function readUsageByAccount(client: DataverseClient, since: Date, userIds: string[]): Promise<UsageByAccount> {
  const chunks: ReturnType<typeof usageCountQueries>[] = [];
  for (let start = 0; start < userIds.length; start += ACCOUNTS_PER_READ)
    chunks.push(usageCountQueries(since, userIds.slice(start, start + ACCOUNTS_PER_READ)));
  const each = (kind: keyof ReturnType<typeof usageCountQueries>) => chunks.map((chunk) => chunk[kind]);
  const [processes, steps, connectionReferences, access] = await Promise.all([
    grouped(client, "workflow", each("processes")),
    grouped(client, "sdkmessageprocessingstep", each("steps")),
    grouped(client, "connectionreference", each("connectionReferences")),
    grouped(client, "audit", each("lastAccess")),
  ]);
  const active = (row: Row) => row.statecode === WORKFLOW_ACTIVATED;
  const enabled = (row: Row) => row.statecode === 0;
  const ofCategory = (category: number) => (row: Row) => Number(row.category) === category;
  const tallies = {
    cloudFlows: talliesOf(processes, "_ownerid_value", active, ofCategory(WorkflowCategory.CloudFlow)),
    classicWorkflows: talliesOf(processes, "_ownerid_value", active, ofCategory(WorkflowCategory.ClassicWorkflow)),
    actions: talliesOf(processes, "_ownerid_value", active, ofCategory(WorkflowCategory.Action)),
    steps: talliesOf(steps, "_impersonatinguserid_value", enabled),
    connectionReferences: talliesOf(connectionReferences, "_ownerid_value", enabled),
  };
  const none: Tally = { total: 0, on: 0 };
  const lastAccess = new Map("rows" in access ? access.rows.map((row) => [id(row._objectid_value), String(row.lastaccess)]) : []);
  // No audited account's access recorded in the window: the org most likely does not audit user
  // access (isuseraccessauditenabled), and "no access" cannot be told from "not recorded".
  const audited = "rows" in access && access.rows.length > 0;
  return {
    counts: (userId) => {
      const of = (byUser: Map<string, Tally> | null) => (byUser ? (byUser.get(userId.toLowerCase()) ?? none) : null);
      return {
        cloudFlows: of(tallies.cloudFlows),
        classicWorkflows: of(tallies.classicWorkflows),
        actions: of(tallies.actions),
        steps: of(tallies.steps),
        connectionReferences: of(tallies.connectionReferences),
      };
    },
    lastAccess: (userId) => {
      if (!("rows" in access)) return access;
      if (!audited) return { problem: "no access of any audited account is recorded in the window: the org may not audit user access" };
      return { value: lastAccess.get(userId.toLowerCase()) ?? null };
    },
  };
}
