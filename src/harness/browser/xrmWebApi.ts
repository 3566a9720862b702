import { entitySetOf } from "../../dataverse/entitySets";

/**
 * The harness's stand-in for the platform's `Xrm.WebApi`, over HTTP to the emulator on the same
 * origin, with the browser's HTTP cache as the platform has it. Like the platform it sends the OData
 * headers and asks for every annotation, and it rejects with exactly the platform's error object:
 * `errorCode` (a positive decimal) and `message`, no HTTP status ("retrieveRecord (Client API
 * reference)"); `online.execute` rejects on failure too.
 */
export interface HarnessSettings {
  /** The user the page acts as; undefined means the emulator's default admin. */
  callerId?: string;
}

export const API = "/api/data/v9.2/";
const CALLER_HEADER = "x-svcacct-emulator-caller";

/** The platform's error object: nothing else, so the control meets only what the form gives it. */
export interface XrmError {
  errorCode: number;
  message: string;
}

function xrmError(errorCode: number, message: string): XrmError {
  return { errorCode, message };
}

export class HarnessWebApi {
  constructor(private readonly settings: HarnessSettings) {}

  retrieveRecord(entityLogicalName: string, id: string, options = ""): Promise<Record<string, unknown>> {
    return this.request("GET", `${entitySetOf(entityLogicalName)}(${id.replace(/[{}]/g, "")})${options}`);
  }

  async retrieveMultipleRecords(
    entityLogicalName: string,
    options = "",
    maxPageSize?: number,
  ): Promise<{ entities: unknown[]; nextLink?: string }> {
    const body = await this.request(
      "GET",
      `${entitySetOf(entityLogicalName)}${options}`,
      undefined,
      maxPageSize ? { prefer: `odata.maxpagesize=${maxPageSize}` } : {},
    );
    return { entities: body.value as unknown[], nextLink: body["@odata.nextLink"] as string | undefined };
  }

  async updateRecord(entityLogicalName: string, id: string, data: Record<string, unknown>): Promise<{ entityType: string; id: string }> {
    await this.request("PATCH", `${entitySetOf(entityLogicalName)}(${id.replace(/[{}]/g, "")})`, data);
    return { entityType: entityLogicalName, id };
  }

  readonly online = {
    execute: (request: ExecuteRequest): Promise<Response> => this.execute(request),
  };

  private async execute(request: ExecuteRequest): Promise<Response> {
    const metadata = request.getMetadata();
    if (metadata.operationName === "Associate") {
      const target = request.target as { entityType: string; id: string };
      const related = (request.relatedEntities as { entityType: string; id: string }[])[0];
      return this.raw("POST", `${entitySetOf(target.entityType)}(${target.id})/${String(request.relationship)}/$ref`, {
        "@odata.id": `${location.origin}${API}${entitySetOf(related.entityType)}(${related.id})`,
      });
    }
    if (metadata.operationName === "Disassociate") {
      const target = request.target as { entityType: string; id: string };
      return this.raw(
        "DELETE",
        `${entitySetOf(target.entityType)}(${target.id})/${String(request.relationship)}(${String(request.relatedEntityId)})/$ref`,
      );
    }
    if (metadata.operationType === 1 && metadata.boundParameter === null) return this.raw("GET", `${metadata.operationName}()`);
    if (metadata.operationType === 0 && metadata.boundParameter === "entity") {
      // A bound action: the request's other members are its parameters ("execute (Client API reference)").
      const { entity, ...parameters } = request as unknown as { entity: { entityType: string; id: string } } & Record<string, unknown>;
      return this.raw(
        "POST",
        `${entitySetOf(entity.entityType)}(${entity.id})/Microsoft.Dynamics.CRM.${metadata.operationName}`,
        parameters,
      );
    }
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- the platform rejects with a plain {errorCode, message}
    throw xrmError(0x80040216, `The harness does not execute ${metadata.operationName}.`);
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Record<string, unknown>> {
    const response = await this.raw(method, path, body, headers);
    return response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>);
  }

  /** One HTTP call; a non-2xx answer rejects the way Xrm.WebApi does. */
  private async raw(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const response = await fetch(API + path, {
      method,
      headers: {
        accept: "application/json",
        "odata-maxversion": "4.0",
        "odata-version": "4.0",
        prefer: 'odata.include-annotations="*"',
        ...(body !== undefined ? { "content-type": "application/json; charset=utf-8" } : {}),
        ...(this.settings.callerId ? { [CALLER_HEADER]: this.settings.callerId } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    if (response.ok) return response;
    const text = await response.text();
    let error: { code?: string; message?: string } = {};
    try {
      error = (JSON.parse(text) as { error?: typeof error }).error ?? {};
    } catch {
      // not JSON (a gateway's page): no code to give
    }
    const code = error.code && /^0x[0-9a-f]+$/i.test(error.code) ? parseInt(error.code, 16) : 0;
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- the platform rejects with a plain {errorCode, message}
    throw xrmError(code, error.message ?? response.statusText);
  }
}

export interface ExecuteRequest {
  getMetadata(): { boundParameter: unknown; operationType: number; operationName: string };
  [key: string]: unknown;
}
