import { WORKFLOW_ACTIVATED, WORKFLOW_DEFINITION, WorkflowCategory, type Tally, type UsageCounts, type UsageValue } from "../core/usage";
import type { DataverseClient, Row } from "../dataverse/client";
import { toDataverseError } from "../dataverse/errors";
import { USER_ACCESS_ACTIONS } from "../dataverse/usageReader";

/**
 * What runs as every account, for the audit: four aggregate reads whatever the number of accounts,
 * each grouped by owner ("Aggregate data", https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/aggregate-data):
 * processes by owner, category and state; impersonating steps by user and state; connection
 * references by owner and state; and the newest "User Access" audit record per user in the window.
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

export const usageCountQueries = (since: Date) => ({
  processes: `?$apply=filter(${PROCESS_FILTER})/groupby((_ownerid_value,category,statecode),aggregate($count as count))`,
  steps: "?$apply=filter(_impersonatinguserid_value ne null)/groupby((_impersonatinguserid_value,statecode),aggregate($count as count))",
  connectionReferences: "?$apply=groupby((_ownerid_value,statecode),aggregate($count as count))",
  lastAccess: `?$apply=filter((${USER_ACCESS_ACTIONS.map((action) => `action eq ${action}`).join(" or ")}) and createdon ge ${since.toISOString()})/groupby((_objectid_value),aggregate(createdon with max as lastaccess))`,
});

type Grouped = { rows: Row[] } | { hidden: true } | { problem: string };

async function grouped(client: DataverseClient, table: string, query: string): Promise<Grouped> {
  try {
    return { rows: (await client.retrieveMultiple(table, query)).rows };
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

export async function readUsageByAccount(client: DataverseClient, since: Date): Promise<UsageByAccount> {
  const queries = usageCountQueries(since);
  const [processes, steps, connectionReferences, access] = await Promise.all([
    grouped(client, "workflow", queries.processes),
    grouped(client, "sdkmessageprocessingstep", queries.steps),
    grouped(client, "connectionreference", queries.connectionReferences),
    grouped(client, "audit", queries.lastAccess),
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
  // Nobody's access recorded in the window, not even a person's: user access is not audited here.
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
      if (!audited) return { problem: "no user access is recorded in the window: the org does not audit user access" };
      return { value: lastAccess.get(userId.toLowerCase()) ?? null };
    },
  };
}
