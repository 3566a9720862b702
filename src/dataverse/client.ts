/**
 * The port every Dataverse reader and writer goes through. Adapters: the form's Xrm.WebApi
 * (xrmClient.ts) and, outside the form, fetch over the Web API. Rows are Web API JSON as returned,
 * annotations included.
 */
export type Row = Record<string, unknown>;

export interface Page {
  rows: Row[];
  /** Absolute `@odata.nextLink` of the next page, when there is one. */
  nextLink?: string;
}

export interface UpdateOptions {
  /** Refuse the write (conflict) when the row's version is no longer this `@odata.etag`. */
  ifMatch?: string | null;
}

/** OrganizationResources complex type (Web API reference), the fields this product reads. */
export interface OrganizationResources {
  CurrentNumberOfNonInteractiveUsers: number;
  MaxNumberOfNonInteractiveUsers: number;
}

export interface DataverseClient {
  /** GET one row; `query` is the OData system query string starting with `?`. */
  retrieve(entityLogicalName: string, id: string, query: string): Promise<Row>;
  /** GET one page of rows; follow `nextLink` with `retrieveNextPage`. */
  retrieveMultiple(entityLogicalName: string, query: string, maxPageSize?: number): Promise<Page>;
  retrieveNextPage(entityLogicalName: string, nextLink: string, maxPageSize?: number): Promise<Page>;
  update(entityLogicalName: string, id: string, changes: Row, options?: UpdateOptions): Promise<void>;
  associate(
    entityLogicalName: string,
    id: string,
    relationship: string,
    relatedEntityLogicalName: string,
    relatedId: string,
  ): Promise<void>;
  disassociate(entityLogicalName: string, id: string, relationship: string, relatedId: string): Promise<void>;
  /** The action `RemoveMembersTeam`, bound to the team: the users leave it, and lose the roles it grants. */
  removeTeamMembers(teamId: string, userIds: string[]): Promise<void>;
  /** The unbound function `RetrieveOrganizationResources()`. */
  retrieveOrganizationResources(): Promise<OrganizationResources>;
}
