import { Writable } from "stream";
import { HttpDataverseClient } from "../../src/dataverse-node/httpClient";
import { USERS } from "../../src/emulator/sampleOrg";
import { webhookConfig } from "../../src/webhook/config";
import { englishTexts } from "../../src/webhook/messageTexts";
import { membershipReaders } from "../../src/webhook/roleHolders";
import { createWebhookService, type WebhookService } from "../../src/webhook/server";
import { startEmulator, type RunningEmulator } from "../support/emulator";
import { updateEvent } from "../support/webhookPayloads";
import { rawRequest } from "./rawClient";

const SECRET = "a-secret-dataverse-sends-with-every-call";
const REQUEST_TIMEOUT_MS = 1_000;
// Node checks its timeouts once a second (connectionsCheckingInterval), so a cut comes at most a second late.
const CUT_WITHIN_MS = REQUEST_TIMEOUT_MS + 1_000 + 500;

describe("the webhook endpoint against slow and hostile clients", () => {
  let dataverse: RunningEmulator;
  const services: WebhookService[] = [];
  const logLines: string[] = [];

  const start = async (overrides: Record<string, string> = {}) => {
    const config = webhookConfig({
      WEBHOOK_SECRET: SECRET,
      DATAVERSE_URL: dataverse.url,
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      COALESCE_WINDOW_MS: "5",
      ...overrides,
    });
    const client = new HttpDataverseClient(dataverse.url, () => Promise.resolve(null));
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    const service = createWebhookService(config, { client, ...membershipReaders(client), texts: englishTexts(), logger: true, logStream });
    services.push(service);
    return service.app.listen({ host: "127.0.0.1", port: 0 });
  };
  let url: string;

  beforeAll(async () => {
    dataverse = await startEmulator();
    url = await start();
  });
  beforeEach(() => (logLines.length = 0));
  afterAll(async () => {
    await Promise.all(services.map((service) => service.close()));
    await dataverse?.close();
  });

  const head = (headers: Record<string, string>, path = "/dataverse/events") =>
    `POST ${path} HTTP/1.1\r\nHost: webhook\r\nContent-Type: application/json\r\n` +
    Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join("") +
    "\r\n";

  it("refuses an unauthenticated megabyte after its headers, without waiting for the body, and closes the connection", async () => {
    const exchange = rawRequest(url, head({ "Content-Length": "1000000" }));
    const closedAfter = await exchange.closed;
    expect(exchange.answer()).toMatch(/^HTTP\/1\.1 401 /);
    expect(exchange.answer()).toMatch(/connection: close/i);
    expect(closedAfter).toBeLessThan(500);
  });

  it("refuses a wrong secret the same way", async () => {
    const exchange = rawRequest(url, head({ "Content-Length": "1000000", "x-svcacct-key": "not-the-secret-at-all-not-the-secret" }));
    await exchange.closed;
    expect(exchange.answer()).toMatch(/^HTTP\/1\.1 401 /);
  });

  it("refuses a wrong ?code= before the body in code mode", async () => {
    const codeUrl = await start({ WEBHOOK_AUTH: "code" });
    const exchange = rawRequest(codeUrl, head({ "Content-Length": "1000000" }, "/dataverse/events?code=guess"));
    const closedAfter = await exchange.closed;
    expect(exchange.answer()).toMatch(/^HTTP\/1\.1 401 /);
    expect(closedAfter).toBeLessThan(500);
  });

  it("cuts an authenticated client that trickles its body within the request timeout", async () => {
    const exchange = rawRequest(url, head({ "Content-Length": "1000000", "x-svcacct-key": SECRET }));
    const trickle = setInterval(() => exchange.socket.writable && exchange.socket.write("{"), 200);
    const closedAfter = await exchange.closed;
    clearInterval(trickle);
    expect(closedAfter).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(closedAfter).toBeLessThan(CUT_WITHIN_MS);
  });

  it("cuts a client that trickles its headers within the header timeout", async () => {
    const exchange = rawRequest(url, "POST /dataverse/events HTTP/1.1\r\nHost: webhook\r\n");
    const trickle = setInterval(() => exchange.socket.writable && exchange.socket.write("X"), 200);
    const closedAfter = await exchange.closed;
    clearInterval(trickle);
    expect(closedAfter).toBeLessThan(CUT_WITHIN_MS);
  });

  it("cuts a connection that never sends a byte", async () => {
    const exchange = rawRequest(url, "");
    expect(await exchange.closed).toBeLessThan(CUT_WITHIN_MS);
  });

  it("still answers Dataverse while a slow client is being cut", async () => {
    const slow = rawRequest(url, head({ "Content-Length": "1000000", "x-svcacct-key": SECRET }));
    const response = await fetch(`${url}/dataverse/events`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-svcacct-key": SECRET },
      body: JSON.stringify(updateEvent(USERS.compliant)),
    });
    expect(response.status).toBe(200);
    await slow.closed;
  });

  it("logs a missed route by its path alone: a ?code= secret on a wrong path never reaches the log", async () => {
    const response = await fetch(`${url}/dataverse/events/?code=${SECRET}`, { method: "POST", body: "{}" });
    expect(response.status).toBe(404);
    expect(logLines.join("")).toContain('"path":"/dataverse/events/"');
    expect(logLines.join("")).not.toContain(SECRET);
  });

  it("refuses connections beyond its cap as soon as they are accepted", async () => {
    const cappedUrl = await start({ MAX_CONNECTIONS: "10" });
    const held = Array.from({ length: 10 }, () => rawRequest(cappedUrl, "POST /dataverse/events HTTP/1.1\r\n"));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const extra = rawRequest(cappedUrl, "");
    expect(await extra.closed).toBeLessThan(500);
    expect(extra.answer()).toBe("");
    held.forEach((exchange) => exchange.socket.destroy());
  });
});
