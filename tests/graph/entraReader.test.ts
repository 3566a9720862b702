import { USERS } from "../../src/emulator/sampleOrg";
import { generateOrg } from "../../src/emulator/generateOrg";
import { readEntraFacts, type EntraSubjects } from "../../src/graph/entraReader";
import { HttpGraphClient } from "../../src/graph/httpGraphClient";
import { startEmulator, type RunningEmulator } from "../support/emulator";

const objectId = (systemUserId: string) => `${systemUserId.slice(0, 24)}aad${systemUserId.slice(27)}`;
const noToken = () => Promise.resolve(null);
const DATA_PLATFORM_APP = "0d000000-0000-4000-8000-000000000001";
const ROLE_MANAGER_APP = "0d000000-0000-4000-8000-000000000002";
const users = (...ids: string[]): EntraSubjects => ({ users: ids.map(objectId), applications: [] });
const DAY_MS = 86_400_000;

describe("reading Entra facts through the Graph emulator", () => {
  let server: RunningEmulator;
  beforeAll(async () => {
    server = await startEmulator();
  });
  beforeEach(() => server.emulator.reset());
  afterAll(() => server.close());

  const client = () => new HttpGraphClient(`${server.url}/graph`, noToken, { sleep: () => Promise.resolve() });
  const read = (subjects: EntraSubjects) => readEntraFacts(client(), subjects, { sleep: () => Promise.resolve() });
  const daysAgo = (iso: string | null | undefined) => (iso ? Math.round((Date.now() - Date.parse(iso)) / DAY_MS) : null);

  it("reads password expiry, directory roles, licences, password age, sign-ins and MFA coverage of the sample users", async () => {
    const facts = (await read(users(USERS.compliant, USERS.noEmail, USERS.forbiddenRole, USERS.licenceStillAssigned))).users;
    const erp = facts.get(objectId(USERS.compliant))!;
    expect(erp).toMatchObject({
      passwordExpiry: { value: { expires: false, because: "user-policy" } },
      directoryRoles: { value: [] },
      assignedLicenceCount: { value: 0 },
      mfa: { value: { requiring: [{ name: "Require MFA for all users", reportOnly: false }], excludedFrom: [], securityDefaults: false } },
    });
    expect("value" in erp.signIns && erp.signIns.value.lastInteractive).toBeNull();
    expect(facts.get(objectId(USERS.noEmail))?.passwordExpiry).toEqual({ value: { expires: true, validityDays: 90 } });
    const warehouse = facts.get(objectId(USERS.noEmail))!.passwordChangedOn;
    expect(daysAgo("value" in warehouse ? warehouse.value : null)).toBe(500);
    expect(facts.get(objectId(USERS.forbiddenRole))?.directoryRoles).toEqual({ value: ["Global Administrator"] });
    const legacy = facts.get(objectId(USERS.forbiddenRole))!.signIns;
    expect(daysAgo("value" in legacy ? legacy.value.lastSuccessful : null)).toBe(200);
    expect(facts.get(objectId(USERS.licenceStillAssigned))?.assignedLicenceCount).toEqual({ value: 1 });
  });

  it("sees the interactive sign-in on Sales Connector and Marketing Sync's exclusion through its group", async () => {
    const facts = (await read(users(USERS.wrongBusinessUnit, USERS.compliantMarketing))).users;
    const sales = facts.get(objectId(USERS.wrongBusinessUnit))!.signIns;
    expect(daysAgo("value" in sales ? sales.value.lastInteractive : null)).toBe(3);
    expect(facts.get(objectId(USERS.compliantMarketing))?.mfa).toEqual({
      value: { requiring: [], excludedFrom: [{ name: "Require MFA for all users", reportOnly: false }], securityDefaults: false },
    });
  });

  it("reads the application users' app registrations: credentials, owners, federated credentials", async () => {
    const facts = (await read({ users: [], applications: [DATA_PLATFORM_APP, ROLE_MANAGER_APP] })).applications;
    const dataPlatform = facts.get(DATA_PLATFORM_APP)!.registration;
    expect(dataPlatform).toMatchObject({ value: { kind: "registered", ownerCount: 1, federatedCredentialCount: 0 } });
    const roleManager = facts.get(ROLE_MANAGER_APP)!.registration;
    expect(roleManager).toMatchObject({ value: { kind: "registered", ownerCount: 0 } });
    const secret = "value" in roleManager && roleManager.value.kind === "registered" ? roleManager.value.credentials[0] : null;
    expect(secret?.type).toBe("secret");
    expect(-daysAgo(secret?.endsOn)!).toBe(10);
  });

  it("reads a domain that never expires passwords as never, and one without a validity as Graph's default of 90 days", async () => {
    server.emulator.graph.tenant.domains[0].passwordValidityPeriodInDays = 2147483647;
    let facts = (await read(users(USERS.noEmail))).users;
    expect(facts.get(objectId(USERS.noEmail))?.passwordExpiry).toEqual({ value: { expires: false, because: "domain-policy" } });
    server.emulator.graph.tenant.domains[0].passwordValidityPeriodInDays = null;
    facts = (await read(users(USERS.noEmail))).users;
    expect(facts.get(objectId(USERS.noEmail))?.passwordExpiry).toEqual({ value: { expires: true, validityDays: 90 } });
  });

  it("says a deleted Entra user (404) in words, with Graph's code, without failing the others", async () => {
    const facts = (await read(users(USERS.disabled, USERS.compliant))).users;
    expect(facts.get(objectId(USERS.disabled))?.passwordExpiry).toEqual({
      problem: expect.stringMatching(/no longer exists in Microsoft Entra ID.*Request_ResourceNotFound/),
    });
    expect(facts.get(objectId(USERS.compliant))?.directoryRoles).toEqual({ value: [] });
  });

  it("names the missing permission on 403, per check", async () => {
    server.emulator.graph.permissions.delete("Domain.Read.All");
    server.emulator.graph.permissions.delete("AuditLog.Read.All");
    server.emulator.graph.permissions.delete("Policy.Read.All");
    const facts = (await read(users(USERS.noEmail))).users.get(objectId(USERS.noEmail))!;
    expect(facts.passwordExpiry).toEqual({ problem: expect.stringMatching(/Domain\.Read\.All application permission/) });
    expect(facts.signIns).toEqual({ problem: expect.stringMatching(/AuditLog\.Read\.All application permission/) });
    expect(facts.mfa).toEqual({ problem: expect.stringMatching(/Policy\.Read\.All application permission/) });
    expect(facts.passwordChangedOn).toHaveProperty("value");

    server.emulator.graph.permissions.delete("Application.Read.All");
    const app = (await read({ users: [], applications: [DATA_PLATFORM_APP] })).applications.get(DATA_PLATFORM_APP)!;
    expect(app.registration).toEqual({ problem: expect.stringMatching(/Application\.Read\.All application permission/) });

    server.emulator.graph.permissions.delete("User.Read.All");
    const noUsers = (await read(users(USERS.compliant))).users;
    expect(noUsers.get(objectId(USERS.compliant))?.assignedLicenceCount).toEqual({
      problem: expect.stringMatching(/User\.Read\.All application permission/),
    });
  });

  it("says the tenant lacks Entra ID P1/P2 with Graph's own code", async () => {
    server.emulator.graph.tenant.premium = false;
    const facts = (await read(users(USERS.compliant))).users.get(objectId(USERS.compliant))!;
    expect(facts.signIns).toEqual({ problem: expect.stringContaining("Authentication_RequestFromNonPremiumTenantOrB2CTenant") });
  });

  it("says role names are hidden without RoleManagement.Read.Directory (Graph returns the roles with null properties)", async () => {
    server.emulator.graph.permissions.delete("RoleManagement.Read.Directory");
    const facts = (await read(users(USERS.forbiddenRole, USERS.compliant))).users;
    expect(facts.get(objectId(USERS.forbiddenRole))?.directoryRoles).toEqual({
      problem: expect.stringMatching(/RoleManagement\.Read\.Directory/),
    });
    expect(facts.get(objectId(USERS.compliant))?.directoryRoles).toEqual({ value: [] });
  });

  it("sends again, after Retry-After, the requests Graph throttled inside a batch", async () => {
    server.emulator.graph.throttle.unitsPer10s = 3;
    const waits: number[] = [];
    const graph = new HttpGraphClient(`${server.url}/graph`, noToken);
    const facts = await readEntraFacts(graph, users(USERS.compliant, USERS.compliantMarketing, USERS.forbiddenRole), {
      onThrottled: (seconds) => waits.push(seconds),
      sleep: () => {
        server.emulator.graph.throttle.unitsPer10s = 3500; // the window passed
        return Promise.resolve();
      },
    });
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(1);
    expect(facts.users.get(objectId(USERS.forbiddenRole))?.directoryRoles).toEqual({ value: ["Global Administrator"] });
    expect(server.emulator.graph.calls.filter((call) => call.path === "/$batch")).toHaveLength(2);
  });

  it("reports throttling that does not end in words, never throwing", async () => {
    server.emulator.graph.throttle.unitsPer10s = 0;
    const facts = await read(users(USERS.compliant));
    expect(facts.users.get(objectId(USERS.compliant))?.passwordExpiry).toEqual({ problem: expect.stringMatching(/throttl/) });
  });

  it("reports an unreachable Graph in words for every user and application", async () => {
    const facts = await readEntraFacts(new HttpGraphClient("http://127.0.0.1:9/graph", noToken), {
      users: [objectId(USERS.compliant)],
      applications: [DATA_PLATFORM_APP],
    });
    expect(facts.users.get(objectId(USERS.compliant))?.passwordExpiry).toEqual({ problem: expect.stringMatching(/cannot be reached/) });
    expect(facts.applications.get(DATA_PLATFORM_APP)?.registration).toEqual({ problem: expect.stringMatching(/cannot be reached/) });
  });
});

describe("Graph calls of an audit", () => {
  it("costs ceil((3N + 3)/20) batches for N users: the tenant-wide reads ride in the first", async () => {
    const org = generateOrg({ users: 45, roleAssignments: 0 });
    const server = await startEmulator(() => org);
    try {
      const ids = org.systemusers.filter((row) => !row.applicationid).map((row) => String(row.azureactivedirectoryobjectid));
      const graph = new HttpGraphClient(`${server.url}/graph`, noToken);
      const facts = await readEntraFacts(graph, { users: ids, applications: [] });
      expect(facts.users.size).toBe(ids.length);
      expect(graph.counter.count).toBe(Math.ceil((3 * ids.length + 3) / 20));
      expect(server.emulator.graph.calls.every((call) => call.items <= 20)).toBe(true);
    } finally {
      await server.close();
    }
  });
});
