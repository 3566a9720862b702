import { createServer, type Server } from "http";
import type { AddressInfo } from "net";
import { HttpRequest, InvocationContext } from "@azure/functions";
import { roleId, USERS } from "../../src/emulator/sampleOrg";
import { COMPLIANCE_STATUS_VALUES } from "../../src/webhook/badge";
import { eventsFunction } from "../../src/webhook/azureFunctions";
import { webhookFromEnvironment } from "../../src/webhook/environment";
import { createEventProcessor } from "../../src/webhook/eventHandler";
import { unsignedJwt } from "../support/fakeEntra";
import { startEmulator, type RunningEmulator } from "../support/emulator";
import { updateEvent } from "../support/webhookPayloads";

const SECRET = "a-secret-dataverse-sends-with-every-call";
const IDENTITY_HEADER = "a-header-the-platform-sets";
const APP_ID = "0d000000-0000-4000-8000-000000000001"; // the sample org's "# Data Platform App" application user

/**
 * App Service's managed identity endpoint as the platform gives it to a function app ("Managed
 * identities for App Service and Azure Functions", REST endpoint reference): IDENTITY_ENDPOINT and
 * IDENTITY_HEADER in the environment, `GET {IDENTITY_ENDPOINT}?resource=<uri>&api-version=2019-08-01`
 * with the `X-IDENTITY-HEADER` header, answered with `access_token`, `expires_on`, `resource`, `token_type`.
 */
function identityEndpoint(): Promise<{ server: Server; url: string; requests: URL[] }> {
  const requests: URL[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    requests.push(url);
    if (request.headers["x-identity-header"] !== IDENTITY_HEADER) {
      response.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: "bad header" }));
      return;
    }
    const resource = url.searchParams.get("resource") ?? "";
    const expiresOn = Math.floor(Date.now() / 1000) + 3600;
    response.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        access_token: unsignedJwt({ aud: resource, exp: expiresOn, appid: APP_ID, oid: "managed-identity-object-id" }),
        expires_on: String(expiresOn),
        resource,
        token_type: "Bearer",
      }),
    );
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/msi/token`, requests }),
    ),
  );
}

describe("the webhook in the Functions host signs in with the app's managed identity", () => {
  let dataverse: RunningEmulator;
  let identity: Awaited<ReturnType<typeof identityEndpoint>>;
  const saved = { ...process.env };

  beforeAll(async () => {
    dataverse = await startEmulator();
    identity = await identityEndpoint();
  });
  afterEach(() => {
    process.env = { ...saved };
  });
  afterAll(async () => {
    await dataverse?.close();
    await new Promise((resolve) => identity?.server.close(resolve));
  });

  it("takes a token from IDENTITY_ENDPOINT for the org, and the org acts as the application user it names", async () => {
    // The platform sets these for the whole process; MSAL reads them there.
    Object.assign(process.env, { IDENTITY_ENDPOINT: identity.url, IDENTITY_HEADER });
    // The webhook's application user needs to read users and write badges; System Administrator here for brevity.
    dataverse.emulator.store.associate(USERS.applicationUser, roleId("System Administrator"));
    const { config, dependencies } = webhookFromEnvironment(process.env, {
      WEBHOOK_SECRET: SECRET,
      DATAVERSE_URL: dataverse.url,
      RECONCILE_EVERY: "off",
      COALESCE_WINDOW_MS: "5",
    });
    expect(config.signIn.method).toBe("auto");
    const processor = createEventProcessor(config, dependencies);
    try {
      const request = new HttpRequest({
        method: "POST",
        url: "http://localhost/dataverse/events",
        headers: { "x-svcacct-key": SECRET },
        body: { string: JSON.stringify(updateEvent(USERS.noEmail)) },
      });
      const context = new InvocationContext({ invocationId: "inv-mi", functionName: "dataverseEvents", logHandler: () => undefined });
      expect(await eventsFunction(processor)(request, context)).toMatchObject({ status: 200, jsonBody: { evaluated: 1, stamped: 1 } });
    } finally {
      await processor.close();
    }
    expect(identity.requests.map((url) => [url.searchParams.get("resource"), url.searchParams.get("api-version")])).toEqual([
      [dataverse.url, "2019-08-01"],
    ]);
    expect(dataverse.emulator.requests.every((request) => request.caller === USERS.applicationUser)).toBe(true);
    expect(dataverse.emulator.store.get("systemuser", USERS.noEmail)?.svcacct_compliancestatus).toBe(
      COMPLIANCE_STATUS_VALUES["non-compliant"],
    );
  });
});
