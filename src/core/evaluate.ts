import type { CompliancePolicy } from "./policy";
import { isNamedRole } from "./roleNames";
import { forbiddenPrivilegesCheck, forbiddenRolesCheck, sensitivePrivilegesCheck } from "./accessChecks";
import { classifyAccount } from "./accountKind";
import { isFunctionalEmail } from "./email";
import type { Check, ComplianceReport, OverallStatus } from "./report";
import { AccessMode, EmailApproval, type RoleAssignment, type UserSnapshot } from "./snapshot";
import { sameId } from "./ids";
import {
  appCredentialsCheck,
  appOwnerCheck,
  credentialAgeCheck,
  directoryRoleCheck,
  interactiveSignInCheck,
  m365LicenceCheck,
  mfaPolicyCheck,
  passwordExpiryCheck,
  recentUseCheck,
} from "./entraChecks";

/**
 * The one policy: turns a snapshot into a report. Pure and deterministic, so the form, the webhook
 * and the audit agree on every user.
 */
export function evaluate(snapshot: UserSnapshot, policy: CompliancePolicy): ComplianceReport {
  const { user } = snapshot;
  const accountKind = classifyAccount(user);

  if (accountKind === "support" || accountKind === "delegated-admin") {
    // Built-in placeholder users are managed by the platform: nothing to check or fix.
    const messageKey = accountKind === "support" ? "check_accountType_support" : "check_accountType_delegatedAdmin";
    return {
      status: "not-service-account",
      accountKind,
      isServiceAccount: false,
      checks: [{ id: "account-type", status: "not-applicable", messageKey, fixes: [] }],
    };
  }

  if (accountKind === "application") {
    // Server-to-server accounts: non-interactive by design, unlicensed and outside the limit, so only
    // the rules that still apply: enabled, least privilege, and the app registration's credentials.
    const checks: Check[] = [
      { id: "account-type", status: "pass", messageKey: "check_accountType_application", fixes: [] },
      user.isDisabled
        ? { id: "account-enabled", status: "fail", messageKey: "check_enabled_fail", fixes: [] }
        : { id: "account-enabled", status: "pass", messageKey: "check_enabled_pass", fixes: [] },
      ...leastPrivilegeChecks(snapshot, policy),
      appCredentialsCheck(snapshot, policy),
      appOwnerCheck(snapshot),
    ];
    return { status: overallStatus(checks), accountKind, isServiceAccount: true, checks };
  }

  // Held directly or through a team: either way the account has the role's privileges.
  const serviceRoles = snapshot.roles.filter((role) => isNamedRole(policy.serviceRoleName, role));
  const isNonInteractive = user.accessMode === AccessMode.NonInteractive;
  const isServiceAccount = isNonInteractive || serviceRoles.length > 0;

  const checks: Check[] = [
    { id: "account-type", status: "pass", messageKey: "check_accountType_user", fixes: [] },
    snapshot.isOnPremises
      ? { id: "online-environment", status: "fail", messageKey: "check_online_onPremises", fixes: [] }
      : { id: "online-environment", status: "pass", messageKey: "check_online_pass", fixes: [] },
  ];
  if (snapshot.actor) {
    checks.push(
      sameId(snapshot.actor.userId, user.systemUserId)
        ? { id: "not-own-account", status: "fail", messageKey: "check_ownAccount_fail", fixes: [] }
        : { id: "not-own-account", status: "pass", messageKey: "check_ownAccount_pass", fixes: [] },
    );
  }
  checks.push(
    user.isDisabled
      ? { id: "account-enabled", status: "fail", messageKey: "check_enabled_fail", fixes: [] }
      : { id: "account-enabled", status: "pass", messageKey: "check_enabled_pass", fixes: [] },
    emailCheck(snapshot),
    isNonInteractive
      ? { id: "access-mode", status: "pass", messageKey: "check_accessMode_pass", fixes: [] }
      : {
          id: "access-mode",
          status: "fail",
          messageKey: "check_accessMode_fail",
          params: { mode: user.accessMode },
          fixes: [{ action: "switch-to-non-interactive" }],
        },
    serviceRoleCheck(snapshot, serviceRoles, policy),
    ...leastPrivilegeChecks(snapshot, policy),
    licenceCheck(snapshot),
    capacityCheck(snapshot, policy),
    passwordExpiryCheck(snapshot),
    credentialAgeCheck(snapshot, policy),
    directoryRoleCheck(snapshot, policy),
    interactiveSignInCheck(snapshot, policy),
    recentUseCheck(snapshot, policy),
    mfaPolicyCheck(snapshot),
  );

  return { status: isServiceAccount ? overallStatus(checks) : "not-service-account", accountKind, isServiceAccount, checks };
}

function overallStatus(checks: Check[]): OverallStatus {
  if (checks.some((check) => check.status === "fail")) return "non-compliant";
  if (checks.some((check) => check.status === "warning")) return "needs-attention";
  return "compliant";
}

function emailCheck({ user }: UserSnapshot): Check {
  const id = "primary-email";
  const email = user.primaryEmail?.trim() ?? "";
  if (email === "") return { id, status: "fail", messageKey: "check_email_missing", fixes: [] };
  if (!isFunctionalEmail(email)) return { id, status: "fail", messageKey: "check_email_invalid", params: { email }, fixes: [] };
  if (user.emailApproval === EmailApproval.Rejected)
    return { id, status: "warning", messageKey: "check_email_rejected", params: { email }, fixes: [] };
  if (user.emailApproval === EmailApproval.PendingApproval)
    return { id, status: "warning", messageKey: "check_email_pending", params: { email }, fixes: [] };
  return { id, status: "pass", messageKey: "check_email_pass", params: { email }, fixes: [] };
}

function serviceRoleCheck({ user }: UserSnapshot, serviceRoles: RoleAssignment[], policy: CompliancePolicy): Check {
  const id = "service-role";
  const role = policy.serviceRoleName;
  if (serviceRoles.some((held) => sameId(held.businessUnitId, user.businessUnitId)))
    return { id, status: "pass", messageKey: "check_serviceRole_pass", params: { role }, fixes: [] };
  const fixes = [{ action: "assign-service-role" as const, roleName: role }];
  if (serviceRoles.length > 0) {
    // A copy from another business unit: classic business units only grant a role's privileges through
    // the copy in the user's own unit (modernized business units excepted), so it does not count.
    const businessUnits = serviceRoles.map((held) => held.businessUnitName ?? held.businessUnitId).join(", ");
    return { id, status: "fail", messageKey: "check_serviceRole_wrongBusinessUnit", params: { role, businessUnits }, fixes };
  }
  return { id, status: "fail", messageKey: "check_serviceRole_missing", params: { role }, fixes };
}

/** Least privilege, for every kind of service account: no forbidden role, no forbidden privilege, sensitive ones named. */
function leastPrivilegeChecks({ roles }: UserSnapshot, policy: CompliancePolicy): Check[] {
  return [forbiddenRolesCheck(roles, policy), forbiddenPrivilegesCheck(roles, policy), sensitivePrivilegesCheck(roles, policy)];
}

function licenceCheck(snapshot: UserSnapshot): Check {
  const { user, isOnPremises } = snapshot;
  const id = "licence-released";
  // On-premises licences are client access licences, not Microsoft 365 assignments.
  if (isOnPremises) return { id, status: "not-applicable", messageKey: "check_licence_onPremises", fixes: [] };
  if (user.accessMode !== AccessMode.NonInteractive)
    return { id, status: "not-applicable", messageKey: "check_licence_afterSwitch", fixes: [] };
  // Releasing happens in the Microsoft 365 admin center: guidance, not a fix this product can run.
  const m365 = m365LicenceCheck(snapshot);
  if (m365) return m365;
  if (user.isLicensed) return { id, status: "warning", messageKey: "check_licence_stillAssigned", fixes: [] };
  return { id, status: "pass", messageKey: "check_licence_pass", fixes: [] };
}

function capacityCheck({ user, capacity }: UserSnapshot, policy: CompliancePolicy): Check {
  const id = "non-interactive-capacity";
  const max = capacity.max ?? policy.fallbackNonInteractiveLimit;
  const used = capacity.used;
  if (user.accessMode === AccessMode.NonInteractive) {
    return used == null
      ? { id, status: "pass", messageKey: "check_capacity_holdsSlotUnknown", params: { max }, fixes: [] }
      : { id, status: "pass", messageKey: "check_capacity_holdsSlot", params: { used, max }, fixes: [] };
  }
  if (used == null) return { id, status: "warning", messageKey: "check_capacity_unknown", params: { max }, fixes: [] };
  if (used >= max) return { id, status: "fail", messageKey: "check_capacity_full", params: { used, max }, fixes: [] };
  return { id, status: "pass", messageKey: "check_capacity_room", params: { used, max, free: max - used }, fixes: [] };
}
