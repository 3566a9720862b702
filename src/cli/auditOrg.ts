import type { CompliancePolicy } from "../core/policy";
import type { DataverseClient } from "../dataverse/client";
import { readUsage } from "../dataverse/usageReader";
import { readServiceAccountSnapshots, type AuditProgress } from "../dataverse-node/auditReader";
import { withEntraFacts, type EntraSource } from "../graph/entraSnapshots";
import { buildAuditReport, UNUSED_WINDOW_DAYS, type AuditReport } from "./auditReport";

export interface AuditOrgOptions {
  /** Read what runs as each account and its last access in the window (four more requests per 400 accounts). */
  usage: boolean;
  /** The Entra checks through Microsoft Graph, when it is on. */
  entra?: EntraSource;
  onProgress?: (progress: AuditProgress) => void;
}

/**
 * One org's audit, as `svcacct audit` and each environment of `--all-environments` run it: its
 * service accounts, their Entra facts when Graph is on, what runs as each, and the report.
 */
export async function auditOrg(client: DataverseClient, policy: CompliancePolicy, options: AuditOrgOptions): Promise<AuditReport> {
  const read = await readServiceAccountSnapshots(client, policy, options.onProgress);
  if (options.entra) read.snapshots = await withEntraFacts(read.snapshots, options.entra);
  const ids = read.snapshots.map((snapshot) => snapshot.user.systemUserId);
  const since = new Date(Date.now() - UNUSED_WINDOW_DAYS * 86_400_000);
  const usage = options.usage && ids.length ? await readUsage(client, ids, { lastAccess: true, since }) : undefined;
  return buildAuditReport(read, policy, undefined, usage);
}
