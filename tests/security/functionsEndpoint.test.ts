import { HttpRequest, InvocationContext } from "@azure/functions";
import { HttpDataverseClient } from "../../src/dataverse-node/httpClient";
import { USERS } from "../../src/emulator/sampleOrg";
import { eventsFunction } from "../../src/webhook/azureFunctions";
import { webhookConfig } from "../../src/webhook/config";
import { createEventProcessor, type EventProcessor } from "../../src/webhook/eventHandler";
import { englishTexts } from "../../src/webhook/messageTexts";
import { membershipReaders } from "../../src/webhook/roleHolders";
import { startEmulator, type RunningEmulator } from "../support/emulator";
import { updateEvent } from "../support/webhookPayloads";

const SECRET = "a-secret-dataverse-sends-with-every-call";
const MEGABYTE = "x".repeat(1_000_000);

describe("the Azure Functions adapter decides before it reads", () => {
  let dataverse: RunningEmulator;
  let processor: EventProcessor;
  const context = () => new InvocationContext({ invocationId: "inv-1", functionName: "dataverseEvents", logHandler: () => undefined });
  const request = (body: string, headers: Record<string, string>) =>
    new HttpRequest({ method: "POST", url: "http://localhost/dataverse/events", headers, body: { string: body } });

  beforeAll(async () => {
    dataverse = await startEmulator();
    const client = new HttpDataverseClient(dataverse.url, () => Promise.resolve(null));
    processor = createEventProcessor(
      { ...webhookConfig({ WEBHOOK_SECRET: SECRET, DATAVERSE_URL: dataverse.url }), coalesceWindowMs: 1 },
      { client, ...membershipReaders(client), texts: englishTexts() },
    );
  });
  afterAll(async () => {
    await processor?.close();
    await dataverse?.close();
  });

  it("refuses an unauthenticated megabyte without reading a byte of it", async () => {
    const call = request(MEGABYTE, { "content-length": String(MEGABYTE.length) });
    expect(await eventsFunction(processor)(call, context())).toMatchObject({ status: 401 });
    expect(call.bodyUsed).toBe(false);
  });

  it("refuses an oversized Content-Length from its header, before reading", async () => {
    const call = request(MEGABYTE + MEGABYTE, { "x-svcacct-key": SECRET, "content-length": String(2 * MEGABYTE.length) });
    expect(await eventsFunction(processor)(call, context())).toMatchObject({ status: 413 });
    expect(call.bodyUsed).toBe(false);
  });

  it("stops reading a body with no declared length as soon as it passes the limit", async () => {
    const call = request(MEGABYTE + MEGABYTE, { "x-svcacct-key": SECRET });
    expect(await eventsFunction(processor)(call, context())).toMatchObject({ status: 413 });
  });

  it("still reads an authenticated event of ordinary size", async () => {
    const body = JSON.stringify(updateEvent(USERS.noEmail));
    const response = await eventsFunction(processor)(request(body, { "x-svcacct-key": SECRET }), context());
    expect(response).toMatchObject({ status: 200 });
  });
});
