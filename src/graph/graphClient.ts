/**
 * The Microsoft Graph port the server side reads Microsoft Entra ID through: GET requests, alone or
 * combined in JSON batches ("Combine multiple HTTP requests using JSON batching",
 * https://learn.microsoft.com/graph/json-batching). Only reads: the product changes nothing in Entra.
 */

/** Graph allows at most 20 requests in one batch (json-batching). */
export const MAX_BATCH_REQUESTS = 20;

/** A GET relative to the version root, e.g. `/users/{id}?$select=…`; in a batch, headers travel with the item. */
export interface GraphRequest {
  id: string;
  url: string;
  headers?: Record<string, string>;
}

/**
 * Graph answers an advanced query on directory objects (an OData cast such as
 * `transitiveMemberOf/microsoft.graph.group`, `$search`, `$count`, or `$filter`/`$orderby` beyond the
 * basics) only with `ConsistencyLevel: eventual` and `$count=true`, in a batch in the item's own
 * headers ("Advanced query capabilities on Microsoft Entra ID objects",
 * https://learn.microsoft.com/graph/aad-advanced-queries). This adds both to a request that is one by
 * its cast, $search or $count, so no request the product builds can be refused for lacking them.
 */
export function withAdvancedQueryParameters(request: GraphRequest): GraphRequest {
  const [path, query = ""] = request.url.split("?", 2);
  const params = new URLSearchParams(query);
  const advanced = /\/microsoft\.graph\.\w+(\/|$)/.test(path) || params.has("$search") || params.has("$count");
  if (!advanced) return request;
  const url = params.get("$count") === "true" ? request.url : `${request.url}${query ? "&" : "?"}$count=true`;
  return { ...request, url, headers: { ...request.headers, ConsistencyLevel: "eventual" } };
}

/** One response, as a batch answers each of its requests: its own status, headers and body. */
export interface GraphResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown> | null;
}

export interface GraphClient {
  /** Sends up to 20 GETs as one `POST /$batch`; answers every request's own response (in any order). */
  batch(requests: GraphRequest[]): Promise<GraphResponse[]>;
  /** One GET (a relative URL or an absolute `@odata.nextLink`), answered like a batch item. */
  get(url: string): Promise<GraphResponse>;
  /** Graph calls sent (a batch counts one), for benchmarks and request budgets. */
  readonly counter: { count: number };
}

/** A failure of a Graph call itself (not of one request inside a batch): status, Graph's code and message. */
export class GraphCallError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "GraphCallError";
  }
}

/** Retry-After in seconds (Graph sends a number of seconds; throttling guidance). */
export function retryAfterSeconds(headers: Record<string, string>): number | undefined {
  const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === "retry-after");
  const seconds = entry ? Number(entry[1]) : NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}
