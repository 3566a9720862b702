/**
 * What runs as an account: the processes it owns and the plug-in steps that impersonate it, so an
 * admin knows what breaks before switching it back to interactive, removing a role or disabling it.
 * Not part of the compliance status: the webhook neither reads nor stamps it.
 */

/** workflow.category (workflow table reference): the kinds of process that run as their owner. */
export const WorkflowCategory = {
  ClassicWorkflow: 0,
  Action: 3,
  CloudFlow: 5,
} as const;

/** workflow.type: 1 Definition (2 Activation and 3 Template are copies, not what an admin switches on). */
export const WORKFLOW_DEFINITION = 1;
/** workflow.statecode: 0 Draft, 1 Activated, 2 Suspended. */
export const WORKFLOW_ACTIVATED = 1;

export interface OwnedProcess {
  id: string;
  name: string;
  category: number;
  /** Activated (statecode 1): it runs now. */
  on: boolean;
}

/** An SDK message processing step whose impersonating user is the account. */
export interface ImpersonatingStep {
  id: string;
  name: string;
  /** statecode 0 Enabled. */
  on: boolean;
  /** The plug-in type or service endpoint it calls, as Dataverse names it. */
  handler: string | null;
}

export interface OwnedConnectionReference {
  id: string;
  name: string;
  connector: string | null;
  /** statecode 0 Active. */
  on: boolean;
}

/**
 * One read: the rows (one page of up to 5,000, Dataverse's largest: an account owning more is not a
 * service account anyone can review by hand); "hidden" when the caller may not read the table (never
 * zero: what cannot be seen is not absent), or what went wrong in words.
 */
export type UsageList<T> = { rows: T[] } | { hidden: true } | { problem: string };

export interface AccountUsage {
  processes: UsageList<OwnedProcess>;
  steps: UsageList<ImpersonatingStep>;
  connectionReferences: UsageList<OwnedConnectionReference>;
  /** The last "User Access" audit record; undefined when not read, null when none (or auditing is off). */
  lastAccess?: UsageValue<string | null>;
}

export type UsageValue<T> = { value: T } | { hidden: true } | { problem: string };

/** How many, and how many run now; null when the caller cannot see them. */
export interface Tally {
  total: number;
  on: number;
}

export interface UsageCounts {
  cloudFlows: Tally | null;
  classicWorkflows: Tally | null;
  actions: Tally | null;
  steps: Tally | null;
  connectionReferences: Tally | null;
}

const tally = <T extends { on: boolean }>(list: UsageList<T>, keep: (row: T) => boolean = () => true): Tally | null =>
  "rows" in list ? { total: list.rows.filter(keep).length, on: list.rows.filter((row) => keep(row) && row.on).length } : null;

export function usageCounts(usage: AccountUsage): UsageCounts {
  const ofCategory = (category: number) => (row: OwnedProcess) => row.category === category;
  return {
    cloudFlows: tally(usage.processes, ofCategory(WorkflowCategory.CloudFlow)),
    classicWorkflows: tally(usage.processes, ofCategory(WorkflowCategory.ClassicWorkflow)),
    actions: tally(usage.processes, ofCategory(WorkflowCategory.Action)),
    steps: tally(usage.steps),
    connectionReferences: tally(usage.connectionReferences),
  };
}

/** Whether nothing visible runs as the account: every count read, and every one zero. */
export function runsNothing(counts: UsageCounts): boolean {
  return tallies(counts).every((count) => count !== null && count.total === 0);
}

const tallies = (counts: UsageCounts): (Tally | null)[] => [
  counts.cloudFlows,
  counts.classicWorkflows,
  counts.actions,
  counts.steps,
  counts.connectionReferences,
];

/** What runs now: active flows, workflows and actions, and enabled steps (for confirmations); null when something was hidden. */
export function activeCount(counts: UsageCounts): number | null {
  let active = 0;
  for (const part of [counts.cloudFlows, counts.classicWorkflows, counts.actions, counts.steps]) {
    if (part === null) return null;
    active += part.on;
  }
  return active;
}

/**
 * Where links to what runs as an account lead. `clientUrl` is the org's (`getClientUrl()`);
 * `environmentId` is the Power Platform environment's (`organizationSettings.bapEnvironmentId`), which
 * the maker portal's URLs need; either is null when the host does not say.
 */
export interface UsagePlace {
  clientUrl: string | null;
  environmentId: string | null;
}
