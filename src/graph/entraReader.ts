import type { EntraAppFacts, EntraFact, EntraFacts, MfaCoverage, PasswordExpiry, SignInActivity } from "../core/snapshot";
import { text } from "../dataverse/snapshotRows";
import type { GraphRetryOptions } from "./httpGraphClient";
import type { GraphClient, GraphRequest, GraphResponse } from "./graphClient";
import { allRows, graphCode, problemOf, sendAll } from "./graphBatches";
import { appRegistrationOf } from "./appRegistration";
import { mfaCoverage, mfaPolicies, namesRoles, type ConditionalAccessPolicy } from "./conditionalAccess";
import {
  applicationOwnersUrl,
  applicationUrl,
  CONDITIONAL_ACCESS_URL,
  DOMAINS_URL,
  federatedCredentialsUrl,
  membershipsUrl,
  PERMISSION,
  SECURITY_DEFAULTS_URL,
  servicePrincipalUrl,
  signInActivityUrl,
  userUrl,
} from "./entraRequests";

/** "Never expires" as the domain's passwordValidityPeriodInDays (Int32.MaxValue; Microsoft Entra password policies, https://learn.microsoft.com/entra/identity/authentication/concept-sspr-policy). */
export const NEVER_EXPIRES_DAYS = 2147483647;
/** The validity Entra applies when the domain sets none: Graph documents null as the default, 90 days (domain resource type). */
export const DEFAULT_VALIDITY_DAYS = 90;

/** As for one call; here `maxAttempts` counts rounds for the requests Graph throttled inside a batch (429 with Retry-After). */
export interface EntraReadOptions extends GraphRetryOptions {
  /** The time the date rules compare against; now by default. */
  now?: () => Date;
}

/** Whom to read: Entra users by object id, application users by application id. */
export interface EntraSubjects {
  users: string[];
  applications: string[];
}

/** What was read, keyed by lower-case object id and application id. */
export interface EntraReadout {
  users: Map<string, EntraFacts>;
  applications: Map<string, EntraAppFacts>;
}

/** Every fact of a user unreadable for one reason (no object id, the whole call failing). */
export function unreadable(problem: string, readOn = new Date().toISOString()): EntraFacts {
  return {
    readOn,
    passwordExpiry: { problem },
    directoryRoles: { problem },
    assignedLicenceCount: { problem },
    passwordChangedOn: { problem },
    signIns: { problem },
    mfa: { problem },
  };
}

/** What a user's memberships say: their directory roles and transitive groups. */
interface Memberships {
  roleNames: (string | null)[];
  roleTemplateIds: (string | null)[];
  groupIds: string[];
}

/** The tenant-wide reads, once per run: domains' password validity, Conditional Access, security defaults. */
interface TenantFacts {
  domains: EntraFact<Map<string, number | null>>;
  policies: EntraFact<ConditionalAccessPolicy[]>;
  securityDefaults: EntraFact<boolean>;
}

/**
 * Reads the Entra facts of users and application users in JSON batches of 20: three requests per user
 * (the user, their memberships, their sign-ins), four per application (app registration, owners,
 * federated credentials, service principal), and the tenant-wide reads once, in the first batch. So N
 * users cost about 3N/20 Graph calls. A fault never throws: each subject gets its facts or, per fact,
 * the problem in words.
 */
export async function readEntraFacts(client: GraphClient, subjects: EntraSubjects, options: EntraReadOptions = {}): Promise<EntraReadout> {
  const readOn = (options.now?.() ?? new Date()).toISOString();
  const users = [...new Set(subjects.users.map((id) => id.toLowerCase()))];
  const apps = [...new Set(subjects.applications.map((id) => id.toLowerCase()))];
  const requests: GraphRequest[] = [
    ...(users.length
      ? [
          { id: "domains", url: DOMAINS_URL },
          { id: "policies", url: CONDITIONAL_ACCESS_URL },
          { id: "defaults", url: SECURITY_DEFAULTS_URL },
        ]
      : []),
    ...users.flatMap((id, index) => [
      { id: `u${index}`, url: userUrl(id) },
      { id: `m${index}`, url: membershipsUrl(id) },
      { id: `s${index}`, url: signInActivityUrl(id) },
    ]),
    ...apps.flatMap((appId, index) => [
      { id: `a${index}`, url: applicationUrl(appId) },
      { id: `o${index}`, url: applicationOwnersUrl(appId) },
      { id: `f${index}`, url: federatedCredentialsUrl(appId) },
      { id: `p${index}`, url: servicePrincipalUrl(appId) },
    ]),
  ];
  let responses: Map<string, GraphResponse>;
  try {
    responses = await sendAll(client, requests, options);
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    return {
      users: new Map(users.map((id) => [id, unreadable(problem, readOn)])),
      applications: new Map(apps.map((appId) => [appId, { readOn, registration: { problem } }])),
    };
  }

  const tenant = users.length ? await tenantFacts(client, responses) : null;
  const userFacts = new Map<string, EntraFacts>();
  for (const [index, id] of users.entries()) {
    const user = responses.get(`u${index}`);
    if (user?.status !== 200 || !user.body) {
      userFacts.set(id, unreadable(problemOf(user, PERMISSION.users, "the user"), readOn));
      continue;
    }
    const memberships = await membershipsOf(client, responses.get(`m${index}`));
    userFacts.set(id, {
      readOn,
      passwordExpiry: passwordExpiry(user.body, tenant!.domains),
      directoryRoles: directoryRoles(memberships),
      assignedLicenceCount: { value: Array.isArray(user.body.assignedLicenses) ? user.body.assignedLicenses.length : 0 },
      passwordChangedOn:
        typeof user.body.lastPasswordChangeDateTime === "string"
          ? { value: user.body.lastPasswordChangeDateTime }
          : { problem: "Microsoft Entra ID records no password change for this account" },
      signIns: signIns(responses.get(`s${index}`), user.body),
      mfa: mfa(id, user.body, memberships, tenant!),
    });
  }

  const appFacts = new Map<string, EntraAppFacts>();
  for (const [index, appId] of apps.entries()) {
    const registration = await appRegistrationOf(client, appId, {
      application: responses.get(`a${index}`),
      owners: responses.get(`o${index}`),
      federated: responses.get(`f${index}`),
      servicePrincipal: responses.get(`p${index}`),
    });
    appFacts.set(appId, { readOn, registration });
  }
  return { users: userFacts, applications: appFacts };
}

async function tenantFacts(client: GraphClient, responses: Map<string, GraphResponse>): Promise<TenantFacts> {
  const domainRows = await allRows(client, responses.get("domains"));
  const policyRows = await allRows(client, responses.get("policies"));
  const defaults = responses.get("defaults");
  return {
    domains:
      "rows" in domainRows
        ? {
            value: new Map(
              domainRows.rows.map((row) => [
                String(row.id).toLowerCase(),
                typeof row.passwordValidityPeriodInDays === "number" ? row.passwordValidityPeriodInDays : null,
              ]),
            ),
          }
        : { problem: domainRows.error ?? problemOf(domainRows.failed, PERMISSION.domains, "the domains' password policy") },
    policies:
      "rows" in policyRows
        ? { value: policyRows.rows }
        : { problem: policyRows.error ?? problemOf(policyRows.failed, PERMISSION.policies, "the Conditional Access policies") },
    securityDefaults:
      defaults?.status === 200
        ? { value: defaults.body?.isEnabled === true }
        : { problem: problemOf(defaults, PERMISSION.policies, "the security defaults") },
  };
}

async function membershipsOf(client: GraphClient, first: GraphResponse | undefined): Promise<EntraFact<Memberships>> {
  const read = await allRows(client, first);
  if (!("rows" in read))
    return { problem: read.error ?? problemOf(read.failed, PERMISSION.users, "the user's groups and directory roles") };
  const roles = read.rows.filter((row) => row["@odata.type"] === "#microsoft.graph.directoryRole");
  const stringOrNull = (value: unknown) => (typeof value === "string" ? value : null);
  return {
    value: {
      roleNames: roles.map((row) => stringOrNull(row.displayName)),
      roleTemplateIds: roles.map((row) => stringOrNull(row.roleTemplateId)?.toLowerCase() ?? null),
      groupIds: read.rows.filter((row) => row["@odata.type"] === "#microsoft.graph.group").map((row) => String(row.id).toLowerCase()),
    },
  };
}

const hiddenRoles = `the user holds directory roles whose names Graph hides: grant the ${PERMISSION.roleNames} application permission`;

function directoryRoles(memberships: EntraFact<Memberships>): EntraFact<string[]> {
  if ("problem" in memberships) return memberships;
  const names = memberships.value.roleNames;
  if (names.some((name) => name === null)) return { problem: hiddenRoles };
  return { value: names as string[] };
}

function disablesExpiry(user: Record<string, unknown>): boolean {
  // passwordPolicies is a comma-separated list, e.g. "DisablePasswordExpiration, DisableStrongPassword" (user resource type).
  const policies = user.passwordPolicies;
  return (typeof policies === "string" ? policies : "")
    .split(",")
    .some((policy) => policy.trim().toLowerCase() === "disablepasswordexpiration");
}

function passwordExpiry(user: Record<string, unknown>, domains: EntraFact<Map<string, number | null>>): EntraFact<PasswordExpiry> {
  if (disablesExpiry(user)) return { value: { expires: false, because: "user-policy" } };
  if ("problem" in domains) return domains;
  const upn = typeof user.userPrincipalName === "string" ? user.userPrincipalName : "";
  const domain = upn.split("@")[1]?.toLowerCase() ?? "";
  if (!domains.value.has(domain)) return { problem: `the password policy of the domain "${domain}" was not found` };
  const days = domains.value.get(domain) ?? DEFAULT_VALIDITY_DAYS;
  return { value: days >= NEVER_EXPIRES_DAYS ? { expires: false, because: "domain-policy" } : { expires: true, validityDays: days } };
}

/** Graph's code for a tenant without Entra ID P1/P2 asking for sign-in activity. */
const NON_PREMIUM = "Authentication_RequestFromNonPremiumTenantOrB2CTenant";

function signIns(response: GraphResponse | undefined, user: Record<string, unknown>): EntraFact<SignInActivity> {
  if (response?.status !== 200) {
    if (response?.status === 403 && graphCode(response) === NON_PREMIUM)
      return { problem: `sign-in activity needs Microsoft Entra ID P1 or P2 in the tenant (Graph: ${NON_PREMIUM})` };
    return { problem: problemOf(response, PERMISSION.signIns, "the user's sign-in activity") };
  }
  // Null when the user never signed in (signInActivity resource type).
  const activity = (response.body?.signInActivity ?? {}) as Record<string, unknown>;
  return {
    value: {
      lastInteractive: text(activity.lastSignInDateTime),
      lastSuccessful: text(activity.lastSuccessfulSignInDateTime),
      createdOn: text(user.createdDateTime),
    },
  };
}

function mfa(
  objectId: string,
  user: Record<string, unknown>,
  memberships: EntraFact<Memberships>,
  tenant: TenantFacts,
): EntraFact<MfaCoverage> {
  if ("problem" in tenant.policies) return tenant.policies;
  if ("problem" in tenant.securityDefaults) return tenant.securityDefaults;
  if ("problem" in memberships) return memberships;
  const { groupIds, roleTemplateIds } = memberships.value;
  if (roleTemplateIds.some((id) => id === null) && namesRoles(mfaPolicies(tenant.policies.value))) return { problem: hiddenRoles };
  return {
    value: mfaCoverage(
      tenant.policies.value,
      {
        objectId,
        isGuest: user.userType === "Guest",
        groupIds: new Set(groupIds),
        roleTemplateIds: new Set(roleTemplateIds.filter((id): id is string => id !== null)),
      },
      tenant.securityDefaults.value,
    ),
  };
}

/** The Entra source for the stamper and the audit: this client, these retry rules. */
export function entraSourceFor(client: GraphClient, options: EntraReadOptions = {}): (subjects: EntraSubjects) => Promise<EntraReadout> {
  return (subjects) => readEntraFacts(client, subjects, options);
}
