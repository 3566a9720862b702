import { unsignedJwt } from "../support/fakeEntra";
import { HttpDataverseClient } from "../../src/dataverse-node/httpClient";
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

  it("sends the bearer token it is given, which the org takes as the user it names", async () => {
    const oid = running.emulator.store.get("systemuser", USERS.admin)?.azureactivedirectoryobjectid;
    const token = unsignedJwt({ aud: running.url, exp: Math.floor(Date.now() / 1000) + 600, oid });
    running.emulator.requests.length = 0;
    await new HttpDataverseClient(running.url, () => Promise.resolve(token)).retrieve("systemuser", USERS.compliant, "?$select=fullname");
    expect(running.emulator.requests).toEqual([expect.objectContaining({ caller: USERS.admin })]);
  });

  it("hears 401 for a token of another org or an expired one, and 403 for someone not in the org", async () => {
    const later = Math.floor(Date.now() / 1000) + 600;
    const read = (claims: Record<string, unknown>) =>
      new HttpDataverseClient(running.url, () => Promise.resolve(unsignedJwt(claims))).retrieve("systemuser", USERS.compliant, "");
    await expect(read({ aud: "https://other.crm.dynamics.com", exp: later, oid: "x" })).rejects.toMatchObject({ kind: "unauthorized" });
    await expect(read({ aud: running.url, exp: 1, oid: "x" })).rejects.toMatchObject({ kind: "unauthorized", code: "0x8005f101" });
    await expect(read({ aud: running.url, exp: later, oid: "someone-else" })).rejects.toMatchObject({
      kind: "forbidden",
      code: "0x80072560",
      message: "The user is not a member of the organization.",
    });
  });
});
