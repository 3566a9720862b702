import { XMLParser } from "fast-xml-parser";
import { HttpDataverseClient } from "../../src/dataverse-node/httpClient";
import { registerWebhook } from "../../src/webhook/registration";
import { startEmulator, type RunningEmulator } from "../support/emulator";

/**
 * The rows registration writes, checked against Microsoft's documented values rather than read back
 * from our own emulator:
 * - serviceendpoint (https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/serviceendpoint):
 *   contract 8 Webhook; authtype 4 Webhook Key, 5 Http Header, 6 Http Query String; messageformat 2 Json;
 *   connectionmode 1 Normal.
 * - "Register a webhook" (https://learn.microsoft.com/power-apps/developer/data-platform/register-web-hook):
 *   HttpHeader sends key/value pairs as headers; WebhookKey sends `?code=` with the value alone.
 * - sdkmessageprocessingstep (https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/sdkmessageprocessingstep):
 *   stage 40 PostOperation, mode 1 Asynchronous, supporteddeployment 0 Server Only.
 */
describe("registerWebhook writes Dataverse's documented values", () => {
  let dataverse: RunningEmulator;
  const sent: { method: string; path: string; body: Record<string, unknown> }[] = [];
  const original = globalThis.fetch;

  beforeAll(async () => {
    dataverse = await startEmulator();
    globalThis.fetch = ((url: string, init: RequestInit = {}) => {
      if (typeof init.body === "string")
        sent.push({ method: init.method ?? "GET", path: new URL(url).pathname, body: JSON.parse(init.body) as Record<string, unknown> });
      return original(url, init);
    }) as typeof fetch;
  });
  beforeEach(() => {
    sent.length = 0;
    dataverse.emulator.reset();
  });
  afterAll(async () => {
    globalThis.fetch = original;
    await dataverse.close();
  });

  const register = (auth: "header" | "code") =>
    registerWebhook(new HttpDataverseClient(dataverse.url, () => Promise.resolve(null)), {
      endpointUrl: "https://hooks.contoso.com/dataverse/events",
      secret: "s3cret&<value>",
      auth,
      header: "x-svcacct-key",
      solutionUniqueName: "ServiceAccountCompliance",
    });
  const endpointBody = () => sent.find((request) => request.path.endsWith("/serviceendpoints"))!.body;

  it("an HttpHeader endpoint: contract 8, authtype 5, the header as <settings><setting name value/></settings>", async () => {
    await register("header");
    const endpoint = endpointBody();
    expect(endpoint).toMatchObject({
      contract: 8,
      authtype: 5,
      messageformat: 2,
      connectionmode: 1,
      url: "https://hooks.contoso.com/dataverse/events",
    });
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(String(endpoint.authvalue)) as unknown;
    expect(parsed).toEqual({ settings: { setting: { name: "x-svcacct-key", value: "s3cret&<value>" } } });
  });

  it("a WebhookKey endpoint: authtype 4 and the key alone", async () => {
    await register("code");
    expect(endpointBody()).toMatchObject({ contract: 8, authtype: 4, authvalue: "s3cret&<value>" });
  });

  it("six asynchronous post-operation steps on the server, bound to the endpoint", async () => {
    const result = await register("header");
    const steps = sent.filter((request) => request.path.endsWith("/sdkmessageprocessingsteps")).map((request) => request.body);
    expect(steps).toHaveLength(6);
    for (const step of steps) {
      expect(step).toMatchObject({
        stage: 40,
        mode: 1,
        supporteddeployment: 0,
        "eventhandler_serviceendpoint@odata.bind": `/serviceendpoints(${result.endpoint.id})`,
      });
    }
    expect(steps.map((step) => step.filteringattributes ?? null)).toEqual([
      null,
      "domainname,accessmode,isdisabled,islicensed,internalemailaddress,emailrouteraccessapproval,businessunitid,applicationid,azureactivedirectoryobjectid",
      null,
      null,
      null,
      null,
    ]);
  });
});
