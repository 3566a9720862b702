import { mkdtempSync, readFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { runCli } from "../../src/cli/main";
import { USERS } from "../../src/emulator/sampleOrg";
import { fakeAzureCli } from "../support/fakeAzureCli";
import { fakeEntra } from "../support/fakeEntra";
import { startEmulator, type RunningEmulator } from "../support/emulator";

const TENANT = "72f988bf-0000-4000-8000-000000000047";

describe("svcacct audit signs in the way Azure tools do", () => {
  let dataverse: RunningEmulator;
  let adminObjectId: string;
  const out = () => join(mkdtempSync(join(tmpdir(), "svcacct-signin-")), "audit.json");
  const audited = (file: string) => JSON.parse(readFileSync(file, "utf8")) as { accounts: unknown[] };

  beforeAll(async () => {
    dataverse = await startEmulator();
    adminObjectId = String(dataverse.emulator.store.get("systemuser", USERS.admin)?.azureactivedirectoryobjectid);
  });
  beforeEach(() => dataverse.emulator.reset());
  afterEach(() => (process.exitCode = undefined));
  afterAll(() => dataverse?.close());

  it("with --auth azure-cli: the Azure CLI's token for the org, asked for once, and the org takes the admin it names", async () => {
    const az = fakeAzureCli(adminObjectId, TENANT);
    const uninstall = az.install();
    const file = out();
    try {
      await runCli(["node", "svcacct", "audit", "--url", dataverse.url, "--auth", "azure-cli", "--format", "json", "--out", file]);
    } finally {
      uninstall();
    }
    expect(audited(file).accounts.length).toBeGreaterThan(0);
    expect(az.runs()).toEqual([["account", "get-access-token", "--output", "json", "--resource", dataverse.url]]);
    const { requests } = dataverse.emulator;
    expect(requests.length).toBeGreaterThan(1);
    expect(requests.every((request) => request.caller === USERS.admin)).toBe(true);
  });

  it("with --auth device-code: the code shown once, delegated user_impersonation, and the org takes the admin", async () => {
    const entra = fakeEntra({ tenantId: TENANT, userObjectId: adminObjectId });
    const shown: string[] = [];
    const file = out();
    await runCli(
      [
        "node",
        "svcacct",
        "audit",
        "--url",
        dataverse.url,
        "--auth",
        "device-code",
        "--tenant-id",
        TENANT,
        "--format",
        "json",
        "--out",
        file,
      ],
      { httpClient: entra.httpClient, prompt: (line) => shown.push(line) },
    );
    expect(audited(file).accounts.length).toBeGreaterThan(0);
    expect(shown).toEqual([expect.stringContaining("https://microsoft.com/devicelogin")]);
    expect(entra.tokenRequests).toEqual([
      {
        grantType: "device_code",
        scope: `${dataverse.url}/user_impersonation`,
        clientId: "51f81489-12ee-4a9e-aaae-a2591f45987d",
        proof: "none",
      },
    ]);
    expect(dataverse.emulator.requests.every((request) => request.caller === USERS.admin)).toBe(true);
  });

  it("goes without a token to the loopback emulator when nothing is configured", async () => {
    const file = out();
    await runCli(["node", "svcacct", "audit", "--url", dataverse.url, "--format", "json", "--out", file], {});
    expect(audited(file).accounts.length).toBeGreaterThan(0);
    expect(dataverse.emulator.requests.some((request) => request.caller !== undefined)).toBe(false);
  });
});
