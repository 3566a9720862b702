import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { describeShape, documentedRowFor, DOCUMENTED_SHAPES, shapeOf } from "../../src/emulator/requestShapes";
import { sampleOrgBeforeImport, USERS } from "../../src/emulator/sampleOrg";
import { CONTROL_DIRS, packageVersion, SOLUTION_DIR } from "../../src/solution/main";
import { packSolution } from "../../src/solution/pack";
import { CLI, run } from "../support/cli";
import { BASE, ODATA_HEADERS, startEmulator, type RunningEmulator } from "../support/emulator";

describe("the emulator's documented request shapes", () => {
  let running: RunningEmulator;
  beforeAll(async () => (running = await startEmulator(sampleOrgBeforeImport, 2)));
  afterAll(() => running?.close());

  it("gives every row a Microsoft Learn source, and no two rows the same method and path", () => {
    for (const row of DOCUMENTED_SHAPES)
      expect(row.source).toMatch(/^https:\/\/learn\.microsoft\.com\/power-apps\/developer\/data-platform\/webapi\/\S+$/);
    const keys = DOCUMENTED_SHAPES.map((row) => `${row.method} ${row.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("describes a request by method, path with keys as (<id>), query options and the headers that matter", () => {
    const shape = shapeOf("get", `systemusers(${USERS.compliant})?$select=fullname&$expand=x`, {
      prefer: 'odata.include-annotations="*"',
      "if-none-match": "null",
      accept: "application/json",
    });
    expect(describeShape(shape)).toBe("GET systemusers(<id>)?$expand&$select [If-None-Match; Prefer: odata.include-annotations]");
  });

  it.each([
    ["$skip, which Dataverse does not support", "GET", "systemusers?$select=fullname&$skip=2", {}],
    ["odata.maxpagesize on a single row", "GET", `systemusers(${USERS.compliant})?$select=fullname`, { prefer: "odata.maxpagesize=5" }],
    ["If-Match on a read of a collection", "GET", "roles?$select=name", { "if-match": "*" }],
    ["DELETE of a user", "DELETE", `systemusers(${USERS.compliant})`, {}],
  ])("refuses an undocumented shape with 400 and names it: %s", async (_label, method, path, headers) => {
    const response = await fetch(running.url + BASE + path, { method, headers: { ...ODATA_HEADERS, ...headers } });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("0x80060888");
    expect(body.error.message).toContain(`${method} `);
    expect(body.error.message).toContain("src/emulator/requestShapes.ts");
  });

  it("still answers an unknown resource with Dataverse's 404", async () => {
    expect((await fetch(`${running.url}${BASE}contacts?$select=fullname`, { headers: ODATA_HEADERS })).status).toBe(404);
  });

  it("accepts every shape the CLI sends (deploy, publish, webhook registration, audit) and each is a documented row", async () => {
    const packed = await packSolution({ sourceDir: SOLUTION_DIR, controlDirs: CONTROL_DIRS, packageVersion: packageVersion() });
    const dir = mkdtempSync(join(tmpdir(), "svcacct-shapes-"));
    running.emulator.shapes.clear(); // the refusals above sent undocumented shapes on purpose
    const webhook = ["--webhook-endpoint", "https://hooks.example.test/dataverse/events"];
    try {
      writeFileSync(join(dir, "unmanaged.zip"), packed.unmanaged);
      writeFileSync(join(dir, "managed.zip"), packed.managed);
      const env = { ...process.env, WEBHOOK_SECRET: "a-secret-of-at-least-thirty-two-characters" };
      const cli = (...args: string[]) => run("node", [CLI, ...args, "--url", running.url], { env });
      await cli("deploy", "--zip", join(dir, "unmanaged.zip"), ...webhook);
      await cli("register-webhook", "--endpoint", "https://hooks.example.test/dataverse/events");
      await cli("audit", "--format", "json", "--out", join(dir, "audit.json"));
      running.emulator.reset();
      await cli("deploy", "--zip", join(dir, "managed.zip"), ...webhook);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const seen = [...running.emulator.shapes.values()];
    const undocumented = seen.filter((shape) => !documentedRowFor(shape)).map(describeShape);
    expect(undocumented).toEqual([]);
    const described = seen.map(describeShape);
    for (const expected of [
      "POST ImportSolution",
      "POST PublishXml",
      "POST AddSolutionComponent",
      "POST solutions",
      "GET RetrieveOrganizationResources()",
    ])
      expect(described.some((shape) => shape.startsWith(expected))).toBe(true);
  });
});
