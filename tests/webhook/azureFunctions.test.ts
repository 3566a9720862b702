import { HttpRequest, InvocationContext } from "@azure/functions";
import { USERS } from "../../src/emulator/sampleOrg";
import { COMPLIANCE_STATUS_VALUES } from "../../src/webhook/badge";
import { eventsFunction, healFunction, healthFunction } from "../../src/webhook/azureFunctions";
import type { EventProcessor } from "../../src/webhook/eventHandler";
import { startEmulator, type RunningEmulator } from "../support/emulator";
import { updateEvent } from "../support/webhookPayloads";
import { processorOver, WEBHOOK_TEST_SECRET } from "../support/webhookProcessor";

const SECRET = WEBHOOK_TEST_SECRET;

describe("the webhook as an Azure Function (Node.js v4 programming model)", () => {
  let dataverse: RunningEmulator;
  let processor: EventProcessor;
  const logged: { level: string; args: unknown[] }[] = [];
  const context = () =>
    new InvocationContext({
      invocationId: "inv-1",
      functionName: "dataverseEvents",
      logHandler: (level, ...args) => logged.push({ level, args }),
    });
  const request = (body: string, headers: Record<string, string> = { "x-svcacct-key": SECRET }, query: Record<string, string> = {}) =>
    new HttpRequest({
      method: "POST",
      url: "http://localhost/dataverse/events",
      headers: { "content-type": "application/json", ...headers },
      query,
      body: { string: body },
    });

  beforeAll(async () => {
    dataverse = await startEmulator();
    processor = processorOver(dataverse.url);
  });
  beforeEach(() => {
    dataverse.emulator.reset();
    logged.length = 0;
  });
  afterAll(async () => {
    await processor?.close();
    await dataverse?.close();
  });

  it("stamps the badge of the user an Update names, logging the request and correlation ids", async () => {
    const response = await eventsFunction(processor)(
      request(JSON.stringify(updateEvent(USERS.noEmail)), {
        "x-svcacct-key": SECRET,
        "x-request-id": "req-9",
        "x-ms-correlation-request-id": "corr-9",
      }),
      context(),
    );
    expect(response).toEqual({ status: 200, jsonBody: { evaluated: 1, stamped: 1 } });
    expect(dataverse.emulator.store.get("systemuser", USERS.noEmail)?.svcacct_compliancestatus).toBe(
      COMPLIANCE_STATUS_VALUES["non-compliant"],
    );
    expect(logged).toContainEqual({
      level: "information",
      args: ["event processed", expect.objectContaining({ requestId: "req-9", correlationId: "corr-9", stamped: 1 })],
    });
  });

  it("refuses a call without the secret (401) and a body that is not JSON (400), touching nothing", async () => {
    expect((await eventsFunction(processor)(request(JSON.stringify(updateEvent(USERS.noEmail)), {}), context())).status).toBe(401);
    expect(await eventsFunction(processor)(request("{ truncated"), context())).toMatchObject({ status: 400 });
    expect(dataverse.emulator.requests).toEqual([]);
    expect(JSON.stringify(logged)).not.toContain(SECRET);
  });

  it("accepts ?code= in WebhookKey mode, but never a repeated one", async () => {
    const keyed = processorOver(dataverse.url, { auth: { kind: "code", secret: SECRET } });
    try {
      const withCode = new HttpRequest({
        method: "POST",
        url: `http://localhost/dataverse/events?code=${SECRET}`,
        body: { string: JSON.stringify(updateEvent(USERS.noEmail)) },
      });
      expect((await eventsFunction(keyed)(withCode, context())).status).toBe(200);
      const repeated = new HttpRequest({
        method: "POST",
        url: `http://localhost/dataverse/events?code=${SECRET}&code=${SECRET}`,
        body: { string: JSON.stringify(updateEvent(USERS.noEmail)) },
      });
      expect((await eventsFunction(keyed)(repeated, context())).status).toBe(401);
    } finally {
      await keyed.close();
    }
  });

  it("answers 503 when Dataverse cannot be read, so Dataverse retries", async () => {
    dataverse.emulator.faults.add({ method: "GET", path: "^systemusers", status: 500, times: 1 });
    expect((await eventsFunction(processor)(request(JSON.stringify(updateEvent(USERS.noEmail))), context())).status).toBe(503);
  });

  it("reports readiness, and heals every service account on its timer", async () => {
    expect(healthFunction(processor)()).toEqual({ status: 200, jsonBody: { status: "ready", pendingUsers: 0 } });
    await healFunction(processor)({}, context());
    expect(dataverse.emulator.store.get("systemuser", USERS.licenceStillAssigned)?.svcacct_compliancestatus).toBe(
      COMPLIANCE_STATUS_VALUES["needs-attention"],
    );
    expect(logged).toContainEqual({ level: "information", args: ["heal done", { evaluated: 10, stamped: 10, failed: 0 }] });
  });

  it("streams requests, registers POST /dataverse/events and GET /health as anonymous HTTP functions, and the heal's timer every 6 hours unless told otherwise", async () => {
    const registered = async (env: Record<string, string>) => {
      const calls: { kind: string; name: string; options: Record<string, unknown> }[] = [];
      const saved = { ...process.env };
      Object.assign(process.env, { DATAVERSE_URL: dataverse.url, WEBHOOK_SECRET: SECRET, ...env });
      try {
        await jest.isolateModulesAsync(async () => {
          jest.doMock("@azure/functions", () => ({
            app: {
              setup: (options: Record<string, unknown>) => calls.push({ kind: "setup", name: "", options }),
              http: (name: string, options: Record<string, unknown>) => calls.push({ kind: "http", name, options }),
              timer: (name: string, options: Record<string, unknown>) => calls.push({ kind: "timer", name, options }),
            },
          }));
          await import("../../src/webhook/functionsEntry");
        });
      } finally {
        process.env = saved;
      }
      return calls.map(({ kind, name, options }) =>
        kind === "setup"
          ? { kind, options }
          : {
              kind,
              name,
              route: options.route,
              methods: options.methods,
              authLevel: options.authLevel,
              schedule: options.schedule,
            },
      );
    };
    const http = [
      // Streamed requests: the adapter checks the secret and the declared size before reading the body.
      { kind: "setup", options: { enableHttpStream: true } },
      { kind: "http", name: "dataverseEvents", route: "dataverse/events", methods: ["POST"], authLevel: "anonymous", schedule: undefined },
      { kind: "http", name: "health", route: "health", methods: ["GET"], authLevel: "anonymous", schedule: undefined },
    ];
    const timer = (schedule: string) => ({
      kind: "timer",
      name: "heal",
      route: undefined,
      methods: undefined,
      authLevel: undefined,
      schedule,
    });
    expect(await registered({})).toEqual([...http, timer("0 0 */6 * * *")]);
    expect(await registered({ RECONCILE_SCHEDULE: "0 30 2 * * *" })).toEqual([...http, timer("0 30 2 * * *")]);
    expect(await registered({ RECONCILE_SCHEDULE: "off" })).toEqual(http);
  });
});
