import type { CompliancePolicy } from "../core/policy";
import { readServiceAccountRows, type AuditProgress } from "../dataverse-node/auditReader";
import type { DataverseClient } from "../dataverse/client";
import { COMPLIANCE_STATUS_VALUES } from "./badge";
import type { BadgeStamper, StampOutcome } from "./badgeStamper";

export interface StampSummary {
  /** Users evaluated. */
  evaluated: number;
  /** Badges written (or, in a dry run, that would be). */
  stamped: number;
  unchanged: number;
  failures: { userId: string; error: Error }[];
}

export type StampProgress = AuditProgress | { stage: "stamping"; done: number; total: number };

/**
 * Users whose badge says they are a service account though they are no longer one (their last role
 * removal was missed, say): non-interactive users are read anyway.
 */
const STALE_BADGE_FILTER = `svcacct_compliancestatus ne null and svcacct_compliancestatus ne ${COMPLIANCE_STATUS_VALUES["not-service-account"]} and accessmode ne 4`;

/**
 * The heal: evaluates every service account (read page by page with the audit's reader, plus the
 * users whose badge still claims they are one) and writes each badge that changed. Requests: the
 * audit's reads, one paged read of stale badges, and one write per changed badge.
 */
export async function stampServiceAccounts(
  client: DataverseClient,
  policy: CompliancePolicy,
  stamper: BadgeStamper,
  options: { dryRun?: boolean; onProgress?: (progress: StampProgress) => void } = {},
): Promise<StampSummary> {
  const { accounts, capacity } = await readServiceAccountRows(client, policy, options.onProgress, {
    badge: true,
    alsoFilter: STALE_BADGE_FILTER,
  });
  const outcomes = await stamper.stampAccounts(accounts, capacity, {
    dryRun: options.dryRun,
    onStamped: (done) => options.onProgress?.({ stage: "stamping", done, total: accounts.length }),
  });
  return summarize(outcomes);
}

export function summarize(outcomes: Map<string, StampOutcome | Error>): StampSummary {
  const summary: StampSummary = { evaluated: outcomes.size, stamped: 0, unchanged: 0, failures: [] };
  for (const [userId, outcome] of outcomes) {
    if (outcome instanceof Error) summary.failures.push({ userId, error: outcome });
    else if (outcome === "stamped" || outcome === "would-stamp") summary.stamped++;
    else summary.unchanged++;
  }
  return summary;
}
