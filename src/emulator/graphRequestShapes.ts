import { describeShape } from "./requestShapes";

/**
 * The Microsoft Graph v1.0 request shapes the emulator accepts, each as Graph documents it (the
 * counterpart of requestShapes.ts for Dataverse). A shape is the method, the path with keys written
 * `<id>` and `(appId='<appId>')`, the query options and the headers that change what Graph does
 * (ConsistencyLevel). Each row names the least-privileged application permissions the page lists, and
 * only the options the emulator serves (a subset of what the page documents).
 */
export interface GraphRequestShape {
  method: string;
  path: string;
  queryOptions: string[];
  headers: string[];
}

export interface GraphDocumentedShape extends GraphRequestShape {
  /** The Microsoft Learn page that documents this request. */
  source: string;
  /** Least-privileged application permissions Graph requires (all of them). */
  permissions: string[];
  /** Permissions the product holds beyond those required: without them Graph still answers, with limited information. */
  optionalPermissions?: string[];
  /** Graph answers 403 unless the tenant has Microsoft Entra ID P1 or P2. */
  premium?: boolean;
  /** Properties that need more than the row when `$select`ed, with the page that says so. */
  properties?: Record<string, { permissions: string[]; premium?: boolean; source: string }>;
}

const LEARN = "https://learn.microsoft.com/graph/";
/** "Advanced query capabilities on Microsoft Entra ID objects" (https://learn.microsoft.com/graph/aad-advanced-queries). */
export const EVENTUAL = "ConsistencyLevel: eventual";

const USER_READ = ["User.Read.All"];
const APPLICATION_READ = ["Application.Read.All"];
/** transitiveMemberOf: default page 100, maximum 999; ConsistencyLevel and $count are required for $filter, $search, $orderby and casts. */
const MEMBERSHIPS = {
  queryOptions: ["$select", "$count", "$top", "$skiptoken"],
  headers: [EVENTUAL],
  source: `${LEARN}api/user-list-transitivememberof`,
  permissions: USER_READ,
  // Directory roles' properties (https://learn.microsoft.com/graph/permissions-overview, limited information).
  optionalPermissions: ["RoleManagement.Read.Directory"],
};

export const GRAPH_DOCUMENTED_SHAPES: GraphDocumentedShape[] = [
  {
    method: "POST",
    path: "$batch",
    queryOptions: [],
    headers: [],
    source: `${LEARN}json-batching`,
    // Each request in the batch is authorized on its own.
    permissions: [],
  },
  {
    method: "GET",
    path: "users/<id>",
    queryOptions: ["$select"],
    headers: [],
    source: `${LEARN}api/user-get`,
    permissions: USER_READ,
    properties: {
      // "Requires Microsoft Entra ID P1 or P2 … and the AuditLog.Read.All permission" (user resource, signInActivity).
      signInActivity: {
        permissions: ["User.Read.All", "AuditLog.Read.All"],
        premium: true,
        source: `${LEARN}api/resources/signinactivity`,
      },
    },
  },
  { method: "GET", path: "users/<id>/transitiveMemberOf", ...MEMBERSHIPS },
  { method: "GET", path: "users/<id>/transitiveMemberOf/microsoft.graph.directoryRole", ...MEMBERSHIPS },
  { method: "GET", path: "users/<id>/transitiveMemberOf/microsoft.graph.group", ...MEMBERSHIPS },
  {
    method: "GET",
    path: "domains",
    queryOptions: ["$select"],
    headers: [],
    source: `${LEARN}api/domain-list`,
    permissions: ["Domain.Read.All"],
  },
  {
    method: "GET",
    path: "identity/conditionalAccess/policies",
    queryOptions: ["$select"],
    headers: [],
    source: `${LEARN}api/conditionalaccessroot-list-policies`,
    permissions: ["Policy.Read.All"],
  },
  {
    method: "GET",
    path: "policies/identitySecurityDefaultsEnforcementPolicy",
    queryOptions: ["$select"],
    headers: [],
    source: `${LEARN}api/identitysecuritydefaultsenforcementpolicy-get`,
    permissions: ["Policy.Read.All"],
  },
  {
    method: "GET",
    path: "applications(appId='<appId>')",
    queryOptions: ["$select"],
    headers: [],
    source: `${LEARN}api/application-get`,
    permissions: APPLICATION_READ,
  },
  {
    method: "GET",
    path: "applications(appId='<appId>')/owners",
    queryOptions: ["$select"],
    headers: [],
    source: `${LEARN}api/application-list-owners`,
    permissions: APPLICATION_READ,
  },
  {
    method: "GET",
    path: "applications(appId='<appId>')/federatedIdentityCredentials",
    queryOptions: ["$select"],
    headers: [],
    source: `${LEARN}api/application-list-federatedidentitycredentials`,
    permissions: APPLICATION_READ,
  },
  {
    method: "GET",
    path: "servicePrincipals(appId='<appId>')",
    queryOptions: ["$select"],
    headers: [],
    source: `${LEARN}api/serviceprincipal-get`,
    permissions: APPLICATION_READ,
  },
];

/** Every permission the table names: the emulated app registration holds them all until a test revokes one. */
export const GRAPH_PERMISSIONS = [
  ...new Set(
    GRAPH_DOCUMENTED_SHAPES.flatMap((row) => [
      ...row.permissions,
      ...(row.optionalPermissions ?? []),
      ...Object.values(row.properties ?? {}).flatMap((property) => property.permissions),
    ]),
  ),
];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The shape of a Graph request; `relativeUrl` is what follows /v1.0/ (batch items' `url` included). */
export function graphShapeOf(
  method: string,
  relativeUrl: string,
  headers: Record<string, string | string[] | undefined>,
): GraphRequestShape {
  const [resource, query = ""] = relativeUrl.replace(/^\//, "").split("?", 2);
  const segments = decodeURIComponent(resource)
    .split("/")
    .map((segment, index, all) =>
      all[index - 1] === "users" || GUID.test(segment) ? "<id>" : segment.replace(/\(appId='[^']*'\)$/, "(appId='<appId>')"),
    );
  const queryOptions = [...new Set(new URLSearchParams(query).keys())].sort();
  const consistency = Object.entries(headers).find(([name]) => name.toLowerCase() === "consistencylevel")?.[1];
  const shapeHeaders = consistency === undefined ? [] : [`ConsistencyLevel: ${[consistency].flat().join(",").toLowerCase()}`];
  return { method: method.toUpperCase(), path: segments.join("/"), queryOptions, headers: shapeHeaders };
}

/** Described as Dataverse's shapes are: `GET path?options [headers]`. */
export const describeGraphShape: (shape: GraphRequestShape) => string = describeShape;

/** The documented row a shape fits, if any: same method and path, options and headers among those allowed. */
export function graphDocumentedRowFor(shape: GraphRequestShape): GraphDocumentedShape | undefined {
  return GRAPH_DOCUMENTED_SHAPES.find(
    (row) =>
      row.method === shape.method &&
      row.path === shape.path &&
      shape.queryOptions.every((option) => row.queryOptions.includes(option)) &&
      shape.headers.every((header) => row.headers.includes(header)),
  );
}
