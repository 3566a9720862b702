import type { MessageKey } from "./messages";
import type { ComplianceReport, FixAction, MessageParams } from "./report";
import { AccessMode, type UserSnapshot } from "./snapshot";

/** Everything the panel can do to a user: the fixes, plus the way back to interactive. */
export type PanelAction = FixAction | "switch-to-interactive";

/** Whether the panel may offer an action; a disabled one always says why, in words for the admin. */
export type ActionGate = { enabled: true } | { enabled: false; reasonKey: MessageKey; params?: MessageParams };

/** Privileges Dataverse checks for each action ("Prevent privilege elevation", systemuser and role privileges). */
export const REQUIRED_PRIVILEGES: Record<PanelAction, readonly string[]> = {
  "switch-to-non-interactive": ["prvWriteUser"],
  "switch-to-interactive": ["prvWriteUser"],
  "assign-service-role": ["prvAssignRole", "prvReadRole"],
  "remove-role": ["prvAssignRole", "prvReadRole"],
  // "RemoveMembersTeam message privileges": prvWriteTeam on team.
  "remove-from-team": ["prvWriteTeam"],
};

/** Whether the admin may change the bound Access Mode field: the form's field-level security and the control's disabled state. */
export interface FieldAccess {
  /** False when the control is disabled or the bound field is not editable for this admin. */
  editable: boolean;
}

/**
 * Whether the admin may run an action now, and if not, the first reason in the order an admin
 * would fix them. Pure: the same answer in the form and in tests.
 */
export function gateAction(action: PanelAction, snapshot: UserSnapshot, report: ComplianceReport, fieldAccess: FieldAccess): ActionGate {
  if (!fieldAccess.editable) return blocked("gate_notEditable");
  if (snapshot.isOnPremises) return blocked("gate_onPremises");
  if (report.accountKind === "application") return blocked("gate_applicationUser");
  if (report.accountKind === "support" || report.accountKind === "delegated-admin") return blocked("gate_builtInUser");
  if (report.checks.some((check) => check.id === "not-own-account" && check.status === "fail")) return blocked("gate_ownAccount");
  // Unknown privileges (the platform could not tell us) are left for Dataverse to judge.
  const privileges = snapshot.actor?.privileges;
  if (privileges) {
    const missing = REQUIRED_PRIVILEGES[action].filter((name) => !privileges.has(name));
    if (missing.length > 0) return blocked("gate_missingPrivilege", { privileges: missing.join(", ") });
  }
  const switchesMode = action === "switch-to-non-interactive" || action === "switch-to-interactive";
  // Dataverse lets only a System Administrator in Read-Write mode change access modes (0x80048d2f,
  // AccessModeChangeNeedSystemAdmin, "Web service error codes"); prvWriteUser alone is not enough.
  if (switchesMode && snapshot.actor?.isSystemAdministrator === false) return blocked("gate_needsSystemAdministrator");
  const actorMode = snapshot.actor?.accessMode;
  if (switchesMode && actorMode !== undefined && actorMode !== null && actorMode !== AccessMode.ReadWrite)
    return blocked("gate_needsReadWriteMode");
  if (!switchesMode && snapshot.host?.roleAssignment === false) return blocked("gate_roleChangesUnavailable");
  if (action === "switch-to-non-interactive") {
    const capacity = report.checks.find((check) => check.id === "non-interactive-capacity");
    if (capacity?.status === "fail") return blocked("gate_limitReached", capacity.params);
  }
  return { enabled: true };
}

function blocked(reasonKey: MessageKey, params?: MessageParams): ActionGate {
  return { enabled: false, reasonKey, params };
}
