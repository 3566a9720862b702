import type { MessageKey } from "./messages";

export type CheckId =
  | "account-type"
  | "online-environment"
  | "not-own-account"
  | "account-enabled"
  | "primary-email"
  | "access-mode"
  | "service-role"
  | "forbidden-roles"
  | "licence-released"
  | "non-interactive-capacity"
  | "password-expiry"
  | "m365-admin-role";

/** manual: Dataverse cannot see it (Entra, Microsoft 365); never reported as passed. */
export type CheckStatus = "pass" | "fail" | "warning" | "manual" | "not-applicable";

export type OverallStatus = "compliant" | "needs-attention" | "non-compliant" | "not-service-account";

/** What the product can do about a failing check, through the same Dataverse port that read it. */
export type FixAction = "switch-to-non-interactive" | "assign-service-role" | "remove-role";

export interface Fix {
  action: FixAction;
  /** For remove-role: which assignment. */
  roleId?: string;
  roleName?: string;
}

export type MessageParams = Record<string, string | number>;

export interface Check {
  id: CheckId;
  status: CheckStatus;
  messageKey: MessageKey;
  params?: MessageParams;
  fixes: Fix[];
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
