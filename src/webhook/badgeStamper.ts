import { classifyAccount } from "../core/accountKind";
import { evaluate } from "../core/evaluate";
import type { CompliancePolicy } from "../core/policy";
import { sameRoleName } from "../core/policy";
import type { NonInteractiveCapacity, UserSnapshot } from "../core/snapshot";
import { AccessMode } from "../core/snapshot";
import type { DataverseClient, Row } from "../dataverse/client";
import { toDataverseError } from "../dataverse/errors";
import { USER_WITH_ROLES_AND_BADGE_QUERY } from "../dataverse/queries";
import { readCapacity, snapshotFromRow } from "../dataverse/snapshotReader";
import { badgeChanged, badgeOf, type MessageTexts } from "./badge";

export type StampOutcome = "stamped" | "unchanged" | "user-not-found";

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
 * Evaluates users with the one policy and writes the three badge columns when they change. A batch
 * costs one read per user, one write per changed badge, and one RetrieveOrganizationResources only
 * when some user's badge depends on it (an interactive holder of the service role).
 */
export class BadgeStamper {
  constructor(
    private readonly client: DataverseClient,
    private readonly policy: CompliancePolicy,
    private readonly texts: MessageTexts,
    private readonly concurrency = 4,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async stamp(userIds: string[]): Promise<Map<string, StampOutcome | Error>> {
    const rows = await mapWithLimit(userIds, this.concurrency, (id) => this.read(id));
    // Capacity changes a badge only for interactive service-role holders (the conversion check);
    // for everyone else the status and the summary are the same with or without it.
    const needsCapacity = rows.some((row) => row !== null && !(row instanceof Error) && this.capacityMatters(row));
    const capacity = needsCapacity ? await readCapacity(this.client) : UNKNOWN_CAPACITY;
    const outcomes = await mapWithLimit(userIds, this.concurrency, async (id, index): Promise<StampOutcome | Error> => {
      const row = rows[index];
      if (row === null) return "user-not-found";
      if (row instanceof Error) return row;
      try {
        return await this.write(id, row, capacity);
      } catch (error) {
        // Someone changed the user between our read and our write: evaluate the fresh row once more.
        if (toDataverseError(error).kind !== "conflict") return toDataverseError(error);
        const fresh = await this.read(id);
        if (fresh === null) return "user-not-found";
        if (fresh instanceof Error) return fresh;
        return this.write(id, fresh, needsCapacity || this.capacityMatters(fresh) ? await readCapacity(this.client) : UNKNOWN_CAPACITY).catch(toDataverseError);
      }
    });
    return new Map(userIds.map((id, index) => [id, outcomes[index]]));
  }

  private async read(id: string): Promise<Row | null | Error> {
    try {
      return await this.client.retrieve("systemuser", id, USER_WITH_ROLES_AND_BADGE_QUERY);
    } catch (error) {
      const mapped = toDataverseError(error);
      return mapped.kind === "not-found" ? null : mapped;
    }
  }

  private capacityMatters(row: Row): boolean {
    const { user, roles } = this.snapshot(row, UNKNOWN_CAPACITY);
    return (
      user.accessMode !== AccessMode.NonInteractive && classifyAccount(user) === "user" && roles.some((role) => sameRoleName(role.name, this.policy.serviceRoleName))
    );
  }

  private snapshot(row: Row, capacity: NonInteractiveCapacity): UserSnapshot {
    return snapshotFromRow(row, capacity, { isOnPremises: false, actor: null });
  }

  private async write(id: string, row: Row, capacity: NonInteractiveCapacity): Promise<StampOutcome> {
    const report = evaluate(this.snapshot(row, capacity), this.policy);
    const badge = badgeOf(report, this.texts);
    if (!badgeChanged(row, badge)) return "unchanged";
    await this.client.update("systemuser", id, { ...badge, svcacct_compliancecheckedon: this.now().toISOString() }, { ifMatch: row["@odata.etag"] as string | undefined });
    return "stamped";
  }
}
