import { USERS } from "../../src/emulator/sampleOrg";
import { generateOrg } from "../../src/emulator/generateOrg";
import { readEntraFacts } from "../../src/graph/entraReader";
import { HttpGraphClient } from "../../src/graph/httpGraphClient";
import { startEmulator, type RunningEmulator } from "../support/emulator";

const objectId = (systemUserId: string) => `${systemUserId.slice(0, 24)}aad${systemUserId.slice(27)}`;
const noToken = () => Promise.resolve(null);

describe("reading Entra facts through the Graph emulator", () => {
  let server: RunningEmulator;
  beforeAll(async () => {
    server = await startEmulator();
  });
  beforeEach(() => server.emulator.reset());
  afterAll(() => server.close());

  const client = () => new HttpGraphClient(`${server.url}/graph`, noToken, { sleep: () => Promise.resolve() });

  it("reads password expiry, directory roles and licences of the sample users", async () => {
    const ids = [USERS.compliant, USERS.noEmail, USERS.forbiddenRole, USERS.licenceStillAssigned].map(objectId);
    const facts = await readEntraFacts(client(), ids);
    expect(facts.get(objectId(USERS.compliant))).toEqual({
      passwordExpiry: { value: { expires: false, because: "user-policy" } },
      directoryRoles: { value: [] },
      assignedLicenceCount: { value: 0 },
    });
    expect(facts.get(objectId(USERS.noEmail))?.passwordExpiry).toEqual({ value: { expires: true, validityDays: 90 } });
    expect(facts.get(objectId(USERS.forbiddenRole))?.directoryRoles).toEqual({ value: ["Global Administrator"] });
    expect(facts.get(objectId(USERS.licenceStillAssigned))?.assignedLicenceCount).toEqual({ value: 1 });
  });

  it("reads a domain that never expires passwords as never", async () => {
    server.emulator.graph.tenant.domains[0].passwordValidityPeriodInDays = 2147483647;
    const facts = await readEntraFacts(client(), [objectId(USERS.noEmail)]);
    expect(facts.get(objectId(USERS.noEmail))?.passwordExpiry).toEqual({ value: { expires: false, because: "domain-policy" } });
  });

  it("says a deleted Entra user (404) in words, without failing the others", async () => {
    const facts = await readEntraFacts(client(), [objectId(USERS.disabled), objectId(USERS.compliant)]);
    expect(facts.get(objectId(USERS.disabled))?.passwordExpiry).toEqual({
      problem: expect.stringMatching(/no longer exists in Microsoft Entra ID/),
    });
    expect(facts.get(objectId(USERS.compliant))?.directoryRoles).toEqual({ value: [] });
  });

  it("names the missing permission on 403", async () => {
    server.emulator.graph.permissions.delete("Domain.Read.All");
    const noDomains = await readEntraFacts(client(), [objectId(USERS.noEmail)]);
    expect(noDomains.get(objectId(USERS.noEmail))?.passwordExpiry).toEqual({
      problem: expect.stringMatching(/Domain\.Read\.All application permission/),
    });

    server.emulator.graph.permissions.delete("User.Read.All");
    const noUsers = await readEntraFacts(client(), [objectId(USERS.compliant)]);
    expect(noUsers.get(objectId(USERS.compliant))?.assignedLicenceCount).toEqual({
      problem: expect.stringMatching(/User\.Read\.All application permission/),
    });
  });

  it("says role names are hidden without RoleManagement.Read.Directory (Graph returns the roles with null properties)", async () => {
    server.emulator.graph.permissions.delete("RoleManagement.Read.Directory");
    const facts = await readEntraFacts(client(), [objectId(USERS.forbiddenRole), objectId(USERS.compliant)]);
    expect(facts.get(objectId(USERS.forbiddenRole))?.directoryRoles).toEqual({
      problem: expect.stringMatching(/RoleManagement\.Read\.Directory/),
    });
    expect(facts.get(objectId(USERS.compliant))?.directoryRoles).toEqual({ value: [] });
  });

  it("sends again, after Retry-After, the requests Graph throttled inside a batch", async () => {
    server.emulator.graph.throttle.unitsPer10s = 3;
    const waits: number[] = [];
    const graph = new HttpGraphClient(`${server.url}/graph`, noToken);
    const facts = await readEntraFacts(graph, [USERS.compliant, USERS.compliantMarketing, USERS.forbiddenRole].map(objectId), {
      onThrottled: (seconds) => waits.push(seconds),
      sleep: () => {
        server.emulator.graph.throttle.unitsPer10s = 3500; // the window passed
        return Promise.resolve();
      },
    });
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(1);
    expect(facts.get(objectId(USERS.forbiddenRole))?.directoryRoles).toEqual({ value: ["Global Administrator"] });
    expect(server.emulator.graph.calls.filter((call) => call.path === "/$batch")).toHaveLength(2);
  });

  it("reports throttling that does not end in words, never throwing", async () => {
    server.emulator.graph.throttle.unitsPer10s = 0;
    const facts = await readEntraFacts(client(), [objectId(USERS.compliant)], { sleep: () => Promise.resolve() });
    expect(facts.get(objectId(USERS.compliant))?.passwordExpiry).toEqual({ problem: expect.stringMatching(/throttl/) });
  });

  it("reports an unreachable Graph in words for every user", async () => {
    const facts = await readEntraFacts(new HttpGraphClient("http://127.0.0.1:9/graph", noToken), [objectId(USERS.compliant)]);
    expect(facts.get(objectId(USERS.compliant))?.passwordExpiry).toEqual({ problem: expect.stringMatching(/cannot be reached/) });
  });
});

describe("Graph calls of an audit", () => {
  it("costs ceil(2N/20) batches plus one domains read for N users", async () => {
    const org = generateOrg({ users: 45, roleAssignments: 0 });
    const server = await startEmulator(() => org);
    try {
      const ids = org.systemusers.filter((row) => !row.applicationid).map((row) => String(row.azureactivedirectoryobjectid));
      const graph = new HttpGraphClient(`${server.url}/graph`, noToken);
      const facts = await readEntraFacts(graph, ids);
      expect(facts.size).toBe(ids.length);
      expect(graph.counter.count).toBeLessThanOrEqual(Math.ceil(ids.length / 20) * 2 + 1);
      expect(server.emulator.graph.calls.every((call) => call.items <= 20)).toBe(true);
    } finally {
      await server.close();
    }
  });
});
