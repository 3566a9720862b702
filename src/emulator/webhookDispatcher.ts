import { randomUUID } from "crypto";
import { SDKMESSAGE, SDKMESSAGEPROCESSINGSTEP, SERVICEENDPOINT } from "./metadata";
import { childElements, parseXml } from "../solution/xml";
import { textOf, type OrgStore, type Row } from "./store";

/**
 * Dataverse's side of a webhook: after an operation, every asynchronous post-operation step on the
 * message (and table, and filtering attributes) whose handler is a webhook endpoint gets a POST of
 * the RemoteExecutionContext, authenticated as the endpoint says, retried once on 502/503/504
 * ("Use webhooks to create external handlers for server events"). Results are kept like system jobs.
 */
export interface DispatchedJob {
  stepId: string;
  messageName: string;
  primaryEntityId: string;
  status: "succeeded" | "failed";
  httpStatus?: number;
  attempts: number;
  error?: string;
}

export interface OperationEvent {
  messageName: "Create" | "Update" | "Associate" | "Disassociate" | "AddMembersTeam" | "RemoveMembersTeam";
  /** The table the step is filtered on (Create, Update) or the target of the association. */
  primaryEntityName: string;
  primaryEntityId: string;
  callerId: string;
  /** Create: the columns given; Update: the changed columns and their new values. */
  changed?: Row;
  /** Associate/Disassociate: the relationship and the related rows. */
  relationship?: string;
  related?: { logicalName: string; id: string }[];
  /** AddMembersTeam/RemoveMembersTeam: the users (the request's TeamId and MemberIds). */
  memberIds?: string[];
}

/** The data-contract namespace of the RemoteExecutionContext JSON's `__type` names. */
export const CONTRACTS = "http://schemas.microsoft.com/xrm/2011/Contracts";
const RETRIED = new Set([502, 503, 504]);

/** An EntityReference as the RemoteExecutionContext JSON carries it. */
export const entityReference = (logicalName: string, id: string) => ({
  __type: `EntityReference:${CONTRACTS}`,
  Id: id,
  KeyAttributes: [],
  LogicalName: logicalName,
  Name: null,
  RowVersion: null,
});

export class WebhookDispatcher {
  readonly jobs: DispatchedJob[] = [];
  private inFlight = new Set<Promise<void>>();

  constructor(private readonly store: () => OrgStore) {}

  /** Queues the POSTs for an operation; they run after the operation's response, as async steps do. */
  dispatch(event: OperationEvent, organizationUrl: string): void {
    const store = this.store();
    const message = [...store.rows(SDKMESSAGE)].find((row) => row.name === event.messageName);
    if (!message) return;
    for (const step of store.rows(SDKMESSAGEPROCESSINGSTEP)) {
      if (step.sdkmessageid !== message.sdkmessageid || step.stage !== 40 || step.mode !== 1) continue;
      // A filter names the table a step is for; `none` (Associate, Disassociate) is every table.
      const filter = step.sdkmessagefilterid ? store.get("sdkmessagefilter", textOf(step.sdkmessagefilterid)) : undefined;
      if (filter && filter.primaryobjecttypecode !== "none" && filter.primaryobjecttypecode !== event.primaryEntityName) continue;
      if (event.messageName === "Update") {
        const attributes = textOf(step.filteringattributes)
          .split(",")
          .map((name) => name.trim())
          .filter(Boolean);
        if (attributes.length && !attributes.some((name) => name in (event.changed ?? {}))) continue;
      }
      const endpoint = step.eventhandler ? store.get(SERVICEENDPOINT.logicalName, textOf(step.eventhandler)) : undefined;
      if (endpoint?.contract !== 8) continue;
      const job = this.deliver(step, endpoint, event, organizationUrl).finally(() => this.inFlight.delete(job));
      this.inFlight.add(job);
    }
  }

  /** Waits until every queued delivery has finished (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private async deliver(step: Row, endpoint: Row, event: OperationEvent, organizationUrl: string): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve)); // after the operation's own response
    const body = JSON.stringify(this.context(step, event));
    const { url, headers } = this.authenticated(endpoint);
    const job: DispatchedJob = {
      stepId: textOf(step.sdkmessageprocessingstepid),
      messageName: event.messageName,
      primaryEntityId: event.primaryEntityId,
      status: "failed",
      attempts: 0,
    };
    for (let attempt = 1; attempt <= 2; attempt++) {
      job.attempts = attempt;
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "x-ms-dynamics-organization": new URL(organizationUrl).host,
            "x-ms-dynamics-entity-name": event.primaryEntityName,
            "x-ms-dynamics-request-name": event.messageName,
            "x-ms-correlation-request-id": randomUUID(),
            ...headers,
          },
          body,
          signal: AbortSignal.timeout(60_000),
        });
        job.httpStatus = response.status;
        if (response.ok) {
          job.status = "succeeded";
          break;
        }
        if (!RETRIED.has(response.status)) break;
      } catch (error) {
        job.error = error instanceof Error ? error.message : String(error);
        break;
      }
    }
    this.jobs.push(job);
  }

  /** HttpHeader and HttpQueryString carry `<settings><setting name value/></settings>`; WebhookKey is `?code=`. */
  private authenticated(endpoint: Row): { url: string; headers: Record<string, string> } {
    const url = new URL(textOf(endpoint.url));
    const settings: [string, string][] =
      endpoint.authtype === 5 || endpoint.authtype === 6
        ? childElements(parseXml(textOf(endpoint.authvalue), "serviceendpoint.authvalue").root, "setting").map((setting) => [
            setting.attributes.name,
            setting.attributes.value,
          ])
        : [];
    if (endpoint.authtype === 4) url.searchParams.set("code", textOf(endpoint.authvalue));
    if (endpoint.authtype === 6) for (const [name, value] of settings) url.searchParams.set(name, value);
    return { url: url.toString(), headers: endpoint.authtype === 5 ? Object.fromEntries(settings) : {} };
  }

  private context(step: Row, event: OperationEvent): Row {
    const store = this.store();
    const caller = store.get("systemuser", event.callerId);
    const value = (column: string, v: unknown) =>
      ["accessmode", "caltype", "emailrouteraccessapproval"].includes(column) && typeof v === "number"
        ? { __type: `OptionSetValue:${CONTRACTS}`, Value: v }
        : v;
    const inputs =
      event.messageName === "AddMembersTeam" || event.messageName === "RemoveMembersTeam"
        ? [
            { key: "TeamId", value: event.primaryEntityId },
            { key: "MemberIds", value: event.memberIds ?? [] },
          ]
        : event.messageName === "Create" || event.messageName === "Update"
          ? [
              {
                key: "Target",
                value: {
                  __type: `Entity:${CONTRACTS}`,
                  Attributes: [
                    ...Object.entries(event.changed ?? {}).map(([key, v]) => ({ key, value: value(key, v) })),
                    { key: `${event.primaryEntityName}id`, value: event.primaryEntityId },
                  ],
                  EntityState: null,
                  FormattedValues: [],
                  Id: event.primaryEntityId,
                  KeyAttributes: [],
                  LogicalName: event.primaryEntityName,
                  RelatedEntities: [],
                  RowVersion: null,
                },
              },
            ]
          : [
              { key: "Target", value: entityReference(event.primaryEntityName, event.primaryEntityId) },
              {
                key: "Relationship",
                value: { __type: `Relationship:${CONTRACTS}`, PrimaryEntityRole: null, SchemaName: event.relationship },
              },
              { key: "RelatedEntities", value: (event.related ?? []).map((related) => entityReference(related.logicalName, related.id)) },
            ];
    return {
      BusinessUnitId: caller?.businessunitid ?? null,
      CorrelationId: randomUUID(),
      Depth: 1,
      InitiatingUserAzureActiveDirectoryObjectId: caller?.azureactivedirectoryobjectid ?? null,
      InitiatingUserId: event.callerId,
      InputParameters: inputs,
      IsExecutingOffline: false,
      IsInTransaction: false,
      IsOfflinePlayback: false,
      IsolationMode: 1,
      MessageName: event.messageName,
      Mode: 1,
      OperationCreatedOn: `/Date(${Date.now()})/`,
      OperationId: randomUUID(),
      OrganizationId: store.organization.organizationid,
      OrganizationName: store.organization.name,
      // CreateResponse carries the new row's id.
      OutputParameters: event.messageName === "Create" ? [{ key: "id", value: event.primaryEntityId }] : [],
      OwningExtension: {
        Id: step.sdkmessageprocessingstepid,
        KeyAttributes: [],
        LogicalName: "sdkmessageprocessingstep",
        Name: step.name,
        RowVersion: null,
      },
      ParentContext: null,
      PostEntityImages: [],
      PreEntityImages: [],
      PrimaryEntityId: event.primaryEntityId,
      PrimaryEntityName: event.primaryEntityName,
      RequestId: randomUUID(),
      SecondaryEntityName:
        event.messageName === "Create" || event.messageName === "Update" ? "none" : (event.related?.[0]?.logicalName ?? "none"),
      SharedVariables: [],
      Stage: 40,
      UserAzureActiveDirectoryObjectId: caller?.azureactivedirectoryobjectid ?? null,
      UserId: event.callerId,
    };
  }
}
