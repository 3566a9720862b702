import { classifyAccount } from "../core/accountKind";
import { mapWithLimit } from "../core/mapWithLimit";
import { evaluate } from "../core/evaluate";
import { watchedPrivileges, type CompliancePolicy } from "../core/policy";
import { isNamedRole } from "../core/roleNames";
import { entraVerdictChecks } from "../core/entraChecks";
import type { NonInteractiveCapacity, UserSnapshot } from "../core/snapshot";
import { AccessMode } from "../core/snapshot";
import type { DataverseClient, Row } from "../dataverse/client";
import { toDataverseError } from "../dataverse/errors";
import { readCapacity } from "../dataverse/snapshotReader";
import { readUserAccess, readUsersAccess, snapshotFromRow, type UserAccess } from "../dataverse-node/userAccess";
import { entraVerdictText, userFromRow } from "../dataverse/snapshotRows";
import type { EntraReadout } from "../graph/entraReader";
import { entraFactsOf, NOTHING_READ, readEntraFor, type EntraSource } from "../graph/entraSnapshots";
import { badgeChanged, badgeOf, type MessageTexts } from "./badge";

/** "would-stamp": the badge differs, and a dry run left it as it is. */
export type StampOutcome = "stamped" | "would-stamp" | "unchanged" | "user-not-found";

const UNKNOWN_CAPACITY: NonInteractiveCapacity = { used: null, max: null, source: "unknown" };

/**
 * Decisions on one user's row before a write that keeps meeting a newer row (412) gives up and the
 * event is answered 503 for Dataverse to retry: two instances and an admin can each change the row
 * within one evaluation, so one re-read is not always enough.
 */
const DECISIONS_PER_USER = 3;

/**
 * Evaluates users with the one policy and writes the three badge columns when they change, guarded
 * by the row's ETag (If-Match): a write that meets a newer row (412, another instance or an admin
 * changed it) re-reads it and decides again, up to DECISIONS_PER_USER times in all. Users read
 * together cost two reads issued together (the users with their teams, and the roles they hold
 * directly and through them), one write per badge that changes, and a RetrieveOrganizationResources
 * only when a badge depends on it.
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

  /**
   * Reads users fresh, together (two reads for up to IDS_PER_QUERY of them), and stamps their badges:
   * one outcome per id, in order, a failure as the Error it was.
   */
  async stampUsers(ids: string[]): Promise<(StampOutcome | Error)[]> {
    const accounts = await readUsersAccess(this.client, ids, watchedPrivileges(this.policy));
    const found = ids.map((id) => accounts.get(id.toLowerCase()) ?? null);
    const present = found.filter((account): account is UserAccess => account !== null);
    const facts = await this.entraFacts(present);
    const capacity = present.some((account) => this.capacityMatters(account)) ? await readCapacity(this.client) : UNKNOWN_CAPACITY;
    return mapWithLimit(found, this.concurrency, (account, index) =>
      account === null
        ? Promise.resolve<StampOutcome>("user-not-found")
        : this.stampAccount(ids[index].toLowerCase(), account, capacity, false, facts).catch(toDataverseError),
    );
  }

  /**
   * Stamps accounts already read (page by page by the audit's reader, with the badge columns) with the
   * capacity read alongside them; a dry run decides without writing.
   */
  async stampAccounts(
    accounts: UserAccess[],
    capacity: NonInteractiveCapacity,
    options: { dryRun?: boolean; onStamped?: (done: number) => void } = {},
  ): Promise<Map<string, StampOutcome | Error>> {
    let done = 0;
    const facts = await this.entraFacts(accounts);
    const idOf = (account: UserAccess) => String(account.row.systemuserid).toLowerCase();
    const outcomes = await mapWithLimit(accounts, this.concurrency, async (account): Promise<StampOutcome | Error> => {
      const outcome = await this.stampAccount(idOf(account), account, capacity, options.dryRun ?? false, facts).catch(toDataverseError);
      options.onStamped?.(++done);
      return outcome;
    });
    return new Map(accounts.map((account, index) => [idOf(account), outcomes[index]]));
  }

  private async stampAccount(
    id: string,
    account: UserAccess,
    capacity: NonInteractiveCapacity,
    dryRun: boolean,
    facts: EntraReadout,
  ): Promise<StampOutcome> {
    let current = { account, capacity };
    for (let decision = 1; ; decision++) {
      const changes = this.changes(current.account, current.capacity, facts);
      if (!changes) return "unchanged";
      if (dryRun) return "would-stamp";
      try {
        await this.write(id, current.account.row, changes);
        return "stamped";
      } catch (error) {
        if (toDataverseError(error).kind !== "conflict" || decision === DECISIONS_PER_USER) throw error;
      }
      // Someone changed the user between our read and our write: decide again on a fresh read.
      const fresh = await this.read(id);
      if (fresh === null) return "user-not-found";
      const rereadCapacity = this.capacityMatters(fresh) && current.capacity.source === "unknown";
      current = { account: fresh, capacity: rereadCapacity ? await readCapacity(this.client) : current.capacity };
    }
  }

  /** The columns to write: the badge when it changed, the Entra verdict when Graph decided a different one; null for none. */
  private changes(account: UserAccess, capacity: NonInteractiveCapacity, facts: EntraReadout): Row | null {
    const { row } = account;
    const report = evaluate(this.snapshot(account, capacity, facts), this.policy);
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

  private async entraFacts(accounts: UserAccess[]): Promise<EntraReadout> {
    return this.entra
      ? readEntraFor(
          this.entra,
          accounts.map((account) => userFromRow(account.row)),
        )
      : NOTHING_READ;
  }

  private read(id: string): Promise<UserAccess | null> {
    return readUserAccess(this.client, id, watchedPrivileges(this.policy));
  }

  /**
   * Writes with the row's version as If-Match, always: a write without one would overwrite whatever an
   * admin or another instance wrote since the read, so a row read without `@odata.etag` is not written.
   */
  private async write(id: string, row: Row, changes: Row): Promise<void> {
    const etag = row["@odata.etag"];
    if (typeof etag !== "string" || !etag)
      throw new Error(
        `The user ${id} was read without its version (@odata.etag), so its badge is not written: a write must not overwrite a newer row.`,
      );
    await this.client.update("systemuser", id, changes, { ifMatch: etag });
  }

  /** Capacity changes a badge only for interactive service-role holders (the conversion check). */
  private capacityMatters(account: UserAccess): boolean {
    const { user, roles } = this.snapshot(account, UNKNOWN_CAPACITY);
    return (
      user.accessMode !== AccessMode.NonInteractive &&
      classifyAccount(user) === "user" &&
      roles.some((role) => isNamedRole(this.policy.serviceRoleName, role))
    );
  }

  private snapshot(account: UserAccess, capacity: NonInteractiveCapacity, facts: EntraReadout = NOTHING_READ): UserSnapshot {
    const snapshot = snapshotFromRow(account, capacity, { isOnPremises: false, actor: null });
    return this.entra ? { ...snapshot, ...entraFactsOf(snapshot.user, facts) } : snapshot;
  }
}
