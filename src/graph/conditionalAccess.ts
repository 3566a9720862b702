import type { MfaCoverage, NamedPolicy } from "../core/snapshot";

/**
 * Which Conditional Access policies demand MFA of one account when it signs in to Dataverse, from the
 * policies as Graph lists them (`GET /identity/conditionalAccess/policies`; conditionalAccessPolicy,
 * conditionalAccessUsers, conditionalAccessApplications and conditionalAccessGrantControls resource
 * types on https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy). Pure, so each rule
 * is tested case by case.
 */

/** Dataverse's first-party app id ("Common Data Service"), as policies name it in includeApplications. */
export const DATAVERSE_APP_ID = "00000007-0000-0000-c000-000000000000";

/** The parts of a conditionalAccessPolicy the coverage reads; Graph may leave any of them null. */
export interface ConditionalAccessPolicy {
  displayName?: string | null;
  state?: string | null;
  conditions?: {
    users?: Partial<
      Record<"includeUsers" | "excludeUsers" | "includeGroups" | "excludeGroups" | "includeRoles" | "excludeRoles", string[] | null>
    > | null;
    applications?: { includeApplications?: string[] | null; excludeApplications?: string[] | null; applicationFilter?: unknown } | null;
    clientAppTypes?: string[] | null;
    signInRiskLevels?: string[] | null;
    userRiskLevels?: string[] | null;
  } | null;
  grantControls?: {
    operator?: string | null;
    builtInControls?: string[] | null;
    customAuthenticationFactors?: string[] | null;
    termsOfUse?: string[] | null;
    authenticationStrength?: unknown;
  } | null;
}

/** The account as the policies see it: its object id, whether it is a guest, its groups (transitive) and directory role templates. */
export interface PolicySubject {
  objectId: string;
  isGuest: boolean;
  groupIds: ReadonlySet<string>;
  roleTemplateIds: ReadonlySet<string>;
}

const lower = (values: string[] | null | undefined) => (values ?? []).map((value) => value.toLowerCase());

/**
 * MFA is required when the grant asks for it (the `mfa` control or an authentication strength) and
 * the account cannot satisfy the policy another way: with OR, any other control (a compliant device,
 * terms of use) is an alternative to MFA. A policy that blocks is not an MFA policy.
 */
export function requiresMfa(policy: ConditionalAccessPolicy): boolean {
  const grant = policy.grantControls;
  if (!grant) return false;
  const controls = lower(grant.builtInControls);
  if (controls.includes("block")) return false;
  const asksMfa = controls.includes("mfa") || (grant.authenticationStrength !== null && grant.authenticationStrength !== undefined);
  if (!asksMfa) return false;
  if ((grant.operator ?? "OR").toUpperCase() === "AND") return true;
  const alternatives = [
    ...controls.filter((control) => control !== "mfa"),
    ...(grant.customAuthenticationFactors ?? []),
    ...(grant.termsOfUse ?? []),
  ];
  return alternatives.length === 0;
}

/**
 * Whether the policy can apply to a Dataverse sign-in of a service account: Dataverse among its
 * resources ("All", or Dataverse's id, and not excluded), a modern-authentication client (legacy
 * `exchangeActiveSync`/`other` alone do not reach Dataverse's Web API), and not only on sign-in or
 * user risk (then it demands MFA only when Entra judges the sign-in risky). Where the answer depends
 * on what the product cannot see (the "Office365" suite's membership, an application filter on
 * custom security attributes), the policy is not counted: a missed policy warns, a wrong one would pass.
 */
export function reachesDataverse(policy: ConditionalAccessPolicy): boolean {
  const conditions = policy.conditions;
  const include = lower(conditions?.applications?.includeApplications);
  const exclude = lower(conditions?.applications?.excludeApplications);
  if (exclude.includes("all") || exclude.includes(DATAVERSE_APP_ID) || conditions?.applications?.applicationFilter) return false;
  if (!include.includes("all") && !include.includes(DATAVERSE_APP_ID)) return false;
  const clients = lower(conditions?.clientAppTypes);
  if (clients.length && !clients.some((client) => ["all", "browser", "mobileappsanddesktopclients"].includes(client))) return false;
  return !(conditions?.signInRiskLevels?.length ?? 0) && !(conditions?.userRiskLevels?.length ?? 0);
}

type Scope = "out" | "in" | "excluded";

/**
 * The account against the policy's users: included as everyone ("All"), by id, as a guest, through a
 * group it belongs to (transitively) or a directory role it holds; "None" includes nobody; an
 * exclusion by id, group or role wins over every inclusion (conditionalAccessUsers).
 */
export function scopeOf(policy: ConditionalAccessPolicy, subject: PolicySubject): Scope {
  const users = policy.conditions?.users ?? {};
  const includeUsers = lower(users.includeUsers);
  const excludeUsers = lower(users.excludeUsers);
  const id = subject.objectId.toLowerCase();
  const inGroups = (ids: string[] | null | undefined) => lower(ids).some((group) => subject.groupIds.has(group));
  const inRoles = (ids: string[] | null | undefined) => lower(ids).some((role) => subject.roleTemplateIds.has(role));
  const included =
    !includeUsers.includes("none") &&
    (includeUsers.includes("all") ||
      includeUsers.includes(id) ||
      (subject.isGuest && includeUsers.includes("guestsorexternalusers")) ||
      inGroups(users.includeGroups) ||
      inRoles(users.includeRoles));
  if (!included) return "out";
  const excluded =
    excludeUsers.includes(id) ||
    (subject.isGuest && excludeUsers.includes("guestsorexternalusers")) ||
    inGroups(users.excludeGroups) ||
    inRoles(users.excludeRoles);
  return excluded ? "excluded" : "in";
}

/** Whether any policy that matters here names directory roles: then the account's roles must be known. */
export function namesRoles(policies: ConditionalAccessPolicy[]): boolean {
  return policies.some((policy) => {
    const users = policy.conditions?.users;
    return (users?.includeRoles?.length ?? 0) > 0 || (users?.excludeRoles?.length ?? 0) > 0;
  });
}

/** The MFA policies that reach Dataverse, as the coverage reads them; disabled policies do nothing. */
export function mfaPolicies(policies: ConditionalAccessPolicy[]): ConditionalAccessPolicy[] {
  return policies.filter((policy) => policy.state !== "disabled" && requiresMfa(policy) && reachesDataverse(policy));
}

export function mfaCoverage(policies: ConditionalAccessPolicy[], subject: PolicySubject, securityDefaults: boolean): MfaCoverage {
  const requiring: NamedPolicy[] = [];
  const excludedFrom: NamedPolicy[] = [];
  for (const policy of mfaPolicies(policies)) {
    const named = { name: policy.displayName ?? "(unnamed policy)", reportOnly: policy.state === "enabledForReportingButNotEnforced" };
    const scope = scopeOf(policy, subject);
    if (scope === "in") requiring.push(named);
    if (scope === "excluded") excludedFrom.push(named);
  }
  return { requiring, excludedFrom, securityDefaults };
}
