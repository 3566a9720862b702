import { XrmMockGenerator } from "xrm-mock";
import type { XrmWebApi } from "../../src/dataverse/xrmClient";

/** An execute() answer the way the platform gives it: a fetch-like Response. */
export function executeResponse(body: unknown, status = 200): Response {
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: status === 200 ? "OK" : "Error",
    json: () => Promise.resolve(body),
  } as unknown as Response;
}

export interface XrmStubs {
  webApi: XrmWebApi;
  retrieveRecord: jest.SpyInstance;
  retrieveMultipleRecords: jest.SpyInstance;
  updateRecord: jest.SpyInstance;
  execute: jest.SpyInstance;
}

/** xrm-mock's global Xrm with its WebApi members stubbed, so tests assert the exact requests. */
export function installXrm(): XrmStubs {
  XrmMockGenerator.initialise();
  const webApi = Xrm.WebApi as unknown as XrmWebApi;
  return {
    webApi,
    retrieveRecord: jest.spyOn(Xrm.WebApi, "retrieveRecord"),
    retrieveMultipleRecords: jest.spyOn(Xrm.WebApi, "retrieveMultipleRecords"),
    updateRecord: jest.spyOn(Xrm.WebApi, "updateRecord"),
    execute: jest.spyOn(Xrm.WebApi.online, "execute"),
  };
}

/** Request metadata the platform reads from an execute() request. */
export function metadataOf(request: unknown): unknown {
  return (request as { getMetadata(): unknown }).getMetadata();
}
