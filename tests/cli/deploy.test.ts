import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import JSZip from "jszip";
import { failuresOf, importSolutionZip } from "../../src/cli/deploy";
import { HttpDataverseClient } from "../../src/dataverse-node/httpClient";
import { ROLE as ROLE_TABLE } from "../../src/emulator/metadata";
import { SALES_BU } from "../../src/emulator/sampleOrg";
import { CONTROL_DIRS, packageVersion, SOLUTION_DIR } from "../../src/solution/main";
import { packSolution, type PackedSolution } from "../../src/solution/pack";
import { CLI, run } from "../support/cli";
import { startEmulator, type RunningEmulator } from "../support/emulator";

const ROLE = "b499b172-2ac5-4e4b-9543-620812132e7c";

describe("svcacct deploy", () => {
  let dataverse: RunningEmulator;
  let packed: PackedSolution;
  let client: HttpDataverseClient;

  beforeAll(async () => {
    dataverse = await startEmulator();
    packed = await packSolution({ sourceDir: SOLUTION_DIR, controlDirs: CONTROL_DIRS, packageVersion: packageVersion() });
    client = new HttpDataverseClient(dataverse.url, () => Promise.resolve(null));
  });
  beforeEach(() => dataverse.emulator.reset());
  afterAll(() => dataverse?.close());

  it("imports the packed zip with a new import job, reporting progress, and the org has the role in every business unit", async () => {
    const progress: number[] = [];
    const outcome = await importSolutionZip(client, packed.unmanaged, (percent) => progress.push(percent), 2);
    expect(outcome).toMatchObject({ succeeded: true, failures: [] });
    expect(progress.at(-1)).toBe(100);
    expect(progress.length).toBeGreaterThan(1);
    const store = dataverse.emulator.store;
    expect(store.get("role", ROLE)).toMatchObject({ name: "Integration Service Account" });
    expect(
      [...store.rows(ROLE_TABLE)].filter((role) => role.name === "Integration Service Account" && role.businessunitid === SALES_BU),
    ).toHaveLength(2);
    expect(store.privilegesOfRole(ROLE).map((grant) => grant.name)).toEqual([
      "prvReadOrganization",
      "prvReadUser",
      "prvReadBusinessUnit",
      "prvReadRole",
      "prvReadTeam",
    ]);
    const job = store.get("importjob", outcome.importJobId);
    expect(job).toMatchObject({ progress: 100, solutionname: "ServiceAccountCompliance" });
  });

  it("reports each failed component in words", async () => {
    await importSolutionZip(client, packed.unmanaged, () => undefined, 2);
    const outcome = await importSolutionZip(client, packed.managed, () => undefined, 2);
    expect(outcome.succeeded).toBe(false);
    expect(outcome.failures).toEqual([
      { component: "solution", name: "ServiceAccountCompliance", text: expect.stringContaining("already installed as unmanaged") },
    ]);
  });

  it("names each control whose prefix does not match its publisher", async () => {
    const zip = await JSZip.loadAsync(packed.unmanaged);
    const solution = (await zip.file("solution.xml")!.async("string")).replace(
      "<CustomizationPrefix>svcacct<",
      "<CustomizationPrefix>contoso<",
    );
    zip.file("solution.xml", solution);
    const outcome = await importSolutionZip(client, await zip.generateAsync({ type: "nodebuffer" }), () => undefined, 2);
    expect(outcome.failures).toEqual([
      {
        component: "code component",
        name: "svcacct_ServiceAccounts.ServiceAccountPanel",
        text: expect.stringContaining("Publisher prefix contoso"),
      },
      {
        component: "code component",
        name: "svcacct_ServiceAccounts.ServiceAccountGridCustomizer",
        text: expect.stringContaining("Publisher prefix contoso"),
      },
    ]);
  });

  it("refuses a zip without its root files, saying which", async () => {
    const zip = await JSZip.loadAsync(packed.unmanaged);
    zip.remove("[Content_Types].xml");
    const outcome = await importSolutionZip(client, await zip.generateAsync({ type: "nodebuffer" }), () => undefined, 2);
    expect(outcome.error).toContain("must contain the following files at its root");
  });

  it("runs as a command and sets the exit code", async () => {
    const dir = mkdtempSync(join(tmpdir(), "svcacct-deploy-"));
    writeFileSync(join(dir, "unmanaged.zip"), packed.unmanaged);
    writeFileSync(join(dir, "managed.zip"), packed.managed);
    const ok = await run("node", [CLI, "deploy", "--url", dataverse.url, "--zip", join(dir, "unmanaged.zip")]);
    expect(ok.stderr).toContain("Imported (import job");
    await expect(run("node", [CLI, "deploy", "--url", dataverse.url, "--zip", join(dir, "managed.zip")])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        "failed: solution ServiceAccountCompliance: The solution ServiceAccountCompliance is already installed as unmanaged",
      ),
    });
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("failuresOf", () => {
  it("reads failed results anywhere in the log, named by their component", () => {
    const log = `<importexportxml><entities><entity id="systemuser" LocalizedName="User"><result result="success" errortext=""/></entity></entities>
      <nodes><node id="Roles"><role id="{x}" name="Sync"><result result="failure" errorcode="0x1" errortext="Privilege prvX does not exist."/></role></node></nodes></importexportxml>`;
    expect(failuresOf(log)).toEqual([{ component: "security role", name: "Sync", text: "Privilege prvX does not exist." }]);
  });
});
