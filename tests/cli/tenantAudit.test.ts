import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { CLI, run } from "../support/cli";
import { startTenantEmulator, type RunningTenant } from "../support/tenant";

interface TenantJson {
  environments: {
    environment: { name: string; id: string; url: string; type: string };
    status: "read" | "failed";
    requests?: number;
    problem?: string;
    summary?: { compliant: number; needsAttention: number; nonCompliant: number; nonInteractiveUsed: number; nonInteractiveMax: number };
    accounts?: { environmentName: string; environmentId: string; status: string }[];
  }[];
}

describe("svcacct audit --all-environments", () => {
  let tenant: RunningTenant;
  let dir: string;
  beforeAll(async () => {
    tenant = await startTenantEmulator();
    dir = mkdtempSync(join(tmpdir(), "svcacct-tenant-"));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await tenant.close();
  });
  const cli = (...args: string[]) =>
    run("node", [CLI, "audit", "--all-environments", "--admin-url", tenant.adminUrl, ...args]).then(
      (result) => ({ ...result, code: 0 }),
      (error: { stdout: string; stderr: string; code: number }) => ({ stdout: error.stdout, stderr: error.stderr, code: error.code }),
    );

  /** The JSON report of a full run, shared by the tests that read it (each run spawns the CLI). */
  let full: { stdout: string; stderr: string; code: number } | undefined;
  const fullRun = async () => (full ??= await cli("--format", "json"));

  it("audits every environment with Dataverse, reports the one it may not read with its reason, and exits 0", async () => {
    const { stdout, stderr, code } = await fullRun();
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as TenantJson;
    const names = report.environments.map((each) => each.environment.name).sort();
    expect(names).toEqual(["Contoso (default)", "Contoso Dev", "Contoso Finance", "Contoso Test"]);
    const finance = report.environments.find((each) => each.environment.name === "Contoso Finance")!;
    expect(finance).toMatchObject({ status: "failed", problem: expect.stringMatching(/not a member of the organization|permission/i) });
    const test = report.environments.find((each) => each.environment.name === "Contoso Test")!;
    expect(test.summary).toMatchObject({ nonInteractiveMax: 7 });
    for (const each of report.environments.filter((one) => one.status === "read"))
      expect(
        each.accounts!.every(
          (account) => account.environmentId === each.environment.id && account.environmentName === each.environment.name,
        ),
      ).toBe(true);
    expect(stderr).toContain("3 of 4 environments read; not read: Contoso Finance.");
  });

  it("exits 1 with --strict when an environment was not read, and 2 with --fail-on", async () => {
    expect((await cli("--format", "json", "--strict")).code).toBe(1);
    expect((await cli("--format", "json", "--fail-on", "non-compliant")).code).toBe(2);
  });

  it("writes CSV with the environment on every row", async () => {
    const { stdout } = await cli("--format", "csv", "--no-usage");
    const [header, ...rows] = stdout.trim().split("\n");
    expect(header).toMatch(/^environmentName,environmentId,environmentUrl,environmentType,/);
    expect(rows.some((row) => row.startsWith("Contoso Finance,") && row.includes("not read:"))).toBe(true);
  });

  it("audits only the environments named, and refuses a name the tenant does not have", async () => {
    const { stdout } = await run("node", [
      CLI,
      "audit",
      "--environments",
      "Contoso Dev",
      "--admin-url",
      tenant.adminUrl,
      "--format",
      "json",
    ]);
    expect((JSON.parse(stdout) as TenantJson).environments.map((each) => each.environment.name)).toEqual(["Contoso Dev"]);
    await expect(run("node", [CLI, "audit", "--environments", "Nowhere", "--admin-url", tenant.adminUrl])).rejects.toMatchObject({
      stderr: expect.stringContaining("No environment of the tenant is named Nowhere"),
    });
  });

  it("resumes from an interrupted JSON report, auditing only what it lacks", async () => {
    const { stdout: report } = await fullRun();
    const lines = report.split("\n");
    // Interrupted after its first environment: the opening line and one environment line.
    const partial = join(dir, "partial.json");
    writeFileSync(partial, `${lines[0]}\n${lines[1].replace(/,$/, "")},\n`);
    const first = (JSON.parse(lines[1].replace(/,$/, "")) as TenantJson["environments"][number]).environment.name;
    const out = join(dir, "resumed.json");
    await cli("--format", "json", "--resume", partial, "--out", out);
    const resumed = JSON.parse(readFileSync(out, "utf8")) as TenantJson;
    expect(resumed.environments.map((each) => each.environment.name).sort()).toEqual(
      (JSON.parse(report) as TenantJson).environments.map((each) => each.environment.name).sort(),
    );
    // The first comes from the earlier report, unread (no request); the others were audited now.
    expect(resumed.environments[0]).toMatchObject({ environment: { name: first }, requests: 0 });
    expect(
      resumed.environments
        .slice(1)
        .filter((each) => each.status === "read")
        .every((each) => (each.requests ?? 0) > 0),
    ).toBe(true);
  });

  it("prints one line per environment on a terminal, and refuses an HTML report of one org", async () => {
    const { stdout } = await cli("--no-usage");
    expect(stdout).toMatch(
      /^Contoso Test \(Sandbox\): \d+ non-compliant, \d+ need attention, \d+ compliant; non-interactive users \d+ of 7$/m,
    );
    expect(stdout).toMatch(/^Contoso Finance \(Production\): not read: /m);
    expect(stdout).toMatch(/^3 of 4 environments read\.$/m);
    await expect(run("node", [CLI, "audit", "--url", tenant.instanceUrl("x"), "--format", "html"])).rejects.toMatchObject({
      stderr: expect.stringContaining("--format html reports a tenant: add --all-environments or --environments."),
    });
  });
});
