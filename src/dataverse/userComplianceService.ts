import type { FieldAccess } from "../core/actions";
import type { ComplianceReport } from "../core/report";
import type { UserSnapshot } from "../core/snapshot";
import type { AccountUsage } from "../core/usage";
import type { DataverseClient } from "./client";
import { FixService, type FixOutcome, type FixRequest } from "./fixService";
import { readSnapshot, type EnvironmentFacts } from "./snapshotReader";
import { readAccountUsage } from "./usageReader";

/** What the panel needs from Dataverse, injected so the UI never calls the Web API itself. */
export interface PanelServices {
  /** Reads the user, with the grants of the privileges the policy watches. */
  load(userId: string, watchedPrivileges: readonly string[]): Promise<UserSnapshot>;
  apply(request: FixRequest, snapshot: UserSnapshot, report: ComplianceReport, fieldAccess: FieldAccess): Promise<FixOutcome>;
  /** What runs as the user (three reads, after the load); never rejects: a refused table is "hidden". */
  usage(userId: string): Promise<AccountUsage>;
}

/** Reads a user's snapshot and applies fixes through one Dataverse client. */
export class UserComplianceService implements PanelServices {
  private readonly fixes: FixService;

  constructor(
    private readonly client: DataverseClient,
    /** Read on every load: the admin's privileges can change while the form is open. */
    private readonly environment: () => Promise<EnvironmentFacts>,
    /** The acting admin's systemuserid, when the host gives it: their access mode is read with the user. */
    private readonly actorId?: string,
  ) {
    this.fixes = new FixService(client);
  }

  load(userId: string, watchedPrivileges: readonly string[]): Promise<UserSnapshot> {
    return readSnapshot(this.client, userId, this.environment(), this.actorId || undefined, watchedPrivileges);
  }

  apply(request: FixRequest, snapshot: UserSnapshot, report: ComplianceReport, fieldAccess: FieldAccess): Promise<FixOutcome> {
    return this.fixes.apply(request, snapshot, report, fieldAccess);
  }

  usage(userId: string): Promise<AccountUsage> {
    return readAccountUsage(this.client, userId);
  }
}
