import { USERS } from "../../src/emulator/sampleOrg";
import { CLI, run } from "../support/cli";
import { startEmulator, type RunningEmulator } from "../support/emulator";

describe("svcacct usage and the audit's usage columns", () => {
  let dataverse: RunningEmulator;
  beforeAll(async () => (dataverse = await startEmulator()));
  afterAll(() => dataverse.close());
  const cli = (...args: string[]) => run("node", [CLI, ...args, "--url", dataverse.url]);

  it("lists everything that runs as one account, found by user name, email or id", async () => {
    const { stdout, stderr } = await cli("usage", "svc-erp@contoso.com");
    expect(stdout).toMatch(/^ERP Integration \(svc-erp@contoso\.com, 5e000000-0000-4000-8000-000000000003\)$/m);
    expect(stdout).toMatch(/^Flows, workflows and actions it owns: 15$/m);
    expect(stdout).toMatch(/^ {2}Sync orders to ERP {2}cloud flow, on/m);
    expect(stdout).toMatch(/^Plug-in steps that run as it: 2$/m);
    expect(stdout).toMatch(/Contoso\.Erp\.Plugins\.OrderSync, on/);
    expect(stdout).toMatch(/^Connection references it owns: 3$/m);
    expect(stdout).toMatch(/^Last access: \d{4}-\d{2}-\d{2}T/m);
    expect(stderr).toContain("5 requests.");
    const byId = JSON.parse((await cli("usage", USERS.forbiddenRole, "--format", "json")).stdout) as Record<string, unknown>;
    expect(byId).toMatchObject({
      user: { fullname: "Legacy Import" },
      counts: { cloudFlows: { total: 0, on: 0 }, steps: { total: 0, on: 0 } },
      processes: { rows: [] },
      lastAccess: { value: null },
    });
  });

  it("says clearly when nobody, or more than one user, matches", async () => {
    await expect(cli("usage", "nobody@contoso.com")).rejects.toMatchObject({
      stderr: expect.stringContaining("No user is nobody@contoso.com (by id, user name or primary email)."),
    });
  });

  it("reports the counts per account and the unused accounts first, in at most 4 more requests", async () => {
    const served = () => dataverse.emulator.requests.length;
    let before = served();
    const { stdout } = await cli("audit", "--format", "json");
    const withUsage = served() - before;
    const report = JSON.parse(stdout) as {
      summary: { unused: number };
      accounts: {
        systemuserid: string;
        usage: {
          counts: { cloudFlows: { total: number; on: number } };
          lists: { processes: { name: string }[] };
          unused: boolean;
          lastAccess?: string | null;
        };
      }[];
    };
    const account = (id: string) => report.accounts.find((candidate) => candidate.systemuserid === id)!;
    expect(account(USERS.compliant).usage).toMatchObject({ counts: { cloudFlows: { total: 12, on: 9 } }, unused: false });
    expect(account(USERS.compliant).usage.lists.processes.map((process) => process.name)).toContain("Sync orders to ERP");
    expect(account(USERS.forbiddenRole).usage).toMatchObject({ unused: true, lastAccess: null });
    expect(report.summary.unused).toBeGreaterThanOrEqual(1);

    const table = (await cli("audit")).stdout;
    expect(table).toMatch(
      /^Warning, unused: nothing runs as them and no access in 90 days \(look at these first\)\n {2}Legacy Import \(svc-legacy@contoso\.com\)/,
    );
    expect(table).toMatch(/ERP Integration .*12 flows \(9 on\), 2 workflows \(1 on\), 1 actions \(1 on\), 2 steps \(1 on\), 3 conn\. refs/);

    before = served();
    await cli("audit", "--format", "json", "--no-usage");
    expect(withUsage - (served() - before)).toBe(4);
  });
});
