import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  describeGraphShape,
  EVENTUAL,
  GRAPH_PERMISSIONS,
  graphDocumentedRowFor,
  graphShapeOf,
  type GraphDocumentedShape,
  type GraphRequestShape,
} from "./graphRequestShapes";
import { DIRECTORY_ROLES, type EntraTenant, type EntraUser } from "./graphTenant";

export { GRAPH_PERMISSIONS } from "./graphRequestShapes";
export * from "./graphTenant";

/**
 * A Microsoft Graph v1.0 subset under /graph/v1.0/: the reads the Entra checks send, alone or in JSON
 * batches, with Graph's permissions, errors, paging and throttling (docs/graph-emulator.md). Only the
 * shapes graphRequestShapes.ts documents are served. The tenant is seeded from the Dataverse org (graphTenant.ts).
 */
export const GRAPH_PATH = "/graph/v1.0";

export interface GraphEmulator {
  readonly tenant: EntraTenant;
  /** Granted application permissions (all of GRAPH_PERMISSIONS); tests revoke one to see Graph's 403, or add e.g. GroupMember.Read.All. */
  readonly permissions: Set<string>;
  /** Resource units per 10 s for this app in this tenant before Graph answers 429. */
  throttle: { unitsPer10s: number };
  /** Graph calls received (a batch counts one) and the requests they carried. */
  readonly calls: { method: string; path: string; items: number }[];
  /** Every distinct request shape received since the last reset, batch items included, by description. */
  readonly shapes: Map<string, GraphRequestShape>;
  reset(): void;
}

/** Small tenants (under 50 users): 3,500 resource units per 10 s per app and tenant; unlisted requests cost 1 ("Identity and access service limits"). */
const SMALL_TENANT_UNITS = 3500;
const WINDOW_MS = 10_000;
/** transitiveMemberOf: "The default and maximum page sizes are 100 and 999 objects respectively." */
const PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 999;
/** Directory roles are readable with RoleManagement.Read.Directory, groups with a group permission; Directory.Read.All reads both. */
const READS_ROLES = ["RoleManagement.Read.Directory", "Directory.Read.All"];
const READS_GROUPS = ["GroupMember.Read.All", "Group.Read.All", "Directory.Read.All"];

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** One request as the emulator serves it, alone or as a batch item. */
interface GraphRequest {
  method: string;
  /** What follows /v1.0/, with its query. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** Scheme and host the request came to, for absolute next links. */
  origin: string;
}

const ok = (body: unknown): Answer => ({ status: 200, headers: {}, body });
const error = (status: number, code: string, message: string, headers: Record<string, string> = {}): Answer => ({
  status,
  headers,
  body: { error: { code, message } },
});
/** Graph's answer for an object it does not know (a user deleted from Entra, an app registered elsewhere). */
const notFound = (id: string): Answer =>
  error(
    404,
    "Request_ResourceNotFound",
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
/** The object the path's key names (ids and appIds compare without case), or Graph's 404. */
const keyed = <T>(objects: Map<string, T>, key: string, answer: (found: T) => unknown): Answer => {
  const found = objects.get(key.toLowerCase());
  return found ? ok(answer(found)) : notFound(key);
};
/** "Advanced query capabilities on Microsoft Entra ID objects": a cast or $count without ConsistencyLevel: eventual and $count=true. */
const unsupportedQuery = () => error(400, "Request_UnsupportedQuery", "Unsupported Query.");
const pick = (row: object, names: string[]) =>
  Object.fromEntries(names.map((name) => [name, (row as Record<string, unknown>)[name] ?? null]));

const ROLE_PROPERTIES = ["id", "displayName", "description", "roleTemplateId"];
const GROUP_PROPERTIES = ["id", "displayName", "description"];

interface Served {
  shape: GraphRequestShape;
  origin: string;
  tenant: EntraTenant;
  permissions: Set<string>;
  /** The key in the path: a user's id or an app's appId. */
  key: string;
  query: URLSearchParams;
  names: string[];
  path: string;
}

/** Each documented path: its type's properties for $select, those Graph returns without $select, and the answer. */
const RESOURCES: Record<string, { type: string; properties: string[]; defaults?: string[]; answer(served: Served): Answer }> = {
  "users/<id>": {
    type: "microsoft.graph.user",
    properties: [
      "id",
      "displayName",
      "userPrincipalName",
      "userType",
      "accountEnabled",
      "passwordPolicies",
      "assignedLicenses",
      "createdDateTime",
      "lastPasswordChangeDateTime",
      "signInActivity",
    ],
    // Get user: without $select, a default set that leaves out signInActivity and most others.
    defaults: ["id", "displayName", "userPrincipalName"],
    answer: ({ tenant, key, names }) => keyed(tenant.users, key, (user) => pick(user, names)),
  },
  "users/<id>/transitiveMemberOf": memberships(null),
  "users/<id>/transitiveMemberOf/microsoft.graph.directoryRole": memberships("directoryRole"),
  "users/<id>/transitiveMemberOf/microsoft.graph.group": memberships("group"),
  domains: {
    type: "microsoft.graph.domain",
    properties: ["id", "passwordValidityPeriodInDays", "isDefault", "isVerified"],
    answer: ({ tenant, names }) =>
      ok({ value: tenant.domains.map((domain) => pick({ ...domain, isDefault: true, isVerified: true }, names)) }),
  },
  "identity/conditionalAccess/policies": {
    type: "microsoft.graph.conditionalAccessPolicy",
    properties: ["id", "displayName", "createdDateTime", "modifiedDateTime", "state", "conditions", "grantControls", "sessionControls"],
    // Conditional Access needs Microsoft Entra ID P1: a tenant without it has no policies.
    answer: ({ tenant, names }) =>
      ok({ value: tenant.premium ? tenant.conditionalAccessPolicies.map((policy) => pick(policy, names)) : [] }),
  },
  "policies/identitySecurityDefaultsEnforcementPolicy": {
    type: "microsoft.graph.identitySecurityDefaultsEnforcementPolicy",
    properties: ["id", "displayName", "description", "isEnabled"],
    // The page's example object, with the tenant's setting.
    answer: ({ tenant, names }) =>
      ok(
        pick(
          {
            id: "00000000-0000-0000-0000-000000000005",
            displayName: "Security Defaults",
            description:
              "Security defaults is a set of basic identity security mechanisms recommended by Microsoft. When enabled, these recommendations will be automatically enforced in your organization. Administrators and users will be better protected from common identity related attacks.",
            isEnabled: tenant.securityDefaultsEnabled,
          },
          names,
        ),
      ),
  },
  "applications(appId='<appId>')": {
    type: "microsoft.graph.application",
    properties: ["id", "appId", "displayName", "passwordCredentials", "keyCredentials"],
    answer: ({ tenant, key, names }) => keyed(tenant.applications, key, (app) => pick(app, names)),
  },
  "applications(appId='<appId>')/owners": {
    type: "microsoft.graph.directoryObject",
    properties: ["id", "displayName", "userPrincipalName"],
    answer: ({ tenant, key, names }) =>
      keyed(tenant.applications, key, (app) => ({
        value: app.owners.flatMap((id) => {
          const user = tenant.users.get(id);
          if (user) return [{ "@odata.type": "#microsoft.graph.user", ...pick(user, names) }];
          const principal = [...tenant.servicePrincipals.values()].find((candidate) => candidate.id === id);
          const present = names.filter((name) => name !== "userPrincipalName");
          return principal ? [{ "@odata.type": "#microsoft.graph.servicePrincipal", ...pick(principal, present) }] : [];
        }),
      })),
  },
  "applications(appId='<appId>')/federatedIdentityCredentials": {
    type: "microsoft.graph.federatedIdentityCredential",
    properties: ["id", "name", "issuer", "subject", "audiences", "description"],
    answer: ({ tenant, key, names }) =>
      keyed(tenant.applications, key, (app) => ({ value: app.federatedIdentityCredentials.map((credential) => pick(credential, names)) })),
  },
  "servicePrincipals(appId='<appId>')": {
    type: "microsoft.graph.servicePrincipal",
    properties: ["id", "appId", "displayName", "servicePrincipalType", "appOwnerOrganizationId"],
    answer: ({ tenant, key, names }) => keyed(tenant.servicePrincipals, key, (principal) => pick(principal, names)),
  },
};

/**
 * A user's groups and directory roles, direct or through nested groups (List a user's memberships),
 * optionally cast to one type. Each object has only its type's properties; without a permission to
 * read its type it comes back with @odata.type and id only ("Limited information returned for
 * inaccessible member objects", https://learn.microsoft.com/graph/permissions-overview).
 */
function memberships(cast: "directoryRole" | "group" | null) {
  return {
    type: "microsoft.graph.directoryObject",
    properties: [...new Set([...ROLE_PROPERTIES, ...GROUP_PROPERTIES])],
    answer: ({ shape, origin, tenant, permissions, key, query, names, path }: Served): Answer => {
      const counted = query.get("$count") === "true";
      if ((cast || query.has("$count")) && !(shape.headers.includes(EVENTUAL) && counted)) return unsupportedQuery();
      const top = Number(query.get("$top") ?? PAGE_SIZE);
      if (!Number.isInteger(top) || top < 1 || top > MAX_PAGE_SIZE)
        return error(
          400,
          "Request_BadRequest",
          `Invalid page size specified: '${query.get("$top")}'. Must be between 1 and ${MAX_PAGE_SIZE} inclusive.`,
        );
      const skiptoken = query.get("$skiptoken");
      const offset = skiptoken === null ? 0 : offsetOf(skiptoken);
      if (!Number.isInteger(offset) || offset < 0) return error(400, "Request_BadRequest", "Invalid $skiptoken.");
      const user = tenant.users.get(key.toLowerCase());
      if (!user) return notFound(key);

      const canRead = (readers: string[]) => readers.some((permission) => permissions.has(permission));
      const shown = (type: string, row: Record<string, unknown>, properties: string[], readable: boolean) => {
        const selected = names.filter((name) => properties.includes(name));
        return { "@odata.type": `#microsoft.graph.${type}`, ...pick(readable ? row : {}, selected), ...(readable ? {} : { id: row.id }) };
      };
      const { roles, groups } = transitiveMemberships(tenant, user);
      const all = [
        ...(cast === "group" ? [] : roles.map((name) => shown("directoryRole", roleOf(name), ROLE_PROPERTIES, canRead(READS_ROLES)))),
        ...(cast === "directoryRole"
          ? []
          : groups.map((group) => shown("group", { ...group, description: null }, GROUP_PROPERTIES, canRead(READS_GROUPS)))),
      ];
      const body: Record<string, unknown> = counted ? { "@odata.count": all.length } : {};
      if (offset + top < all.length) {
        query.set("$skiptoken", pageToken(offset + top));
        body["@odata.nextLink"] = `${origin}${GRAPH_PATH}/${path}?${query}`;
      }
      body.value = all.slice(offset, offset + top);
      return ok(body);
    },
  };
}

/** Graph's $skiptoken is opaque; the emulator's carries the offset of the next page. */
const pageToken = (offset: number) => Buffer.from(`offset:${offset}`).toString("base64url");
const offsetOf = (token: string) => Number(/^offset:(\d+)$/.exec(Buffer.from(token, "base64url").toString())?.[1] ?? NaN);

/** A directory role as the tenant's activated role: its template id doubles as its object id here. */
const roleOf = (name: string) => ({
  id: DIRECTORY_ROLES[name] ?? name,
  displayName: name,
  description: null,
  roleTemplateId: DIRECTORY_ROLES[name] ?? null,
});

/** The user's groups, direct then nested, and the roles held directly or through any of them. */
function transitiveMemberships(tenant: EntraTenant, user: EntraUser) {
  const groupIds: string[] = [];
  for (let queue = [...user.groups]; queue.length;) {
    const id = queue.shift()!;
    const group = tenant.groups.get(id);
    if (!group || groupIds.includes(id)) continue;
    groupIds.push(id);
    queue = [...queue, ...group.memberOf];
  }
  const groups = groupIds.map((id) => tenant.groups.get(id)!);
  const roles = [...new Set([...user.directoryRoles, ...groups.flatMap((group) => group.directoryRoles)])];
  return { roles, groups };
}

/** Graph's 403 for a missing permission: Conditional Access answers in its own words. */
function denied(row: GraphDocumentedShape): Answer {
  return row.path.startsWith("identity/conditionalAccess")
    ? error(403, "AccessDenied", "You cannot perform the requested operation, required scopes are missing in the token.")
    : error(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
}

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
    shapes: new Map(),
    reset() {
      state.tenant = seed();
      graph.permissions.clear();
      for (const permission of GRAPH_PERMISSIONS) graph.permissions.add(permission);
      graph.throttle.unitsPer10s = SMALL_TENANT_UNITS;
      graph.calls.length = 0;
      graph.shapes.clear();
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

  /** One request as Graph serves it; the same code answers a request alone or inside a batch. */
  const serve = (request: GraphRequest): Answer => {
    const shape = graphShapeOf(request.method, request.url, request.headers);
    const description = describeGraphShape(shape);
    graph.shapes.set(description, shape);
    const row = graphDocumentedRowFor(shape);
    const resource = row && RESOURCES[row.path];
    if (!row || !resource)
      return error(400, "BadRequest", `${description} is not a request Microsoft Graph documents (src/emulator/graphRequestShapes.ts)`);
    const throttled = spend();
    if (throttled) return throttled;

    const url = new URL(`/${request.url.replace(/^\//, "")}`, "http://graph.local");
    const path = decodeURIComponent(url.pathname.slice(1));
    const select = url.searchParams.get("$select");
    const names = select ? select.split(",").map((name) => name.trim()) : (resource.defaults ?? resource.properties);
    const unknown = names.find((name) => !resource.properties.includes(name));
    if (unknown) return error(400, "BadRequest", `Could not find a property named '${unknown}' on type '${resource.type}'.`);

    const needs = [row, ...names.map((name) => row.properties?.[name]).filter((need) => need !== undefined)];
    if (needs.some((need) => need.permissions.some((permission) => !graph.permissions.has(permission)))) return denied(row);
    if (needs.some((need) => need.premium) && !state.tenant.premium)
      return error(
        403,
        "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
        "Neither tenant is B2C or tenant doesn't have premium license",
      );

    const segments = path.split("/");
    const key = segments[0] === "users" ? segments[1] : (/\(appId='([^']*)'\)$/.exec(segments[0])?.[1] ?? "");
    return resource.answer({
      shape,
      origin: request.origin,
      tenant: state.tenant,
      permissions: graph.permissions,
      key,
      query: url.searchParams,
      names,
      path,
    });
  };

  const origin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;
  const send = (reply: FastifyReply, answer: Answer) =>
    reply.code(answer.status).headers(answer.headers).header("content-type", "application/json").send(answer.body);

  app.get(`${GRAPH_PATH}/*`, (request, reply) => {
    const relative = request.url.slice(GRAPH_PATH.length);
    graph.calls.push({ method: "GET", path: relative, items: 1 });
    return send(reply, serve({ method: "GET", url: relative, headers: request.headers, origin: origin(request) }));
  });

  app.post(`${GRAPH_PATH}/$batch`, (request, reply) => {
    const body = request.body as { requests?: { id?: unknown; method?: unknown; url?: unknown; headers?: unknown }[] } | null;
    const requests = Array.isArray(body?.requests) ? body.requests : null;
    graph.calls.push({ method: "POST", path: "/$batch", items: requests?.length ?? 0 });
    const shape = graphShapeOf("POST", "$batch", request.headers);
    graph.shapes.set(describeGraphShape(shape), shape);
    if (!requests || requests.length === 0) return send(reply, error(400, "BadRequest", "Invalid batch payload."));
    // JSON batching: at most 20 requests per batch; more is refused as a whole.
    if (requests.length > 20) return send(reply, error(400, "BadRequest", "Number of batch requests exceeds 20."));
    const ids = new Set(requests.map((item) => item.id));
    if (ids.size !== requests.length || requests.some((item) => typeof item.id !== "string" || typeof item.url !== "string"))
      return send(reply, error(400, "BadRequest", "Each batch request needs a unique id and a url."));
    // Each request is evaluated on its own (throttling included), with its own headers (ConsistencyLevel):
    // the batch answers 200 with one status per request.
    const responses = requests.map((item) => {
      const headers = typeof item.headers === "object" && item.headers !== null ? (item.headers as Record<string, string>) : {};
      const answer = serve({
        method: typeof item.method === "string" ? item.method : "",
        url: String(item.url),
        headers,
        origin: origin(request),
      });
      return { id: item.id, status: answer.status, headers: { "Content-Type": "application/json", ...answer.headers }, body: answer.body };
    });
    return send(reply, { status: 200, headers: {}, body: { responses } });
  });

  return graph;
}
