import { usageCounts } from "../../src/core/usage";
import { HttpDataverseClient } from "../../src/dataverse-node/httpClient";
import { ACCOUNTS_PER_READ, readUsageByAccount, usageCountQueries } from "../../src/dataverse-node/usageCounts";
import { readAccountUsage } from "../../src/dataverse/usageReader";
import { sampleOrg, USERS } from "../../src/emulator/sampleOrg";
import { startEmulator, type RunningEmulator } from "../support/emulator";
import { unsignedJwt } from "../support/fakeEntra";

const noToken = () => Promise.resolve(null);
const objectId = (systemUserId: string) => `${systemUserId.slice(0, 24)}aad${systemUserId.slice(27)}`;
const DAY_MS = 86_400_000;
const AUDITED = Object.values(USERS);

describe("what runs as an account, read from the emulator", () => {
  let server: RunningEmulator;
  beforeAll(async () => (server = await startEmulator()));
  beforeEach(() => server.emulator.reset());
  afterAll(() => server.close());

  const client = () => new HttpDataverseClient(server.url, noToken);
  /** A client signed in as a sample user: the emulator knows the caller from the token's oid. */
  const as = (userId: string) =>
    new HttpDataverseClient(server.url, () =>
      Promise.resolve(unsignedJwt({ aud: server.url, oid: objectId(userId), exp: Math.floor(Date.now() / 1000) + 3600 })),
    );

  it("lists ERP Integration's flows, workflows, action, plug-in steps and connection references, and its last access, in four requests", async () => {
    const dataverse = client();
    const usage = await readAccountUsage(dataverse, USERS.compliant, { lastAccess: true });
    expect(dataverse.counter.count).toBe(4);
    expect(usageCounts(usage)).toEqual({
      cloudFlows: { total: 12, on: 9 },
      classicWorkflows: { total: 2, on: 1 },
      actions: { total: 1, on: 1 },
      steps: { total: 2, on: 1 },
      connectionReferences: { total: 3, on: 3 },
    });
    expect("rows" in usage.processes && usage.processes.rows.map((row) => row.name)).toContain("Sync orders to ERP");
    expect("rows" in usage.steps && usage.steps.rows.map((row) => row.handler)).toContain("Contoso.Erp.Plugins.OrderSync");
    const last = usage.lastAccess && "value" in usage.lastAccess ? usage.lastAccess.value : null;
    expect(Date.now() - Date.parse(last ?? "")).toBeLessThan(DAY_MS);
  });

  it("says 'hidden', never zero, for each table the caller may not read", async () => {
    const usage = await readAccountUsage(as(USERS.salesNonAdmin), USERS.compliant, { lastAccess: true });
    expect(usage.processes).toEqual({ hidden: true });
    expect(usage.connectionReferences).toEqual({ hidden: true });
    expect(usage.lastAccess).toEqual({ hidden: true });
    expect(usageCounts(usage).cloudFlows).toBeNull();
  });

  it("counts every account's usage in four aggregate reads, grouped by owner", async () => {
    const dataverse = client();
    const usage = await readUsageByAccount(dataverse, new Date(Date.now() - 90 * DAY_MS), AUDITED);
    expect(dataverse.counter.count).toBe(4);
    expect(usage.counts(USERS.compliant)).toEqual({
      cloudFlows: { total: 12, on: 9 },
      classicWorkflows: { total: 2, on: 1 },
      actions: { total: 1, on: 1 },
      steps: { total: 2, on: 1 },
      connectionReferences: { total: 3, on: 3 },
    });
    expect(usage.counts(USERS.forbiddenRole)).toEqual({
      cloudFlows: { total: 0, on: 0 },
      classicWorkflows: { total: 0, on: 0 },
      actions: { total: 0, on: 0 },
      steps: { total: 0, on: 0 },
      connectionReferences: { total: 0, on: 0 },
    });
    expect(usage.lastAccess(USERS.forbiddenRole)).toEqual({ value: null });
    const billing = usage.lastAccess(USERS.licenceStillAssigned);
    expect(Math.round((Date.now() - Date.parse("value" in billing ? (billing.value ?? "") : "")) / DAY_MS)).toBe(10);
  });

  it("does not claim 'no access' where the org does not audit user access", async () => {
    const off = await startEmulator(() => sampleOrg({ userAccessAudit: false }));
    try {
      const usage = await readUsageByAccount(new HttpDataverseClient(off.url, noToken), new Date(Date.now() - 90 * DAY_MS), AUDITED);
      expect(usage.lastAccess(USERS.forbiddenRole)).toEqual({ problem: expect.stringMatching(/may not audit user access/) });
    } finally {
      await off.close();
    }
  });

  it("says which counts the caller cannot see", async () => {
    const usage = await readUsageByAccount(as(USERS.salesNonAdmin), new Date(Date.now() - 90 * DAY_MS), AUDITED);
    expect(usage.counts(USERS.compliant).cloudFlows).toBeNull();
    expect(usage.lastAccess(USERS.compliant)).toEqual({ hidden: true });
  });

  it("names at most 400 accounts per read, each read's URL well under Dataverse's 32 KB, four more reads per 400 beyond", async () => {
    const many = Array.from({ length: ACCOUNTS_PER_READ + 1 }, (_, index) => `5f000000-0000-4000-8000-${String(index).padStart(12, "0")}`);
    const longest = Math.max(
      ...Object.values(usageCountQueries(new Date(), many.slice(0, ACCOUNTS_PER_READ))).map((query) => query.length),
    );
    expect(`${server.url}/api/data/v9.2/workflows${longest}`.length).toBeLessThan(32_768);
    const dataverse = client();
    const usage = await readUsageByAccount(dataverse, new Date(Date.now() - 90 * DAY_MS), [USERS.compliant, ...many]);
    expect(dataverse.counter.count).toBe(8);
    expect(usage.counts(USERS.compliant).cloudFlows).toEqual({ total: 12, on: 9 });
  });
});
