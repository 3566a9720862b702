import { classifyAccount } from "../core/accountKind";
import { evaluate } from "../core/evaluate";
import type { CompliancePolicy } from "../core/policy";
import { sameRoleName } from "../core/policy";
import { entraVerdictChecks } from "../core/entraChecks";
import type { EntraFacts, NonInteractiveCapacity, UserSnapshot } from "../core/snapshot";
import { AccessMode } from "../core/snapshot";
import type { DataverseClient, Row } from "../dataverse/client";
import { toDataverseError } from "../dataverse/errors";
import { USER_WITH_ROLES_AND_BADGE_QUERY } from "../dataverse/queries";
import { readCapacity, snapshotFromRow } from "../dataverse/snapshotReader";
import { entraVerdictText, userFromRow } from "../dataverse/snapshotRows";
import { entraFactsOf, readEntraFor, type EntraSource } from "../graph/entraSnapshots";
import { badgeChanged, badgeOf, type MessageTexts } from "./badge";

/** "would-stamp": the badge differs, and a dry run left it as it is. */
export type StampOutcome = "stamped" | "would-stamp" | "unchanged" | "user-not-found";

const UNKNOWN_CAPACITY: NonInteractiveCapacity = { used: null, max: null, source: "unknown" };

/** Runs at most `limit` tasks at once. */
export async function mapWithLimit<T, R>(items: T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Decisions on one user's row before a write that keeps meeting a newer row (412) gives up and the
 * event is answered 503 for Dataverse to retry: two instances and an admin can each change the row
 * within one evaluation, so one re-read is not always enough.
 */
const DECISIONS_PER_USER = 3;

/**
 * Evaluates users with the one policy and writes the three badge columns when they change, guarded
 * by the row's ETag (If-Match): a write that meets a newer row (412, another instance or an admin
 * changed it) re-reads it and decides again, up to DECISIONS_PER_USER times in all. One user costs one read, one write when the
 * badge changes, and a RetrieveOrganizationResources only when the badge depends on it.
 * With an Entra source (Graph configured), the users' Entra facts are read first, in batches, and the
 * Entra verdict columns are written in the same PATCH when the verdict changes. A Graph fault leaves
 * the last stamped verdict (or "check by hand" with the reason) and never stops the Dataverse badge.
 */
export class BadgeStamper {
  constructor(
    private readonly client: DataverseClient,
    private readonly policy: CompliancePolicy,
    private readonly texts: MessageTexts,
    private readonly concurrency = 4,
    private readonly now: () => Date = () => new Date(),
    private readonly entra?: EntraSource,
  ) {}

  /** Reads one user fresh and stamps their badge. */
  async stampUser(id: string): Promise<StampOutcome> {
    const row = await this.read(id);
    if (row === null) return "user-not-found";
    const facts = await this.entraFacts([row]);
    return this.stampRow(id, row, this.capacityMatters(row) ? await readCapacity(this.client) : UNKNOWN_CAPACITY, false, facts);
  }

  /**
   * Stamps rows already read (with USER_WITH_ROLES_AND_BADGE_QUERY, e.g. page by page by the audit's
   * reader) with the capacity read alongside them; a dry run decides without writing.
   */
  async stampRows(
    rows: Row[],
    capacity: NonInteractiveCapacity,
    options: { dryRun?: boolean; onStamped?: (done: number) => void } = {},
  ): Promise<Map<string, StampOutcome | Error>> {
    let done = 0;
    const facts = await this.entraFacts(rows);
    const outcomes = await mapWithLimit(rows, this.concurrency, async (row): Promise<StampOutcome | Error> => {
      const outcome = await this.stampRow(String(row.systemuserid).toLowerCase(), row, capacity, options.dryRun ?? false, facts).catch(
        toDataverseError,
      );
      options.onStamped?.(++done);
      return outcome;
    });
    return new Map(rows.map((row, index) => [String(row.systemuserid).toLowerCase(), outcomes[index]]));
  }

  private async stampRow(
    id: string,
    row: Row,
    capacity: NonInteractiveCapacity,
    dryRun: boolean,
    facts: Map<string, EntraFacts>,
  ): Promise<StampOutcome> {
    let current = { row, capacity };
    for (let decision = 1; ; decision++) {
      const changes = this.changes(current.row, current.capacity, facts);
      if (!changes) return "unchanged";
      if (dryRun) return "would-stamp";
      try {
        await this.write(id, current.row, changes);
        return "stamped";
      } catch (error) {
        if (toDataverseError(error).kind !== "conflict" || decision === DECISIONS_PER_USER) throw error;
      }
      // Someone changed the user between our read and our write: decide again on the fresh row.
      const fresh = await this.read(id);
      if (fresh === null) return "user-not-found";
      const rereadCapacity = this.capacityMatters(fresh) && current.capacity.source === "unknown";
      current = { row: fresh, capacity: rereadCapacity ? await readCapacity(this.client) : current.capacity };
    }
  }

  /** The columns to write: the badge when it changed, the Entra verdict when Graph decided a different one; null for none. */
  private changes(row: Row, capacity: NonInteractiveCapacity, facts: Map<string, EntraFacts>): Row | null {
    const report = evaluate(this.snapshot(row, capacity, facts), this.policy);
    const badge = badgeOf(report, this.texts);
    const now = this.now().toISOString();
    const verdict = entraVerdictChecks(report.checks);
    const verdictText = verdict.length ? entraVerdictText(verdict) : null;
    const changes: Row = {
      ...(badgeChanged(row, badge) ? { ...badge, svcacct_compliancecheckedon: now } : {}),
      ...(verdictText !== null && verdictText !== row.svcacct_entraverdict
        ? { svcacct_entraverdict: verdictText, svcacct_entraverdicton: now }
        : {}),
    };
    return Object.keys(changes).length ? changes : null;
  }

  private async entraFacts(rows: Row[]): Promise<Map<string, EntraFacts>> {
    return this.entra ? readEntraFor(this.entra, rows.map(userFromRow)) : new Map();
  }

  private async read(id: string): Promise<Row | null> {
    try {
      return await this.client.retrieve("systemuser", id, USER_WITH_ROLES_AND_BADGE_QUERY);
    } catch (error) {
      if (toDataverseError(error).kind === "not-found") return null;
      throw error;
    }
  }

  private write(id: string, row: Row, changes: Row): Promise<void> {
    return this.client.update("systemuser", id, changes, { ifMatch: row["@odata.etag"] as string | undefined });
  }

  /** Capacity changes a badge only for interactive service-role holders (the conversion check). */
  private capacityMatters(row: Row): boolean {
    const { user, roles } = this.snapshot(row, UNKNOWN_CAPACITY);
    return (
      user.accessMode !== AccessMode.NonInteractive &&
      classifyAccount(user) === "user" &&
      roles.some((role) => sameRoleName(role.name, this.policy.serviceRoleName))
    );
  }

  private snapshot(row: Row, capacity: NonInteractiveCapacity, facts = new Map<string, EntraFacts>()): UserSnapshot {
    const snapshot = snapshotFromRow(row, capacity, { isOnPremises: false, actor: null });
    return this.entra ? { ...snapshot, entra: entraFactsOf(snapshot.user, facts) } : snapshot;
  }
}
