import type { FastifyInstance, FastifyReply } from "fastify";
import { USERS } from "./sampleOrg";
import type { OrgData } from "./store";

/**
 * A Microsoft Graph v1.0 subset under /graph/v1.0/: the reads the Entra checks send, JSON batching,
 * permissions and throttling as Graph documents them (README "The emulator", Microsoft Graph). The
 * tenant is seeded from the Dataverse org's users by `azureactivedirectoryobjectid`.
 */
export const GRAPH_PATH = "/graph/v1.0";

/** Application permissions the emulated app registration holds, as a consented admin granted them. */
export const GRAPH_PERMISSIONS = ["User.Read.All", "RoleManagement.Read.Directory", "Domain.Read.All"] as const;

/** Directory role templates (Microsoft Entra built-in roles, https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference). */
export const DIRECTORY_ROLES: Record<string, string> = {
  "Global Administrator": "62e90394-69f5-4237-9190-012177145e10",
  "Service Support Administrator": "f023fd81-a637-4b56-95fd-791ac0226033",
};

export interface EntraUser {
  id: string;
  userPrincipalName: string;
  accountEnabled: boolean;
  passwordPolicies: string | null;
  assignedLicenses: { skuId: string; disabledPlans: string[] }[];
  directoryRoles: string[];
}

export interface EntraTenant {
  users: Map<string, EntraUser>;
  domains: { id: string; passwordValidityPeriodInDays: number | null }[];
}

export interface GraphEmulator {
  readonly tenant: EntraTenant;
  /** Granted application permissions; tests revoke one to see Graph's 403. */
  readonly permissions: Set<string>;
  /** Resource units per 10 s for this app in this tenant before Graph answers 429. */
  throttle: { unitsPer10s: number };
  /** Graph calls received (a batch counts one) and the requests they carried. */
  readonly calls: { method: string; path: string; items: number }[];
  reset(): void;
}

const MICROSOFT_365_E3 = "05e9a617-0261-4cee-bb44-138d3ef5d965";
const DYNAMICS_365_SALES = "1e1a282c-9c54-43a2-9310-98ef728faace";
/** Small tenants (under 50 users): 3,500 resource units per 10 s per app and tenant; unlisted requests cost 1 ("Identity and access service limits"). */
const SMALL_TENANT_UNITS = 3500;
const WINDOW_MS = 10_000;

/** What each sample user shows in Entra: the scenarios the seeds' requirements need. */
const SCENARIOS: Record<string, Partial<EntraUser> | "deleted"> = {
  [USERS.admin]: { passwordPolicies: null, directoryRoles: ["Global Administrator"] },
  // The password can expire: no policy of its own, and contoso.com expires passwords after 90 days.
  [USERS.noEmail]: { passwordPolicies: null },
  [USERS.forbiddenRole]: { directoryRoles: ["Global Administrator"] },
  [USERS.licenceStillAssigned]: { assignedLicenses: [{ skuId: DYNAMICS_365_SALES, disabledPlans: [] }] },
  // Removed from Microsoft Entra ID while its Dataverse row stayed: Graph answers 404.
  [USERS.disabled]: "deleted",
};

/** The Entra tenant behind a Dataverse org: one user per systemuser with an object id (application users are service principals). */
export function entraTenantOf(org: OrgData): EntraTenant {
  const users = new Map<string, EntraUser>();
  for (const row of org.systemusers) {
    const id = typeof row.azureactivedirectoryobjectid === "string" ? row.azureactivedirectoryobjectid.toLowerCase() : null;
    if (!id || row.applicationid) continue;
    const scenario = SCENARIOS[String(row.systemuserid)];
    if (scenario === "deleted") continue;
    const interactive = row.accessmode !== 4;
    users.set(id, {
      id,
      userPrincipalName: String(row.domainname),
      accountEnabled: row.isdisabled !== true,
      // Service accounts are set to never expire; people follow the domain's policy.
      passwordPolicies: interactive ? null : "DisablePasswordExpiration",
      assignedLicenses: row.islicensed === true ? [{ skuId: interactive ? MICROSOFT_365_E3 : DYNAMICS_365_SALES, disabledPlans: [] }] : [],
      directoryRoles: [],
      ...scenario,
    });
  }
  const domains = [...new Set([...users.values()].map((user) => user.userPrincipalName.split("@")[1]?.toLowerCase()).filter(Boolean))];
  return { users, domains: domains.map((id) => ({ id, passwordValidityPeriodInDays: 90 })) };
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const error = (status: number, code: string, message: string, headers: Record<string, string> = {}): Answer => ({
  status,
  headers,
  body: { error: { code, message } },
});
/** Graph's answer for a user id it does not know (a user deleted from Entra). */
const notFound = (id: string): Answer =>
  error(
    404,
    "Request_ResourceNotFound",
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
const USER_PROPERTIES = ["id", "accountEnabled", "passwordPolicies", "assignedLicenses", "userPrincipalName"];
const ROLE_PROPERTIES = ["id", "displayName", "roleTemplateId", "description"];
const DOMAIN_PROPERTIES = ["id", "passwordValidityPeriodInDays", "isDefault", "isVerified"];

export function registerGraphEmulator(app: FastifyInstance, seed: () => EntraTenant): GraphEmulator {
  let windowStart = Date.now();
  let unitsUsed = 0;
  const state = { tenant: seed() };
  const graph: GraphEmulator = {
    get tenant() {
      return state.tenant;
    },
    permissions: new Set(GRAPH_PERMISSIONS),
    throttle: { unitsPer10s: SMALL_TENANT_UNITS },
    calls: [],
    reset() {
      state.tenant = seed();
      graph.permissions.clear();
      for (const permission of GRAPH_PERMISSIONS) graph.permissions.add(permission);
      graph.throttle.unitsPer10s = SMALL_TENANT_UNITS;
      graph.calls.length = 0;
      unitsUsed = 0;
    },
  };

  /** Each request (alone or inside a batch) spends a resource unit; past the quota, 429 with the seconds left in the window. */
  const spend = (): Answer | null => {
    const now = Date.now();
    if (now - windowStart >= WINDOW_MS) {
      windowStart = now;
      unitsUsed = 0;
    }
    if (unitsUsed >= graph.throttle.unitsPer10s) {
      const seconds = Math.max(1, Math.ceil((windowStart + WINDOW_MS - now) / 1000));
      return error(429, "TooManyRequests", "Too many requests.", { "Retry-After": String(seconds) });
    }
    unitsUsed++;
    return null;
  };

  const denied = (permission: string): Answer | null =>
    graph.permissions.has(permission)
      ? null
      : error(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");

  const selected = (query: URLSearchParams, allowed: string[]): string[] | Answer => {
    const select = query.get("$select");
    const names = select ? select.split(",").map((name) => name.trim()) : allowed;
    const unknown = names.find((name) => !allowed.includes(name));
    return unknown ? error(400, "BadRequest", `Could not find a property named '${unknown}' on type 'microsoft.graph'.`) : names;
  };
  const pick = (row: Record<string, unknown>, names: string[]) => Object.fromEntries(names.map((name) => [name, row[name] ?? null]));

  /** One GET as Graph serves it; the same code answers a request alone or inside a batch. */
  const serve = (relative: string): Answer => {
    const throttled = spend();
    if (throttled) return throttled;
    const url = new URL(relative.startsWith("/") ? relative : `/${relative}`, "http://graph.local");
    const query = url.searchParams;
    const segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);

    if (segments[0] === "users" && segments.length === 2) {
      const refusal = denied("User.Read.All");
      if (refusal) return refusal;
      const user = state.tenant.users.get(segments[1].toLowerCase());
      if (!user) return notFound(segments[1]);
      const names = selected(query, USER_PROPERTIES);
      return Array.isArray(names) ? { status: 200, headers: {}, body: pick({ ...user }, names) } : names;
    }
    if (
      segments[0] === "users" &&
      segments.length === 4 &&
      segments[2] === "transitiveMemberOf" &&
      segments[3] === "microsoft.graph.directoryRole"
    ) {
      const refusal = denied("User.Read.All");
      if (refusal) return refusal;
      const user = state.tenant.users.get(segments[1].toLowerCase());
      if (!user) return notFound(segments[1]);
      const names = selected(query, ROLE_PROPERTIES);
      if (!Array.isArray(names)) return names;
      // Without a permission to read directory roles, members come back with their type and id only.
      const readable = graph.permissions.has("RoleManagement.Read.Directory");
      const value = user.directoryRoles.map((name) => {
        const row = {
          id: DIRECTORY_ROLES[name] ?? name,
          displayName: name,
          roleTemplateId: DIRECTORY_ROLES[name] ?? null,
          description: null,
        };
        return { "@odata.type": "#microsoft.graph.directoryRole", ...(readable ? pick(row, names) : { ...pick({}, names), id: row.id }) };
      });
      return { status: 200, headers: {}, body: { value } };
    }
    if (segments[0] === "domains" && segments.length === 1) {
      const refusal = denied("Domain.Read.All");
      if (refusal) return refusal;
      const names = selected(query, DOMAIN_PROPERTIES);
      if (!Array.isArray(names)) return names;
      return {
        status: 200,
        headers: {},
        body: { value: state.tenant.domains.map((domain) => pick({ ...domain, isDefault: true, isVerified: true }, names)) },
      };
    }
    return error(
      400,
      "BadRequest",
      `The emulator serves only the Graph requests the product sends, and GET ${url.pathname} is not one of them.`,
    );
  };

  const send = (reply: FastifyReply, answer: Answer) =>
    reply.code(answer.status).headers(answer.headers).header("content-type", "application/json").send(answer.body);

  app.get(`${GRAPH_PATH}/*`, (request, reply) => {
    const relative = request.url.slice(GRAPH_PATH.length);
    graph.calls.push({ method: "GET", path: relative, items: 1 });
    return send(reply, serve(relative));
  });

  app.post(`${GRAPH_PATH}/$batch`, (request, reply) => {
    const body = request.body as { requests?: { id?: unknown; method?: unknown; url?: unknown }[] } | null;
    const requests = Array.isArray(body?.requests) ? body.requests : null;
    graph.calls.push({ method: "POST", path: "/$batch", items: requests?.length ?? 0 });
    if (!requests || requests.length === 0) return send(reply, error(400, "BadRequest", "Invalid batch payload."));
    // JSON batching: at most 20 requests per batch; more is refused as a whole.
    if (requests.length > 20) return send(reply, error(400, "BadRequest", "Number of batch requests exceeds 20."));
    const ids = new Set(requests.map((item) => item.id));
    if (ids.size !== requests.length || requests.some((item) => typeof item.id !== "string" || typeof item.url !== "string"))
      return send(reply, error(400, "BadRequest", "Each batch request needs a unique id and a url."));
    // Each request is evaluated on its own (throttling included): the batch answers 200 with one status per request.
    const responses = requests.map((item) => {
      if (item.method !== "GET")
        return {
          id: item.id,
          status: 400,
          headers: {},
          body: error(400, "BadRequest", "The emulator serves only GET inside batches.").body,
        };
      const answer = serve(String(item.url));
      return { id: item.id, status: answer.status, headers: { "Content-Type": "application/json", ...answer.headers }, body: answer.body };
    });
    return send(reply, { status: 200, headers: {}, body: { responses } });
  });

  return graph;
}
