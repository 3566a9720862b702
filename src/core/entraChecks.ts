import type { Check } from "./report";
import type { MessageKey, MessagePart } from "./messages";
import type { CompliancePolicy } from "./policy";
import { sameRoleName } from "./roleNames";
import {
  AccessMode,
  ENTRA_CHECK_IDS,
  type AppCredential,
  type AppRegistration,
  type EntraFact,
  type NamedPolicy,
  type StampedEntraCheck,
  type UserSnapshot,
} from "./snapshot";

/** The checks Microsoft Graph decides; the server stamps their verdict on the user for the form. */
export type EntraCheckId = StampedEntraCheck["id"];

/** Message keys only a Graph read can produce: a stamped verdict may carry only these. */
const GRAPH_MESSAGE_KEYS: Record<EntraCheckId, readonly MessageKey[]> = {
  "password-expiry": ["check_passwordExpiry_neverByUser", "check_passwordExpiry_neverByDomain", "check_passwordExpiry_expires"],
  "m365-admin-role": ["check_m365AdminRole_none", "check_m365AdminRole_allowed", "check_m365AdminRole_fail"],
  "licence-released": ["check_licence_m365None", "check_licence_m365Assigned"],
  "credential-age": ["check_credentialAge_pass", "check_credentialAge_old"],
  "interactive-sign-in": ["check_interactiveSignIn_none", "check_interactiveSignIn_old", "check_interactiveSignIn_fail"],
  "recent-use": ["check_recentUse_pass", "check_recentUse_new", "check_recentUse_unused", "check_recentUse_never"],
  "mfa-policy": [
    "check_mfaPolicy_pass",
    "check_mfaPolicy_securityDefaults",
    "check_mfaPolicy_excluded",
    "check_mfaPolicy_reportOnly",
    "check_mfaPolicy_none",
  ],
  "app-credentials": [
    "check_appCredentials_pass",
    "check_appCredentials_federatedOnly",
    "check_appCredentials_managedIdentity",
    "check_appCredentials_otherTenant",
    "check_appCredentials_expired",
    "check_appCredentials_expiring",
    "check_appCredentials_longLived",
    "check_appCredentials_none",
  ],
  "app-owner": ["check_appOwner_pass", "check_appOwner_none", "check_appOwner_notApplicable"],
};

const MANUAL_KEYS: Record<Exclude<EntraCheckId, "licence-released">, MessageKey> = {
  "password-expiry": "check_passwordExpiry_manual",
  "m365-admin-role": "check_m365AdminRole_manual",
  "credential-age": "check_credentialAge_manual",
  "interactive-sign-in": "check_interactiveSignIn_manual",
  "recent-use": "check_recentUse_manual",
  "mfa-policy": "check_mfaPolicy_manual",
  "app-credentials": "check_appCredentials_manual",
  "app-owner": "check_appOwner_manual",
};

const DAY_MS = 86_400_000;

/** Whole days from `from` to `to` (ISO 8601); null when either is not a time. */
function daysBetween(from: string, to: string): number | null {
  const span = Date.parse(to) - Date.parse(from);
  return Number.isNaN(span) ? null : Math.floor(span / DAY_MS);
}

/** Password expiry: passes only when Graph says the password cannot expire. */
export function passwordExpiryCheck(snapshot: UserSnapshot): Check {
  return decided(snapshot, "password-expiry", snapshot.entra?.passwordExpiry, (expiry) => {
    if (!expiry.expires)
      return {
        status: "pass",
        messageKey: expiry.because === "user-policy" ? "check_passwordExpiry_neverByUser" : "check_passwordExpiry_neverByDomain",
      };
    return { status: "fail", messageKey: "check_passwordExpiry_expires", params: { days: expiry.validityDays } };
  });
}

/** Microsoft 365 admin roles: fails on any directory role the policy does not allow. */
export function directoryRoleCheck(snapshot: UserSnapshot, policy: CompliancePolicy): Check {
  return decided(snapshot, "m365-admin-role", snapshot.entra?.directoryRoles, (roles) => {
    const allowed = (name: string) => policy.allowedDirectoryRoleNames.some((candidate) => sameRoleName(candidate, name));
    const outside = roles.filter((name) => !allowed(name));
    if (outside.length) return { status: "fail", messageKey: "check_m365AdminRole_fail", params: { roles: outside.join(", ") } };
    if (roles.length) return { status: "pass", messageKey: "check_m365AdminRole_allowed", params: { roles: roles.join(", ") } };
    return { status: "pass", messageKey: "check_m365AdminRole_none" };
  });
}

/** Credential age: a password not changed for longer than the policy allows is worth rotating. */
export function credentialAgeCheck(snapshot: UserSnapshot, policy: CompliancePolicy): Check {
  const readOn = snapshot.entra?.readOn ?? "";
  return decided(snapshot, "credential-age", snapshot.entra?.passwordChangedOn, (changedOn): Decision => {
    const age = daysBetween(changedOn, readOn);
    // A date that cannot be read is never taken for a recent one.
    if (age === null || age > policy.credentialMaxAgeDays)
      return {
        status: "warning",
        messageKey: "check_credentialAge_old",
        params: { date: { date: changedOn }, days: policy.credentialMaxAgeDays },
      };
    return { status: "pass", messageKey: "check_credentialAge_pass", params: { date: { date: changedOn } } };
  });
}

/**
 * Interactive sign-ins on a non-interactive account: a person types its password somewhere (Entra
 * records interactive attempts, successful or not, in `lastSignInDateTime`). Interactive accounts are
 * meant for people, so the check does not apply to them, whatever was stamped before.
 */
export function interactiveSignInCheck(snapshot: UserSnapshot, policy: CompliancePolicy): Check {
  const id = "interactive-sign-in";
  if (snapshot.user.accessMode !== AccessMode.NonInteractive)
    return { id, status: "not-applicable", messageKey: "check_interactiveSignIn_interactiveMode", fixes: [] };
  const readOn = snapshot.entra?.readOn ?? "";
  return decided(snapshot, id, snapshot.entra?.signIns, ({ lastInteractive }): Decision => {
    if (lastInteractive === null) return { status: "pass", messageKey: "check_interactiveSignIn_none" };
    const date = { date: lastInteractive };
    const age = daysBetween(lastInteractive, readOn);
    if (age === null || age < policy.interactiveSignInDays)
      return { status: "fail", messageKey: "check_interactiveSignIn_fail", params: { date } };
    return { status: "pass", messageKey: "check_interactiveSignIn_old", params: { date, days: policy.interactiveSignInDays } };
  });
}

/** Recent use: an account without a successful sign-in for the policy's days is unused (unless it is newer than that). */
export function recentUseCheck(snapshot: UserSnapshot, policy: CompliancePolicy): Check {
  const readOn = snapshot.entra?.readOn ?? "";
  const days = policy.unusedAfterDays;
  return decided(snapshot, "recent-use", snapshot.entra?.signIns, ({ lastSuccessful, createdOn }): Decision => {
    if (lastSuccessful === null) {
      const age = createdOn === null ? null : daysBetween(createdOn, readOn);
      if (age !== null && age <= days) return { status: "pass", messageKey: "check_recentUse_new", params: { date: { date: createdOn! } } };
      return { status: "warning", messageKey: "check_recentUse_never", params: { days } };
    }
    const age = daysBetween(lastSuccessful, readOn);
    if (age === null || age > days)
      return { status: "warning", messageKey: "check_recentUse_unused", params: { date: { date: lastSuccessful }, days } };
    return { status: "pass", messageKey: "check_recentUse_pass", params: { date: { date: lastSuccessful } } };
  });
}

/**
 * At most this many policies named in a finding, each name at most NAME_LENGTH characters: the stamped
 * verdict lives in a 4,000-character column (svcacct_entraverdict), and a finding is read, not scrolled.
 */
const LISTED_POLICIES = 5;
const NAME_LENGTH = 100;
const shortName = (name: string) => (name.length > NAME_LENGTH ? `${name.slice(0, NAME_LENGTH - 1)}…` : name);

/** Conditional Access policies named in a finding, each marked when it is report-only, the rest counted. */
function policyParts(policies: NamedPolicy[]): MessagePart[] {
  const named: MessagePart[] = policies
    .slice(0, LISTED_POLICIES)
    .map(({ name, reportOnly }) => ({ key: reportOnly ? "policy_reportOnly" : "policy_enforced", params: { name: shortName(name) } }));
  const more = policies.length - LISTED_POLICIES;
  return more > 0 ? [...named, { key: "policy_more", params: { count: more } }] : named;
}

/**
 * MFA through Conditional Access: any exclusion from an enabled policy that requires MFA warns (the
 * account escapes it, whatever else applies); covered only by report-only policies, or by none, warns.
 */
export function mfaPolicyCheck(snapshot: UserSnapshot): Check {
  return decided(snapshot, "mfa-policy", snapshot.entra?.mfa, ({ requiring, excludedFrom, securityDefaults }): Decision => {
    if (excludedFrom.some((policy) => !policy.reportOnly))
      return { status: "warning", messageKey: "check_mfaPolicy_excluded", params: { policies: policyParts(excludedFrom) } };
    const enforced = requiring.filter((policy) => !policy.reportOnly);
    if (enforced.length) return { status: "pass", messageKey: "check_mfaPolicy_pass", params: { policies: policyParts(enforced) } };
    if (securityDefaults) return { status: "pass", messageKey: "check_mfaPolicy_securityDefaults" };
    if (requiring.length)
      return { status: "warning", messageKey: "check_mfaPolicy_reportOnly", params: { policies: policyParts(requiring) } };
    return { status: "warning", messageKey: "check_mfaPolicy_none" };
  });
}

function credentialPart({ type, name }: AppCredential): MessagePart {
  if (type === "secret")
    return name ? { key: "credential_secret", params: { name: shortName(name) } } : { key: "credential_secretUnnamed" };
  return name ? { key: "credential_certificate", params: { name: shortName(name) } } : { key: "credential_certificateUnnamed" };
}

/**
 * An application user's credentials: an expired secret or certificate fails; one expiring soon, or a
 * secret valid for longer than the policy allows, warns; federated credentials alone pass (nothing
 * to leak); a managed identity passes (Azure rotates its credentials).
 */
export function appCredentialsCheck(snapshot: UserSnapshot, policy: CompliancePolicy): Check {
  const readOn = snapshot.entraApp?.readOn ?? "";
  return decidedForApp(snapshot, "app-credentials", (registration): Decision => {
    if (registration.kind === "managed-identity") return { status: "pass", messageKey: "check_appCredentials_managedIdentity" };
    if (registration.kind === "other-tenant") return { status: "manual", messageKey: "check_appCredentials_otherTenant" };
    const { credentials, federatedCredentialCount } = registration;
    if (!credentials.length)
      return federatedCredentialCount > 0
        ? { status: "pass", messageKey: "check_appCredentials_federatedOnly" }
        : { status: "warning", messageKey: "check_appCredentials_none" };
    const left = (credential: AppCredential) => (credential.endsOn === null ? null : daysBetween(readOn, credential.endsOn));
    const byEnd = [...credentials].sort((a, b) => (a.endsOn ?? "9999").localeCompare(b.endsOn ?? "9999"));
    const expired = byEnd.find((credential) => (left(credential) ?? 0) < 0 && credential.endsOn !== null);
    if (expired)
      return {
        status: "fail",
        messageKey: "check_appCredentials_expired",
        params: { credential: [credentialPart(expired)], date: { date: expired.endsOn! } },
      };
    const expiring = byEnd.find((credential) => credential.endsOn !== null && left(credential)! <= policy.credentialWarningDays);
    if (expiring)
      return {
        status: "warning",
        messageKey: "check_appCredentials_expiring",
        params: { credential: [credentialPart(expiring)], date: { date: expiring.endsOn! } },
      };
    const longLived = byEnd.find((credential) => {
      if (credential.type !== "secret") return false;
      const validity = credential.endsOn === null ? null : daysBetween(credential.startsOn ?? readOn, credential.endsOn);
      return validity === null || validity > policy.credentialMaxLifetimeDays;
    });
    if (longLived)
      return {
        status: "warning",
        messageKey: "check_appCredentials_longLived",
        params: {
          credential: [credentialPart(longLived)],
          date: { date: longLived.endsOn ?? "9999-12-31" },
          days: policy.credentialMaxLifetimeDays,
        },
      };
    return { status: "pass", messageKey: "check_appCredentials_pass", params: { date: { date: byEnd[0].endsOn ?? "9999-12-31" } } };
  });
}

/** Someone answerable for the app registration: one with no owner warns. */
export function appOwnerCheck(snapshot: UserSnapshot): Check {
  return decidedForApp(snapshot, "app-owner", (registration): Decision => {
    if (registration.kind !== "registered") return { status: "not-applicable", messageKey: "check_appOwner_notApplicable" };
    if (registration.ownerCount === 0) return { status: "warning", messageKey: "check_appOwner_none" };
    return { status: "pass", messageKey: "check_appOwner_pass", params: { count: registration.ownerCount } };
  });
}

/**
 * The licence as Microsoft 365 assigns it, when Graph read it (live or stamped); null to fall back on
 * Dataverse's `islicensed`, which lags behind Microsoft 365.
 */
export function m365LicenceCheck(snapshot: UserSnapshot): Check | null {
  const id = "licence-released";
  const fact = snapshot.entra?.assignedLicenceCount;
  if (fact && "value" in fact)
    return fact.value > 0
      ? { id, status: "warning", messageKey: "check_licence_m365Assigned", params: { count: fact.value }, fixes: [] }
      : { id, status: "pass", messageKey: "check_licence_m365None", fixes: [] };
  return stampedCheck(snapshot, id);
}

/** The checks of a report that came from Graph: what the server stamps as its Entra verdict. */
export function entraVerdictChecks(checks: Check[]): StampedEntraCheck[] {
  return checks
    .filter((check): check is Check & { id: EntraCheckId; status: StampedEntraCheck["status"] } => isGraphCheck(check))
    .map((check) => ({
      id: check.id,
      status: check.status,
      messageKey: check.messageKey,
      ...(check.params ? { params: check.params } : {}),
    }));
}

const STAMPED_STATUSES: readonly string[] = ["pass", "fail", "warning", "manual", "not-applicable"] satisfies StampedEntraCheck["status"][];

function isGraphCheck(check: { id: string; status: string; messageKey: string }): boolean {
  if (!(ENTRA_CHECK_IDS as readonly string[]).includes(check.id)) return false;
  const keys = GRAPH_MESSAGE_KEYS[check.id as EntraCheckId] as readonly string[];
  return keys.includes(check.messageKey) && STAMPED_STATUSES.includes(check.status);
}

type Decision = Pick<Check, "status" | "messageKey" | "params">;

/**
 * A live Graph fact decides; else the server's stamped verdict (the form, or Graph failing now);
 * else the check stays manual, saying why Graph could not tell when it tried.
 */
function decided<T>(
  snapshot: UserSnapshot,
  id: Exclude<EntraCheckId, "licence-released">,
  fact: EntraFact<T> | undefined,
  decide: (value: T) => Decision,
): Check {
  if (fact && "value" in fact) return { id, ...decide(fact.value), fixes: [] };
  const stamped = stampedCheck(snapshot, id);
  if (stamped) return stamped;
  if (fact) return { id, status: "manual", messageKey: "check_entra_unavailable", params: { reason: fact.problem }, fixes: [] };
  return { id, status: "manual", messageKey: MANUAL_KEYS[id], fixes: [] };
}

function decidedForApp(
  snapshot: UserSnapshot,
  id: "app-credentials" | "app-owner",
  decide: (registration: AppRegistration) => Decision,
): Check {
  return decided(snapshot, id, snapshot.entraApp?.registration, decide);
}

function stampedCheck(snapshot: UserSnapshot, id: EntraCheckId): Check | null {
  const stamped = snapshot.stampedEntra?.checks.find((check) => check.id === id);
  if (!stamped || !isGraphCheck(stamped)) return null;
  return {
    id,
    status: stamped.status,
    messageKey: stamped.messageKey as MessageKey,
    ...(stamped.params ? { params: stamped.params } : {}),
    fixes: [],
  };
}
