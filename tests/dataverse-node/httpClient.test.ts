import { HttpDataverseClient } from "../../src/dataverse-node/httpClient";
import { isLoopbackUrl, tokenProviderFor } from "../../src/dataverse-node/tokenProvider";
import { USERS } from "../../src/emulator/sampleOrg";
import { runDataverseClientContract } from "../contract/dataverseClientContract";
import { SAMPLE_ORG_CONTRACT } from "../contract/sampleOrgIds";
import { startEmulator, type RunningEmulator } from "../support/emulator";

describe("HttpDataverseClient", () => {
  let running: RunningEmulator;
  const noToken = () => Promise.resolve(null);
  const sleeps: number[] = [];
  const sleep = (ms: number) => {
    sleeps.push(ms);
    return Promise.resolve();
  };

  beforeAll(async () => (running = await startEmulator()));
  beforeEach(() => {
    running.emulator.reset();
    sleeps.length = 0;
  });
  afterAll(() => running?.close());

  it("meets the DataverseClient contract on the emulator, like the Xrm adapter", async () => {
    const results = await runDataverseClientContract(new HttpDataverseClient(running.url, noToken, { sleep }), SAMPLE_ORG_CONTRACT);
    expect(results.filter((result) => !result.passed)).toEqual([]);
  });

  it("sends If-None-Match: null on reads that expand, first pages and next links alike, and only there", async () => {
    const sent = jest.spyOn(global, "fetch");
    try {
      const client = new HttpDataverseClient(running.url, noToken, { sleep });
      const ifNoneMatch = () => (sent.mock.calls.at(-1)?.[1]?.headers as Record<string, string>)["If-None-Match"];
      await client.retrieve("systemuser", USERS.compliant, "?$select=fullname&$expand=systemuserroles_association($select=name)");
      expect(ifNoneMatch()).toBe("null");
      const page = await client.retrieveMultiple("systemuser", "?$select=fullname&$expand=systemuserroles_association($select=name)", 2);
      expect(ifNoneMatch()).toBe("null");
      await client.retrieveNextPage("systemuser", page.nextLink ?? "", 2);
      expect(ifNoneMatch()).toBe("null");
      await client.retrieve("systemuser", USERS.compliant, "?$select=fullname");
      expect(ifNoneMatch()).toBeUndefined();
    } finally {
      sent.mockRestore();
    }
  });

  it("waits the Retry-After Dataverse asks for, then succeeds", async () => {
    running.emulator.faults.add({ method: "GET", status: 429, retryAfter: 3 });
    const client = new HttpDataverseClient(running.url, noToken, { sleep });
    await expect(client.retrieve("systemuser", USERS.compliant, "?$select=fullname")).resolves.toMatchObject({
      fullname: "ERP Integration",
    });
    expect(sleeps).toEqual([3000]);
    expect(client.counter.count).toBe(2);
  });

  it("maps a 5xx and a dropped connection through the one error mapper", async () => {
    const client = new HttpDataverseClient(running.url, noToken, { sleep });
    running.emulator.faults.add({ status: 503 });
    await expect(client.retrieve("systemuser", USERS.compliant, "")).rejects.toMatchObject({ kind: "server", status: 503 });
    running.emulator.faults.add({ network: true });
    await expect(client.retrieve("systemuser", USERS.compliant, "")).rejects.toMatchObject({ kind: "network" });
  });

  it("sends the bearer token it is given", async () => {
    const seen: (string | undefined)[] = [];
    const original = globalThis.fetch;
    globalThis.fetch = ((url: string, init: RequestInit) => {
      seen.push((init.headers as Record<string, string>).Authorization);
      return original(url, init);
    }) as typeof fetch;
    try {
      await new HttpDataverseClient(running.url, () => Promise.resolve("t0ken")).retrieve(
        "systemuser",
        USERS.compliant,
        "?$select=fullname",
      );
    } finally {
      globalThis.fetch = original;
    }
    expect(seen).toEqual(["Bearer t0ken"]);
  });
});

describe("tokenProviderFor", () => {
  it("goes without a token to a loopback address when no credentials are set", async () => {
    expect(isLoopbackUrl("http://127.0.0.1:8181")).toBe(true);
    expect(isLoopbackUrl("http://localhost:8181")).toBe(true);
    expect(isLoopbackUrl("https://contoso.crm.dynamics.com")).toBe(false);
    await expect(tokenProviderFor("http://127.0.0.1:8181", {})()).resolves.toBeNull();
  });

  it("names the missing credentials for an online org", () => {
    expect(() => tokenProviderFor("https://contoso.crm.dynamics.com", { clientId: "app" })).toThrow(
      "Signing in to https://contoso.crm.dynamics.com needs client credentials: set TENANT_ID, CLIENT_SECRET.",
    );
  });
});
