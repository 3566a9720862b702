import type { DataverseClient, OrganizationResources, Page, Row, UpdateOptions } from "../dataverse/client";
import { entitySetOf } from "../dataverse/entitySets";
import { teamMember } from "../dataverse/queries";
import { callDataverse, type RetryOptions } from "../dataverse/retry";
import { sameOrigin } from "./endpoints";
import type { TokenProvider } from "./signIn";

/** Counts what a client sent, for benchmarks and request budgets. */
export interface RequestCounter {
  count: number;
}

/**
 * DataverseClient over the Web API with fetch, outside the form (webhook, CLI): OData headers,
 * a bearer token from the provider, If-Match for row versions, `If-None-Match: null` on expanding
 * reads, Retry-After for throttling, and
 * failures handed to the one error mapper as `{status, error, retryAfter}`.
 */
export class HttpDataverseClient implements DataverseClient {
  readonly apiUrl: string;

  constructor(
    dataverseUrl: string,
    private readonly token: TokenProvider,
    private readonly retry: RetryOptions = {},
    readonly counter: RequestCounter = { count: 0 },
  ) {
    this.apiUrl = `${dataverseUrl.replace(/\/+$/, "")}/api/data/v9.2/`;
  }

  retrieve(entityLogicalName: string, id: string, query: string): Promise<Row> {
    return this.json("GET", `${entitySetOf(entityLogicalName)}(${bare(id)})${query}`);
  }

  async retrieveMultiple(entityLogicalName: string, query: string, maxPageSize?: number): Promise<Page> {
    return this.page(`${this.apiUrl}${entitySetOf(entityLogicalName)}${query}`, maxPageSize);
  }

  /** The next page, only from the org itself: the link comes in a response body, and the org's token goes with the request. */
  async retrieveNextPage(_entityLogicalName: string, nextLink: string, maxPageSize?: number): Promise<Page> {
    return this.page(sameOrigin(nextLink, this.apiUrl, "Dataverse"), maxPageSize);
  }

  async update(entityLogicalName: string, id: string, changes: Row, options: UpdateOptions = {}): Promise<void> {
    await this.send(
      "PATCH",
      `${entitySetOf(entityLogicalName)}(${bare(id)})`,
      changes,
      options.ifMatch ? { "If-Match": options.ifMatch } : {},
    );
  }

  /** POST a new row; returns its id from the OData-EntityId header. */
  async create(entityLogicalName: string, row: Row): Promise<string> {
    const response = await this.send("POST", entitySetOf(entityLogicalName), row);
    const id = /\(([0-9a-fA-F-]{36})\)\s*$/.exec(response.headers.get("OData-EntityId") ?? "")?.[1];
    if (!id) throw Object.assign(new Error("Dataverse did not return the new row's id."), { status: 500 });
    return id;
  }

  async associate(
    entityLogicalName: string,
    id: string,
    relationship: string,
    relatedEntityLogicalName: string,
    relatedId: string,
  ): Promise<void> {
    await this.send("POST", `${entitySetOf(entityLogicalName)}(${bare(id)})/${relationship}/$ref`, {
      "@odata.id": `${this.apiUrl}${entitySetOf(relatedEntityLogicalName)}(${bare(relatedId)})`,
    });
  }

  async disassociate(entityLogicalName: string, id: string, relationship: string, relatedId: string): Promise<void> {
    await this.send("DELETE", `${entitySetOf(entityLogicalName)}(${bare(id)})/${relationship}(${bare(relatedId)})/$ref`);
  }

  async removeTeamMembers(teamId: string, userIds: string[]): Promise<void> {
    await this.send("POST", `teams(${bare(teamId)})/Microsoft.Dynamics.CRM.RemoveMembersTeam`, {
      Members: userIds.map((id) => teamMember(bare(id))),
    });
  }

  async retrieveOrganizationResources(): Promise<OrganizationResources> {
    const body = await this.json("GET", "RetrieveOrganizationResources()");
    return body.OrganizationResources as OrganizationResources;
  }

  /** GET or POST any Web API path (functions, actions), answering the JSON body ({} for 204). */
  async json(method: string, path: string, body?: unknown): Promise<Row> {
    const response = await this.send(method, path, body);
    return response.status === 204 ? {} : ((await response.json()) as Row);
  }

  private async page(url: string, maxPageSize?: number): Promise<Page> {
    const response = await this.send(
      "GET",
      url,
      undefined,
      maxPageSize ? { Prefer: `odata.include-annotations="*",odata.maxpagesize=${maxPageSize}` } : {},
    );
    const body = (await response.json()) as Row;
    return { rows: (body.value as Row[] | undefined) ?? [], nextLink: (body["@odata.nextLink"] as string | undefined) ?? undefined };
  }

  private send(method: string, pathOrUrl: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : this.apiUrl + pathOrUrl;
    return callDataverse(async () => {
      const token = await this.token();
      this.counter.count++;
      const response = await fetch(url, {
        method,
        headers: {
          Accept: "application/json",
          "OData-MaxVersion": "4.0",
          "OData-Version": "4.0",
          Prefer: 'odata.include-annotations="*"',
          ...(body !== undefined ? { "Content-Type": "application/json; charset=utf-8" } : {}),
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(method === "GET" && EXPANDS.test(url) ? { "If-None-Match": "null" } : {}),
          ...headers,
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      if (response.ok) return response;
      const text = await response.text();
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
      const error = (parsed as { error?: { code?: string; message?: string } } | null)?.error;
      throw Object.assign(new Error(error?.message || response.statusText || `HTTP ${response.status}`), {
        status: response.status,
        error,
        retryAfter: response.headers.get("Retry-After") ?? undefined,
      });
    }, this.retry);
  }
}

/**
 * Reads that expand navigation properties: "Join tables using OData" warns that expanded collections
 * may come from a cache and recommends `If-None-Match: null` (a next link carries `$expand` encoded).
 */
const EXPANDS = /[?&](?:\$|%24)expand=/i;

function bare(id: string): string {
  return id.replace(/[{}]/g, "");
}
