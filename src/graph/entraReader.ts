import type { EntraFact, EntraFacts, PasswordExpiry } from "../core/snapshot";
import { defaultSleep } from "../dataverse/retry";
import { errorMessage, type GraphRetryOptions } from "./httpGraphClient";
import {
  GraphCallError,
  MAX_BATCH_REQUESTS,
  retryAfterSeconds,
  type GraphClient,
  type GraphRequest,
  type GraphResponse,
} from "./graphClient";

/**
 * The Graph reads behind the Entra checks, with the least-privileged application permission each
 * needs (README "Microsoft Graph"):
 * - the user: `GET /users/{id}?$select=…` (User.Read.All; https://learn.microsoft.com/graph/api/user-get);
 * - their directory roles, direct or through role-assignable groups:
 *   `GET /users/{id}/transitiveMemberOf/microsoft.graph.directoryRole` (User.Read.All,
 *   https://learn.microsoft.com/graph/api/user-list-transitivememberof); without RoleManagement.Read.Directory
 *   Graph returns the roles with their properties null ("Limited information returned for inaccessible
 *   member objects", https://learn.microsoft.com/graph/permissions-overview), so the names need it too;
 * - the domains' password validity, only when a user's own policy does not say:
 *   `GET /domains?$select=id,passwordValidityPeriodInDays` (Domain.Read.All, https://learn.microsoft.com/graph/api/domain-list).
 */
export const USER_SELECT = "accountEnabled,passwordPolicies,assignedLicenses,userPrincipalName";
export const userUrl = (objectId: string) => `/users/${objectId}?$select=${USER_SELECT}`;
export const directoryRolesUrl = (objectId: string) =>
  `/users/${objectId}/transitiveMemberOf/microsoft.graph.directoryRole?$select=displayName,roleTemplateId`;
export const DOMAINS_URL = "/domains?$select=id,passwordValidityPeriodInDays";
/** Graph requests per audited user (the user, their roles); the domains are read once per audit. */
export const REQUESTS_PER_USER = 2;

/** "Never expires" as the domain's passwordValidityPeriodInDays (Int32.MaxValue; Microsoft Entra password policies, https://learn.microsoft.com/entra/identity/authentication/concept-sspr-policy). */
export const NEVER_EXPIRES_DAYS = 2147483647;
/** The validity Entra applies when the domain sets none (same page). */
export const DEFAULT_VALIDITY_DAYS = 90;

const PERMISSION = {
  user: "User.Read.All",
  roles: "User.Read.All",
  roleNames: "RoleManagement.Read.Directory",
  domains: "Domain.Read.All",
} as const;

/** As for one call; here `maxAttempts` counts rounds for the requests Graph throttled inside a batch (429 with Retry-After). */
export type EntraReadOptions = GraphRetryOptions;

/** Every fact unreadable for one reason (no object id, the whole call failing). */
export function unreadable(problem: string): EntraFacts {
  return { passwordExpiry: { problem }, directoryRoles: { problem }, assignedLicenceCount: { problem } };
}

/**
 * Reads the Entra facts of many users in JSON batches of 20 requests (two per user), so N users cost
 * ceil(2N/20) batches, plus one domains read when some user's own policy leaves expiry to its domain.
 * Requests throttled inside a batch are sent again after the longest Retry-After among them. A
 * fault never throws: each user gets its facts or, per fact, the problem in words.
 */
export async function readEntraFacts(
  client: GraphClient,
  objectIds: string[],
  options: EntraReadOptions = {},
): Promise<Map<string, EntraFacts>> {
  const ids = [...new Set(objectIds.map((id) => id.toLowerCase()))];
  const requests: GraphRequest[] = ids.flatMap((id, index) => [
    { id: `u${index}`, url: userUrl(id) },
    { id: `r${index}`, url: directoryRolesUrl(id) },
  ]);
  let responses: Map<string, GraphResponse>;
  try {
    responses = await sendAll(client, requests, options);
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    return new Map(ids.map((id) => [id, unreadable(problem)]));
  }

  const users = ids.map((id, index) => ({ id, user: responses.get(`u${index}`), roles: responses.get(`r${index}`) }));
  const needsDomains = users.some(({ user }) => user?.status === 200 && !disablesExpiry(user.body));
  const domains = needsDomains ? await readDomains(client) : { value: new Map<string, number | null>() };

  const facts = new Map<string, EntraFacts>();
  for (const { id, user, roles } of users) {
    if (user?.status !== 200) {
      facts.set(id, unreadable(problemOf(user, PERMISSION.user, "the user")));
      continue;
    }
    facts.set(id, {
      passwordExpiry: passwordExpiry(user.body ?? {}, domains),
      directoryRoles: await directoryRoles(client, roles),
      assignedLicenceCount: { value: Array.isArray(user.body?.assignedLicenses) ? user.body.assignedLicenses.length : 0 },
    });
  }
  return facts;
}

async function sendAll(client: GraphClient, requests: GraphRequest[], options: EntraReadOptions): Promise<Map<string, GraphResponse>> {
  const answered = new Map<string, GraphResponse>();
  let pending = requests;
  for (let round = 1; pending.length; round++) {
    const throttled: GraphRequest[] = [];
    let wait = 0;
    for (let start = 0; start < pending.length; start += MAX_BATCH_REQUESTS) {
      const chunk = pending.slice(start, start + MAX_BATCH_REQUESTS);
      for (const response of await client.batch(chunk)) {
        answered.set(response.id, response);
        if (response.status === 429) {
          throttled.push(chunk.find((request) => request.id === response.id)!);
          wait = Math.max(wait, retryAfterSeconds(response.headers) ?? 2 ** round);
        }
      }
    }
    if (!throttled.length || round >= (options.maxAttempts ?? 3) || wait > (options.maxWaitSeconds ?? 60)) break;
    options.onThrottled?.(wait);
    await (options.sleep ?? defaultSleep)(wait * 1000);
    pending = throttled;
  }
  return answered;
}

function disablesExpiry(body: Record<string, unknown> | null): boolean {
  // passwordPolicies is a comma-separated list, e.g. "DisablePasswordExpiration, DisableStrongPassword" (user resource type).
  const policies = body?.passwordPolicies;
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

async function readDomains(client: GraphClient): Promise<EntraFact<Map<string, number | null>>> {
  const domains = new Map<string, number | null>();
  try {
    let next: string | undefined = DOMAINS_URL;
    while (next) {
      const response = await client.get(next);
      if (response.status !== 200) return { problem: problemOf(response, PERMISSION.domains, "the domains' password policy") };
      for (const row of (response.body?.value ?? []) as Record<string, unknown>[])
        domains.set(
          String(row.id).toLowerCase(),
          typeof row.passwordValidityPeriodInDays === "number" ? row.passwordValidityPeriodInDays : null,
        );
      next = response.body?.["@odata.nextLink"] as string | undefined;
    }
  } catch (error) {
    return { problem: error instanceof GraphCallError ? error.message : String(error) };
  }
  return { value: domains };
}

async function directoryRoles(client: GraphClient, first: GraphResponse | undefined): Promise<EntraFact<string[]>> {
  if (first?.status !== 200) return { problem: problemOf(first, PERMISSION.roles, "the user's directory roles") };
  const names: (string | null)[] = [];
  let page: GraphResponse = first;
  for (;;) {
    for (const row of (page.body?.value ?? []) as Record<string, unknown>[])
      names.push(typeof row.displayName === "string" ? row.displayName : null);
    const next = page.body?.["@odata.nextLink"] as string | undefined;
    if (!next) break;
    try {
      page = await client.get(next);
    } catch (error) {
      return { problem: error instanceof Error ? error.message : String(error) };
    }
    if (page.status !== 200) return { problem: problemOf(page, PERMISSION.roles, "the user's directory roles") };
  }
  if (names.some((name) => name === null))
    return { problem: `the user holds directory roles whose names Graph hides: grant the ${PERMISSION.roleNames} application permission` };
  return { value: names as string[] };
}

/** A failed response in words: deleted users, missing permissions and throttling each say what to do. */
function problemOf(response: GraphResponse | undefined, permission: string, what: string): string {
  if (!response) return `Microsoft Graph did not answer for ${what}`;
  switch (response.status) {
    case 404:
      return "the user no longer exists in Microsoft Entra ID (deleted?), or its object id is wrong";
    case 403:
      return `Microsoft Graph refused to read ${what}: grant the app registration the ${permission} application permission (with admin consent)`;
    case 429:
      return "Microsoft Graph kept throttling the requests; the next evaluation reads again";
    default:
      return `Microsoft Graph answered ${response.status} for ${what}: ${errorMessage(response.body)}`;
  }
}

/** The Entra source for the stamper and the audit: this client, these retry rules. */
export function entraSourceFor(
  client: GraphClient,
  options: EntraReadOptions = {},
): (objectIds: string[]) => Promise<Map<string, EntraFacts>> {
  return (objectIds) => readEntraFacts(client, objectIds, options);
}
