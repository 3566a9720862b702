import type { Check } from "./report";
import type { MessageKey } from "./messages";
import type { CompliancePolicy } from "./policy";
import { sameRoleName } from "./roleNames";
import type { EntraFact, StampedEntraCheck, UserSnapshot } from "./snapshot";

/** The checks Microsoft Graph decides; the server stamps their verdict on the user for the form. */
export type EntraCheckId = StampedEntraCheck["id"];

/** Message keys only a Graph read can produce: a stamped verdict may carry only these. */
const GRAPH_MESSAGE_KEYS: Record<EntraCheckId, readonly MessageKey[]> = {
  "password-expiry": ["check_passwordExpiry_neverByUser", "check_passwordExpiry_neverByDomain", "check_passwordExpiry_expires"],
  "m365-admin-role": ["check_m365AdminRole_none", "check_m365AdminRole_allowed", "check_m365AdminRole_fail"],
  "licence-released": ["check_licence_m365None", "check_licence_m365Assigned"],
};

const MANUAL_KEYS: Record<Exclude<EntraCheckId, "licence-released">, MessageKey> = {
  "password-expiry": "check_passwordExpiry_manual",
  "m365-admin-role": "check_m365AdminRole_manual",
};

/** Password expiry: passes only when Graph says the password cannot expire. */
export function passwordExpiryCheck(snapshot: UserSnapshot): Check {
  const id = "password-expiry";
  return decided(snapshot, id, snapshot.entra?.passwordExpiry, (expiry) => {
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
  const id = "m365-admin-role";
  return decided(snapshot, id, snapshot.entra?.directoryRoles, (roles) => {
    const allowed = (name: string) => policy.allowedDirectoryRoleNames.some((candidate) => sameRoleName(candidate, name));
    const outside = roles.filter((name) => !allowed(name));
    if (outside.length) return { status: "fail", messageKey: "check_m365AdminRole_fail", params: { roles: outside.join(", ") } };
    if (roles.length) return { status: "pass", messageKey: "check_m365AdminRole_allowed", params: { roles: roles.join(", ") } };
    return { status: "pass", messageKey: "check_m365AdminRole_none" };
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

function isGraphCheck(check: { id: string; status: string; messageKey: string }): boolean {
  const keys = GRAPH_MESSAGE_KEYS[check.id as EntraCheckId] as readonly string[] | undefined;
  return keys !== undefined && keys.includes(check.messageKey) && ["pass", "fail", "warning"].includes(check.status);
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
