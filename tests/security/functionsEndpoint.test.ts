import { HttpRequest, InvocationContext } from "@azure/functions";
import { USERS } from "../../src/emulator/sampleOrg";
import { eventsFunction } from "../../src/webhook/azureFunctions";
import type { EventProcessor } from "../../src/webhook/eventHandler";
import { startEmulator, type RunningEmulator } from "../support/emulator";
import { updateEvent } from "../support/webhookPayloads";
import { processorOver, WEBHOOK_TEST_SECRET } from "../support/webhookProcessor";

const SECRET = WEBHOOK_TEST_SECRET;
const MEGABYTE = "x".repeat(1_000_000);

describe("the Azure Functions adapter decides before it reads", () => {
  let dataverse: RunningEmulator;
  let processor: EventProcessor;
  const context = () => new InvocationContext({ invocationId: "inv-1", functionName: "dataverseEvents", logHandler: () => undefined });
  const request = (body: string, headers: Record<string, string>) =>
    new HttpRequest({ method: "POST", url: "http://localhost/dataverse/events", headers, body: { string: body } });

  beforeAll(async () => {
    dataverse = await startEmulator();
    processor = processorOver(dataverse.url);
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
