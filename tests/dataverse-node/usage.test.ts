import { usageCounts } from "../../src/core/usage";
import { HttpDataverseClient } from "../../src/dataverse-node/httpClient";
import { ACCOUNTS_PER_READ, readAccountUsage, readUsage, usageQueries } from "../../src/dataverse/usageReader";
import { USERS } from "../../src/emulator/sampleOrg";
import { startEmulator, type RunningEmulator } from "../support/emulator";
import { unsignedJwt } from "../support/fakeEntra";

const noToken = () => Promise.resolve(null);
const objectId = (systemUserId: string) => `${systemUserId.slice(0, 24)}aad${systemUserId.slice(27)}`;
const DAY_MS = 86_400_000;
const NOTHING = { total: 0, on: 0 };

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

  it("reads every audited account in one read per table, and each one's last access in the window", async () => {
    const dataverse = client();
    const usage = await readUsage(dataverse, Object.values(USERS), { lastAccess: true, since: new Date(Date.now() - 90 * DAY_MS) });
    expect(dataverse.counter.count).toBe(4);
    expect(usageCounts(usage.get(USERS.compliant)!).cloudFlows).toEqual({ total: 12, on: 9 });
    const legacy = usage.get(USERS.forbiddenRole)!;
    expect(usageCounts(legacy)).toEqual({
      cloudFlows: NOTHING,
      classicWorkflows: NOTHING,
      actions: NOTHING,
      steps: NOTHING,
      connectionReferences: NOTHING,
    });
    expect(legacy.lastAccess).toEqual({ value: null });
    const billing = usage.get(USERS.licenceStillAssigned)!.lastAccess;
    expect(Math.round((Date.now() - Date.parse(billing && "value" in billing ? (billing.value ?? "") : "")) / DAY_MS)).toBe(10);
  });

  it("names at most 400 accounts per read, each read's URL under Dataverse's 32 KB, four more reads per 400 beyond", async () => {
    const many = Array.from({ length: ACCOUNTS_PER_READ + 1 }, (_, index) => `5f000000-0000-4000-8000-${String(index).padStart(12, "0")}`);
    const longest = Math.max(
      ...Object.values(usageQueries(many.slice(0, ACCOUNTS_PER_READ), new Date())).map((query) => encodeURI(query).length),
    );
    expect(`${server.url}/api/data/v9.2/sdkmessageprocessingsteps${longest}`.length).toBeLessThan(32_768);
    const dataverse = client();
    const usage = await readUsage(dataverse, [USERS.compliant, ...many], { lastAccess: true });
    expect(dataverse.counter.count).toBe(8);
    expect(usageCounts(usage.get(USERS.compliant)!).cloudFlows).toEqual({ total: 12, on: 9 });
  });
});
