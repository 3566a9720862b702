import { createServer, type Server } from "http";
import type { AddressInfo } from "net";
import { DEFAULT_POLICY } from "../../src/core/policy";
import type { DataverseClient, Page } from "../../src/dataverse/client";
import { isLoopbackUrl, secureUrl } from "../../src/dataverse-node/endpoints";
import { HttpDataverseClient } from "../../src/dataverse-node/httpClient";
import { USERS } from "../../src/emulator/sampleOrg";
import { connectGraph } from "../../src/graph/connection";
import { HttpGraphClient } from "../../src/graph/httpGraphClient";
import { BadgeStamper } from "../../src/webhook/badgeStamper";
import { englishTexts } from "../../src/webhook/messageTexts";
import { connect } from "../../src/cli/connection";
import { startEmulator, type RunningEmulator } from "../support/emulator";

/** A server on another origin that records what reaches it: a token must never. */
function bystander(): Promise<{ server: Server; url: string; authorizations: (string | undefined)[] }> {
  const authorizations: (string | undefined)[] = [];
  const server = createServer((request, response) => {
    authorizations.push(request.headers.authorization);
    response.writeHead(200, { "content-type": "application/json" }).end('{"value":[]}');
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, authorizations }),
    ),
  );
}

describe("where a token may go", () => {
  it("takes loopback from the host exactly: a name that starts with 127. is a name", () => {
    expect(isLoopbackUrl("http://127.evil.example")).toBe(false);
    expect(isLoopbackUrl("http://127.0.0.1.evil.example")).toBe(false);
    expect(isLoopbackUrl("http://localhost.evil.example")).toBe(false);
    expect(isLoopbackUrl("http://127.0.0.1:8181")).toBe(true);
    expect(isLoopbackUrl("http://127.1.2.3")).toBe(true);
    expect(isLoopbackUrl("http://[::1]:8181")).toBe(true);
    expect(isLoopbackUrl("http://LOCALHOST:8181")).toBe(true);
  });

  it("refuses an http:// org and Graph anywhere but this machine", () => {
    expect(() => secureUrl("http://contoso.crm.dynamics.com", "The org URL")).toThrow(
      'The org URL must be an https:// URL (plain http only for this machine: localhost, 127.0.0.1, ::1): "http://contoso.crm.dynamics.com".',
    );
    expect(() => connect({ url: "http://contoso.crm.dynamics.com" }, {})).toThrow(/must be an https:\/\/ URL/);
    expect(() => connect({ url: "http://127.evil.example" }, {})).toThrow(/must be an https:\/\/ URL/);
    expect(() => connect({ url: "ftp://127.0.0.1" }, {})).toThrow(/must be an https:\/\/ URL/);
    expect(() => connectGraph("http://graph.microsoft.com", null)).toThrow(/The Graph URL must be an https:\/\/ URL/);
  });
});

describe("next-page links are followed on the origin the token is for only", () => {
  let other: Awaited<ReturnType<typeof bystander>>;
  beforeAll(async () => (other = await bystander()));
  afterAll(() => new Promise((resolve) => other?.server.close(resolve)));

  it("Dataverse: a link to another origin is refused and nothing, token least of all, is sent there", async () => {
    const client = new HttpDataverseClient("https://contoso.crm.dynamics.com", () => Promise.resolve("org-token"));
    await expect(client.retrieveNextPage("systemuser", `${other.url}/api/data/v9.2/systemusers?$skiptoken=1`)).rejects.toThrow(
      `Dataverse gave a next-page link to ${other.url}, not https://contoso.crm.dynamics.com; it is not followed, so the token stays with https://contoso.crm.dynamics.com.`,
    );
    expect(other.authorizations).toEqual([]);
  });

  it("Microsoft Graph: the same", async () => {
    const graph = new HttpGraphClient("https://graph.microsoft.com", () => Promise.resolve("graph-token"));
    await expect(graph.get(`${other.url}/v1.0/users?$skiptoken=1`)).rejects.toThrow(
      /not followed, so the token stays with https:\/\/graph\.microsoft\.com/,
    );
    expect(other.authorizations).toEqual([]);
  });
});

describe("badge writes are conditional, always", () => {
  let dataverse: RunningEmulator;
  beforeAll(async () => (dataverse = await startEmulator()));
  afterAll(() => dataverse?.close());

  it("refuses to write a badge for a row read without its ETag, rather than send it without If-Match", async () => {
    const http = new HttpDataverseClient(dataverse.url, () => Promise.resolve(null));
    const withoutEtags = (page: Page): Page => ({
      ...page,
      rows: page.rows.map((row) => Object.fromEntries(Object.entries(row).filter(([name]) => name !== "@odata.etag"))),
    });
    const client: DataverseClient = Object.assign(Object.create(http) as HttpDataverseClient, {
      retrieveMultiple: async (...args: Parameters<HttpDataverseClient["retrieveMultiple"]>) =>
        withoutEtags(await http.retrieveMultiple(...args)),
    });
    dataverse.emulator.requests.length = 0;
    const [outcome] = await new BadgeStamper(client, DEFAULT_POLICY, englishTexts()).stampUsers([USERS.noEmail]);
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).toContain("was read without its version (@odata.etag), so its badge is not written");
    expect(dataverse.emulator.requests.filter((request) => request.method === "PATCH")).toEqual([]);
  });
});
