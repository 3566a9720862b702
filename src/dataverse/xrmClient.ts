import type { DataverseClient, OrganizationResources, Page, Row, UpdateOptions } from "./client";
import { DataverseError } from "./errors";
import { teamMember } from "./queries";
import { callDataverse, type RetryOptions } from "./retry";

/**
 * The reads and writes the adapter makes through the documented PCF API, `context.webAPI`
 * ("WebApi" in the Power Apps component framework reference); `Xrm.WebApi` has the same members.
 */
export interface PcfWebApi {
  retrieveRecord(entityType: string, id: string, options?: string): PromiseLike<unknown>;
  retrieveMultipleRecords(
    entityType: string,
    options?: string,
    maxPageSize?: number,
  ): PromiseLike<{ entities: unknown[]; nextLink?: string }>;
  updateRecord(entityType: string, id: string, data: Record<string, unknown>): PromiseLike<unknown>;
}

/** `Xrm.WebApi.online`: only for what `context.webAPI` lacks, and only where a global `Xrm` exists. */
export type XrmOnline = Pick<Xrm.WebApiOnline, "execute">;

/** `Xrm.WebApi` as tests and the harness pass it: the PCF members plus `online`. */
export type XrmWebApi = PcfWebApi & { online: XrmOnline };

/**
 * Request objects for `Xrm.WebApi.online.execute`: the platform reads `getMetadata()` from the
 * prototype ("execute (Client API reference)"; operationType 1 = function, 2 = CRUD).
 */
class AssociateRequest {
  constructor(
    readonly target: { entityType: string; id: string },
    readonly relatedEntities: { entityType: string; id: string }[],
    readonly relationship: string,
  ) {}
  getMetadata() {
    return { boundParameter: null, parameterTypes: {}, operationType: 2, operationName: "Associate" };
  }
}

class DisassociateRequest {
  constructor(
    readonly target: { entityType: string; id: string },
    readonly relatedEntityId: string,
    readonly relationship: string,
  ) {}
  getMetadata() {
    return { boundParameter: null, parameterTypes: {}, operationType: 2, operationName: "Disassociate" };
  }
}

/** A bound action: `entity` is the team, `Members` a collection of systemuser (structuralProperty 5 entity, 4 collection). */
class RemoveMembersTeamRequest {
  constructor(
    readonly entity: { entityType: string; id: string },
    readonly Members: ReturnType<typeof teamMember>[],
  ) {}
  getMetadata() {
    return {
      boundParameter: "entity",
      parameterTypes: {
        entity: { typeName: "mscrm.team", structuralProperty: 5 },
        Members: { typeName: "Collection(mscrm.systemuser)", structuralProperty: 4 },
      },
      operationType: 0,
      operationName: "RemoveMembersTeam",
    };
  }
}

class RetrieveOrganizationResourcesRequest {
  getMetadata() {
    return { boundParameter: null, parameterTypes: {}, operationType: 1, operationName: "RetrieveOrganizationResources" };
  }
}

/**
 * DataverseClient in the form: reads and updates through `context.webAPI`, associations, team
 * membership and RetrieveOrganizationResources through `Xrm.WebApi.online.execute` when the host has it. The
 * platform adds authentication and OData headers; failures reject with `{errorCode, message}`.
 */
export class XrmDataverseClient implements DataverseClient {
  constructor(
    private readonly webApi: PcfWebApi,
    /** Null in hosts without a global `Xrm` (pcf-start, canvas apps): no associations there. */
    private readonly online: XrmOnline | null,
    private readonly retry: RetryOptions = {},
  ) {}

  /** Whether this host can associate and disassociate roles. */
  get canExecute(): boolean {
    return this.online !== null;
  }

  retrieve(entityLogicalName: string, id: string, query: string): Promise<Row> {
    return this.call(() => this.webApi.retrieveRecord(entityLogicalName, id, query) as PromiseLike<Row>);
  }

  retrieveMultiple(entityLogicalName: string, query: string, maxPageSize?: number): Promise<Page> {
    return this.call(async () => {
      const result = await this.webApi.retrieveMultipleRecords(entityLogicalName, query, maxPageSize);
      return { rows: result.entities as Row[], nextLink: result.nextLink || undefined };
    });
  }

  retrieveNextPage(entityLogicalName: string, nextLink: string, maxPageSize?: number): Promise<Page> {
    // Xrm.WebApi takes the query part of a nextLink as the options of the next call.
    const query = nextLink.slice(nextLink.indexOf("?"));
    return this.retrieveMultiple(entityLogicalName, query, maxPageSize);
  }

  async update(entityLogicalName: string, id: string, changes: Row, options: UpdateOptions = {}): Promise<void> {
    if (options.ifMatch) {
      // Xrm.WebApi.updateRecord cannot send If-Match: re-read the version and refuse a write over
      // someone else's change, as a 412 would.
      const current = await this.retrieve(entityLogicalName, id, `?$select=${entityLogicalName}id`);
      if (current["@odata.etag"] !== options.ifMatch) throw new DataverseError("conflict", "The record was changed since it was read.");
    }
    await this.call(() => this.webApi.updateRecord(entityLogicalName, id, changes));
  }

  async associate(
    entityLogicalName: string,
    id: string,
    relationship: string,
    relatedEntityLogicalName: string,
    relatedId: string,
  ): Promise<void> {
    const request = new AssociateRequest(
      { entityType: entityLogicalName, id },
      [{ entityType: relatedEntityLogicalName, id: relatedId }],
      relationship,
    );
    await this.execute(request);
  }

  async disassociate(entityLogicalName: string, id: string, relationship: string, relatedId: string): Promise<void> {
    await this.execute(new DisassociateRequest({ entityType: entityLogicalName, id }, relatedId, relationship));
  }

  async removeTeamMembers(teamId: string, userIds: string[]): Promise<void> {
    await this.execute(new RemoveMembersTeamRequest({ entityType: "team", id: teamId }, userIds.map(teamMember)));
  }

  async retrieveOrganizationResources(): Promise<OrganizationResources> {
    const response = await this.execute(new RetrieveOrganizationResourcesRequest());
    const body = (await response.json()) as { OrganizationResources?: OrganizationResources };
    if (!body.OrganizationResources)
      throw new DataverseError("unknown", "RetrieveOrganizationResources returned no OrganizationResources.");
    return body.OrganizationResources;
  }

  /** `online.execute` resolves with the response on success and rejects with `{errorCode, message}` on failure. */
  private execute(request: object): Promise<Response> {
    const online = this.online;
    if (!online) return Promise.reject(new DataverseError("unknown", "This host has no Xrm.WebApi.online.execute."));
    return this.call(() => online.execute(request) as PromiseLike<Response>);
  }

  private call<T>(operation: () => PromiseLike<T>): Promise<T> {
    return callDataverse(async () => operation(), this.retry);
  }
}
