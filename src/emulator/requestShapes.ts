import { APP_ROLES, ENTITIES, entityByLogicalName, RELATIONSHIPS, ROLE_PRIVILEGES } from "./metadata";

/**
 * The request shapes the emulator accepts, each as Dataverse documents it. A shape is the method,
 * the resource path with keys written `(<id>)`, the query options and the headers that change what
 * Dataverse does (If-Match, If-None-Match and each Prefer preference). Anything the emulator serves
 * must match a row here, so a product request Dataverse would not accept cannot pass a test.
 */
export interface RequestShape {
  method: string;
  path: string;
  queryOptions: string[];
  headers: string[];
}

export interface DocumentedShape extends RequestShape {
  /** The Microsoft Learn page that documents this request. */
  source: string;
}

const LEARN = "https://learn.microsoft.com/power-apps/developer/data-platform/webapi/";
const ANNOTATIONS = "Prefer: odata.include-annotations";
const PAGE_SIZE = "Prefer: odata.maxpagesize";
const REPRESENTATION = "Prefer: return=representation";
/** "Compose HTTP requests and handle errors": If-None-Match: null overrides browser caching; a row's ETag asks for 304. */
const IF_NONE_MATCH = "If-None-Match";

const setNames = ENTITIES.map((entity) => entity.setName);
/** Sets the product aggregates with `$apply` ("Aggregate data using OData"): their collection row takes it too. */
const AGGREGATED_SETS = ["workflows", "sdkmessageprocessingsteps", "connectionreferences", "audits"];
/** Tables the emulator writes ("Register a webhook"; solutions made in the org). */
const WRITABLE_SETS = ["serviceendpoints", "sdkmessageprocessingsteps", "solutions"];
/** Each many-to-many relationship from each of its sides: the entity set and the navigation property. */
const NAVIGATIONS = RELATIONSHIPS.flatMap((relationship) =>
  relationship.sides.map((side) => ({ set: entityByLogicalName(side.table)!.setName, navigation: relationship.schemaName })),
);
/**
 * Role privileges change through the role's own messages, not $ref ("Associate and disassociate table rows" lists the rest);
 * an app's roles come with its solution here (the emulator does not serve $ref on appmoduleroles_association).
 */
const ASSOCIABLE = NAVIGATIONS.filter((each) => each.navigation !== ROLE_PRIVILEGES && each.navigation !== APP_ROLES);
/** Tables bound to RetrieveUnpublishedMultiple (server.ts UNPUBLISHED_TABLES): the sets of the solution-aware tables. */
const UNPUBLISHED_SETS = ["appmodules", "sitemaps", "systemforms", "savedqueries", "savedqueryvisualizations", "webresourceset"];
/** `fetchXml` is a query option of every entity set ("Use FetchXml to retrieve data"); fetchXml.ts refuses other options beside it. */
const FETCH_XML = "fetchXml";

export const DOCUMENTED_SHAPES: DocumentedShape[] = [
  ...setNames
    .filter((path) => !AGGREGATED_SETS.includes(path))
    .map((path) => ({
      method: "GET",
      path,
      queryOptions: ["$select", "$filter", "$expand", "$orderby", "$top", "$count", "$skiptoken", FETCH_XML],
      headers: [ANNOTATIONS, PAGE_SIZE, IF_NONE_MATCH],
      source: `${LEARN}query/overview`,
    })),
  ...AGGREGATED_SETS.map((path) => ({
    method: "GET",
    path,
    queryOptions: ["$select", "$filter", "$expand", "$orderby", "$top", "$count", "$skiptoken", "$apply", FETCH_XML],
    headers: [ANNOTATIONS, PAGE_SIZE, IF_NONE_MATCH],
    source: `${LEARN}query/aggregate-data`,
  })),
  ...setNames.map((set) => ({
    method: "GET",
    path: `${set}(<id>)`,
    queryOptions: ["$select", "$expand"],
    headers: [ANNOTATIONS, IF_NONE_MATCH],
    source: `${LEARN}retrieve-entity-using-web-api`,
  })),
  ...UNPUBLISHED_SETS.map((set) => ({
    method: "GET",
    path: `${set}/Microsoft.Dynamics.CRM.RetrieveUnpublishedMultiple()`,
    queryOptions: ["$select", "$filter", "$orderby", "$top", "$count", "$skiptoken"],
    headers: [ANNOTATIONS, PAGE_SIZE, IF_NONE_MATCH],
    source: `${LEARN}reference/retrieveunpublishedmultiple`,
  })),
  ...NAVIGATIONS.map(({ set, navigation }) => ({
    method: "GET",
    path: `${set}(<id>)/${navigation}`,
    queryOptions: ["$select", "$filter", "$orderby", "$top", "$count", "$skiptoken"],
    headers: [ANNOTATIONS, PAGE_SIZE, IF_NONE_MATCH],
    source: `${LEARN}query/overview#filtered-collections`,
  })),
  ...["systemusers", ...WRITABLE_SETS].map((set) => ({
    method: "PATCH",
    path: `${set}(<id>)`,
    queryOptions: [],
    headers: [ANNOTATIONS, REPRESENTATION, "If-Match"],
    source: `${LEARN}update-delete-entities-using-web-api`,
  })),
  ...["systemusers", ...WRITABLE_SETS].map((path) => ({
    method: "POST",
    path,
    queryOptions: [],
    headers: [ANNOTATIONS, REPRESENTATION],
    source: `${LEARN}create-entity-web-api`,
  })),
  ...ASSOCIABLE.flatMap(({ set, navigation }) => [
    {
      method: "POST",
      path: `${set}(<id>)/${navigation}/$ref`,
      queryOptions: [],
      headers: [ANNOTATIONS],
      source: `${LEARN}associate-disassociate-entities-using-web-api`,
    },
    {
      method: "DELETE",
      path: `${set}(<id>)/${navigation}(<id>)/$ref`,
      queryOptions: [],
      headers: [ANNOTATIONS],
      source: `${LEARN}associate-disassociate-entities-using-web-api`,
    },
  ]),
  ...["AddMembersTeam", "RemoveMembersTeam"].map((action) => ({
    method: "POST",
    path: `teams(<id>)/Microsoft.Dynamics.CRM.${action}`,
    queryOptions: [],
    headers: [ANNOTATIONS],
    source: `${LEARN}reference/${action.toLowerCase()}`,
  })),
  { method: "GET", path: "WhoAmI()", queryOptions: [], headers: [ANNOTATIONS, IF_NONE_MATCH], source: `${LEARN}reference/whoami` },
  {
    method: "GET",
    path: "RetrieveOrganizationResources()",
    queryOptions: [],
    headers: [ANNOTATIONS, IF_NONE_MATCH],
    source: `${LEARN}reference/retrieveorganizationresources`,
  },
  {
    method: "GET",
    path: "systemusers(<id>)/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()",
    queryOptions: [],
    headers: [ANNOTATIONS, IF_NONE_MATCH],
    source: `${LEARN}reference/retrieveuserprivileges`,
  },
  ...["ImportSolution", "PublishXml", "PublishAllXml", "AddSolutionComponent"].map((action) => ({
    method: "POST",
    path: action,
    queryOptions: [],
    headers: [ANNOTATIONS],
    source: `${LEARN}reference/${action.toLowerCase()}`,
  })),
];

/** The shape of a request to the Web API root (`path` is what follows /api/data/v9.2/). */
export function shapeOf(method: string, path: string, headers: Record<string, string | string[] | undefined>): RequestShape {
  const [resource, query = ""] = path.split("?", 2);
  const template = decodeURIComponent(resource).replace(
    /\(\{?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}?\)/g,
    "(<id>)",
  );
  const queryOptions = [...new Set(new URLSearchParams(query).keys())].sort();
  const shapeHeaders: string[] = [];
  if (headers["if-match"] !== undefined) shapeHeaders.push("If-Match");
  if (headers["if-none-match"] !== undefined) shapeHeaders.push(IF_NONE_MATCH);
  const prefer = [headers.prefer ?? []].flat().join(",");
  for (const preference of prefer.split(",")) {
    const name = preference.split("=")[0].trim();
    if (!name) continue;
    const header = name === "return" ? REPRESENTATION : `Prefer: ${name}`;
    if (!shapeHeaders.includes(header)) shapeHeaders.push(header);
  }
  return { method: method.toUpperCase(), path: template, queryOptions, headers: shapeHeaders.sort() };
}

export function describeShape(shape: RequestShape): string {
  const query = shape.queryOptions.length ? `?${shape.queryOptions.join("&")}` : "";
  const headers = shape.headers.length ? ` [${shape.headers.join("; ")}]` : "";
  return `${shape.method} ${shape.path}${query}${headers}`;
}

/** The documented row a shape fits, if any: same method and path, options and headers among those allowed. */
export function documentedRowFor(shape: RequestShape): DocumentedShape | undefined {
  return DOCUMENTED_SHAPES.find(
    (row) =>
      row.method === shape.method &&
      row.path === shape.path &&
      shape.queryOptions.every((option) => row.queryOptions.includes(option)) &&
      shape.headers.every((header) => row.headers.includes(header)),
  );
}

/** Whether the table documents this path at all (under any method): unknown resources are left to the routes' 404. */
export function isDocumentedResource(path: string): boolean {
  const first = path.split("/")[0].replace(/\(<id>\)$/, "");
  return DOCUMENTED_SHAPES.some((row) => row.path.split("/")[0].replace(/\(<id>\)$/, "") === first);
}
