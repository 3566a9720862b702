import type { MessageKey, MessageParams } from "./messages";
import type { RoleSource } from "./snapshot";

export type { MessageParams };

export type CheckId =
  | "account-type"
  | "online-environment"
  | "not-own-account"
  | "account-enabled"
  | "primary-email"
  | "access-mode"
  | "service-role"
  | "forbidden-roles"
  | "forbidden-privileges"
  | "sensitive-privileges"
  | "licence-released"
  | "non-interactive-capacity"
  | "password-expiry"
  | "m365-admin-role"
  | "credential-age"
  | "interactive-sign-in"
  | "recent-use"
  | "mfa-policy"
  | "app-credentials"
  | "app-owner";

/** manual: Dataverse cannot see it (Entra, Microsoft 365); never reported as passed. */
export type CheckStatus = "pass" | "fail" | "warning" | "manual" | "not-applicable";

export type OverallStatus = "compliant" | "needs-attention" | "non-compliant" | "not-service-account";

/** What the product can do about a failing check, through the same Dataverse port that read it. */
export type FixAction = "switch-to-non-interactive" | "assign-service-role" | "remove-role" | "remove-from-team";

export interface Fix {
  action: FixAction;
  /** For remove-role: which assignment. */
  roleId?: string;
  roleName?: string;
  /** For remove-from-team: the owner team to take the account out of. */
  teamId?: string;
  teamName?: string;
}

/** One role (and the privileges of the policy it grants) behind a finding, and how the user holds it. */
export interface Grant {
  roleId: string;
  roleName: string;
  source: RoleSource;
  privileges?: string[];
}

export interface Check {
  id: CheckId;
  status: CheckStatus;
  messageKey: MessageKey;
  params?: MessageParams;
  fixes: Fix[];
  /** For role and privilege findings: what grants them, so the UI can say where each comes from and what to do. */
  grants?: Grant[];
}

export type AccountKind = "user" | "application" | "support" | "delegated-admin";

export interface ComplianceReport {
  status: OverallStatus;
  accountKind: AccountKind;
  /** Non-interactive, or holding the service role: the rules apply to it as a service account. */
  isServiceAccount: boolean;
  checks: Check[];
}

/** Ids of the checks that stop an account from being compliant (fail and warning), in report order. */
export function failingCheckIds(report: ComplianceReport): CheckId[] {
  return report.checks.filter((check) => check.status === "fail" || check.status === "warning").map((check) => check.id);
}
