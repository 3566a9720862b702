import { gateAction, type FieldAccess, type PanelAction } from "../core/actions";
import { sameId } from "../core/ids";
import type { ComplianceReport } from "../core/report";
import { AccessMode, type UserSnapshot } from "../core/snapshot";
import type { DataverseClient } from "./client";
import { DataverseError, toDataverseError } from "./errors";
import { roleInBusinessUnitQuery, USER_ROLES_RELATIONSHIP } from "./queries";
import { readCapacity } from "./snapshotReader";

export interface FixRequest {
  action: PanelAction;
  /** For remove-role: the assignment to remove. */
  roleId?: string;
  /** For assign-service-role: the role to look up in the user's business unit. */
  roleName?: string;
  /** For remove-from-team: the owner team to take the user out of. */
  teamId?: string;
  teamName?: string;
}

/** What a fix did; "unchanged" when the server already had the wanted state (not an error). */
export type FixOutcome = "applied" | "unchanged";

/** Refused before any request: the same gate the UI shows, enforced again where the write happens. */
export class FixBlockedError extends Error {
  constructor(readonly reasonKey: string) {
    super(`Action blocked: ${reasonKey}`);
    this.name = "FixBlockedError";
  }
}

/** The service role has no copy in the user's business unit (solution not imported, or renamed). */
export class ServiceRoleNotFoundError extends Error {
  constructor(
    readonly roleName: string,
    readonly businessUnit: string,
  ) {
    super(`Role "${roleName}" not found in business unit ${businessUnit}`);
    this.name = "ServiceRoleNotFoundError";
  }
}

/** Runs the panel's fixes through the Dataverse port, one write each, guarded against lost updates. */
export class FixService {
  constructor(private readonly client: DataverseClient) {}

  async apply(request: FixRequest, snapshot: UserSnapshot, report: ComplianceReport, fieldAccess: FieldAccess): Promise<FixOutcome> {
    const gate = gateAction(request.action, snapshot, report, fieldAccess);
    if (!gate.enabled) throw new FixBlockedError(gate.reasonKey);
    switch (request.action) {
      case "switch-to-non-interactive":
        return this.switchToNonInteractive(snapshot, report);
      case "switch-to-interactive":
        // Dataverse disables a user that leaves non-interactive mode; the confirmation says so.
        return this.switchAccessMode(snapshot, AccessMode.ReadWrite);
      case "assign-service-role":
        return this.assignRole(snapshot, request.roleName ?? "");
      case "remove-role":
        return this.removeRole(snapshot, request.roleId ?? "");
      case "remove-from-team":
        return this.removeFromTeam(snapshot, request.teamId ?? "");
    }
  }

  /**
   * The limit refusal has no documented error code and its message is localized: when a switch is
   * refused for a reason no code identifies, the capacity is read again and a full environment is
   * reported as the limit.
   */
  private async switchToNonInteractive(snapshot: UserSnapshot, report: ComplianceReport): Promise<FixOutcome> {
    try {
      return await this.switchAccessMode(snapshot, AccessMode.NonInteractive);
    } catch (error) {
      const mapped = toDataverseError(error);
      if (mapped.kind !== "unknown") throw mapped;
      const capacity = await readCapacity(this.client).catch(() => null);
      const reportedMax = report.checks.find((check) => check.id === "non-interactive-capacity")?.params?.max;
      const max = capacity?.max ?? (typeof reportedMax === "number" ? reportedMax : null);
      if (capacity?.used != null && max !== null && capacity.used >= max)
        throw new DataverseError("limit-reached", mapped.message, { status: mapped.status, code: mapped.code });
      throw mapped;
    }
  }

  private async switchAccessMode(snapshot: UserSnapshot, accessMode: number): Promise<FixOutcome> {
    const { user } = snapshot;
    if (user.accessMode === accessMode) return "unchanged";
    await this.client.update("systemuser", user.systemUserId, { accessmode: accessMode }, { ifMatch: user.etag });
    return "applied";
  }

  private async assignRole(snapshot: UserSnapshot, roleName: string): Promise<FixOutcome> {
    const { user } = snapshot;
    const page = await this.client.retrieveMultiple("role", roleInBusinessUnitQuery(roleName, user.businessUnitId));
    const role = page.rows[0];
    const roleId = typeof role?.roleid === "string" ? role.roleid : null;
    if (!roleId) throw new ServiceRoleNotFoundError(roleName, user.businessUnitName ?? user.businessUnitId);
    if (snapshot.roles.some((held) => held.source.kind === "direct" && sameId(held.roleId, roleId))) return "unchanged";
    try {
      await this.client.associate("systemuser", user.systemUserId, USER_ROLES_RELATIONSHIP, "role", roleId);
      return "applied";
    } catch (error) {
      // Assigned meanwhile by someone else: the wanted state holds.
      if (toDataverseError(error).kind === "duplicate") return "unchanged";
      throw error;
    }
  }

  /** Ends the user's membership of an owner team (RemoveMembersTeam), taking away the roles it grants. */
  private async removeFromTeam(snapshot: UserSnapshot, teamId: string): Promise<FixOutcome> {
    if (!snapshot.roles.some((held) => held.source.kind === "team" && sameId(held.source.team.teamId, teamId))) return "unchanged";
    try {
      await this.client.removeTeamMembers(teamId, [snapshot.user.systemUserId]);
      return "applied";
    } catch (error) {
      const mapped = toDataverseError(error);
      if (mapped.kind === "not-found") return "unchanged";
      throw mapped;
    }
  }

  private async removeRole(snapshot: UserSnapshot, roleId: string): Promise<FixOutcome> {
    if (!snapshot.roles.some((held) => held.source.kind === "direct" && sameId(held.roleId, roleId))) return "unchanged";
    try {
      await this.client.disassociate("systemuser", snapshot.user.systemUserId, USER_ROLES_RELATIONSHIP, roleId);
      return "applied";
    } catch (error) {
      const mapped = toDataverseError(error);
      if (mapped.kind === "not-found") return "unchanged";
      throw mapped;
    }
  }
}
