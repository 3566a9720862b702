import { mapWithLimit } from "../core/mapWithLimit";
import type { AuditReport } from "./auditReport";

import type { AdminEnvironment } from "../dataverse-node/environments";

/** An environment of the tenant as the admin API lists it; `url` is its Dataverse org, null without Dataverse. */
export type TenantEnvironment = AdminEnvironment;

/** One environment's outcome: its report, or why it could not be read (it never stops the others). */
export type EnvironmentAudit =
  | { environment: TenantEnvironment; status: "read"; report: AuditReport; requests: number }
  | { environment: TenantEnvironment; status: "failed"; problem: string; requests: number };

export interface TenantAuditOptions {
  /** Environments audited at once (default 4). */
  concurrency: number;
  /** Audits one environment's org; throws with the reason in words when it cannot. */
  audit: (environment: TenantEnvironment) => Promise<{ report: AuditReport; requests: number }>;
  /** Each outcome as soon as it is known, so a report can be written as it goes. */
  onDone: (outcome: EnvironmentAudit) => void | Promise<void>;
}

/** The environments with Dataverse, or among `wanted` (names or ids, in any case) when given. */
export function environmentsToAudit(all: TenantEnvironment[], wanted?: string[]): { audit: TenantEnvironment[]; unknown: string[] } {
  const withDataverse = all.filter((environment) => environment.url);
  if (!wanted?.length) return { audit: withDataverse, unknown: [] };
  const matches = (environment: TenantEnvironment, name: string) =>
    [environment.id, environment.name].some((candidate) => candidate.toLowerCase() === name.trim().toLowerCase());
  return {
    audit: withDataverse.filter((environment) => wanted.some((name) => matches(environment, name))),
    unknown: wanted.filter((name) => !all.some((environment) => matches(environment, name))),
  };
}

/**
 * Audits environments several at a time; each failure is an outcome, never an exception. Outcomes go
 * to `onDone` only, so a caller that writes them as they come keeps none in memory.
 */
export async function auditEnvironments(environments: TenantEnvironment[], options: TenantAuditOptions): Promise<void> {
  await mapWithLimit(environments, Math.max(1, options.concurrency), async (environment) => {
    let outcome: EnvironmentAudit;
    try {
      const { report, requests } = await options.audit(environment);
      outcome = { environment, status: "read", report, requests };
    } catch (error) {
      outcome = { environment, status: "failed", problem: error instanceof Error ? error.message : String(error), requests: 0 };
    }
    await options.onDone(outcome);
  });
}
