/** @jest-environment node */
import { execFileSync } from "child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, relative } from "path";
import JSZip from "jszip";
import { CONTROL_DIR, packageVersion, SOLUTION_DIR } from "../../src/solution/main";
import { packSolution, type PackedSolution } from "../../src/solution/pack";
import { unpackSolution } from "../../src/solution/unpack";
import { descendants, parseXml, textContent } from "../../src/solution/xml";

const SCHEMA = join(__dirname, "..", "..", "..", "shared", "schemas", "customizations-9.0.0.2090", "CustomizationsSolution.xsd");
const CONTROL = "svcacct_ServiceAccounts.ServiceAccountPanel";

let packed: PackedSolution;
let scratch: string;

beforeAll(async () => {
  packed = await packSolution({ sourceDir: SOLUTION_DIR, controlDir: CONTROL_DIR, packageVersion: packageVersion() });
  scratch = mkdtempSync(join(tmpdir(), "svcacct-pack-"));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function entry(zip: Buffer, path: string): Promise<string> {
  const file = (await JSZip.loadAsync(zip)).file(path);
  if (!file) throw new Error(`${path} not in zip`);
  return file.async("string");
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe("the packed solution", () => {
  it("holds exactly the files Dataverse expects, at the root and under Controls/, with forward slashes", async () => {
    for (const zip of [packed.unmanaged, packed.managed]) {
      const names = Object.keys((await JSZip.loadAsync(zip)).files);
      expect(names).toEqual([
        "[Content_Types].xml",
        "solution.xml",
        "customizations.xml",
        `Controls/${CONTROL}/ControlManifest.xml`,
        `Controls/${CONTROL}/bundle.js`,
        `Controls/${CONTROL}/strings/ServiceAccountPanel.1033.resx`,
        `Controls/${CONTROL}/strings/ServiceAccountPanel.1036.resx`,
      ]);
    }
  });

  it("validates customizations.xml of both zips against the customization schema", async () => {
    for (const [name, zip] of [["unmanaged", packed.unmanaged], ["managed", packed.managed]] as const) {
      const file = join(scratch, `${name}-customizations.xml`);
      writeFileSync(file, await entry(zip, "customizations.xml"));
      // xmllint exits non-zero, with the reason, when the file does not validate.
      expect(execFileSync("xmllint", ["--noout", "--schema", SCHEMA, file], { encoding: "utf8", stdio: "pipe" })).toBe("");
    }
  });

  it("marks one zip unmanaged and the other managed", async () => {
    expect(await entry(packed.unmanaged, "solution.xml")).toContain("<Managed>0</Managed>");
    expect(await entry(packed.managed, "solution.xml")).toContain("<Managed>1</Managed>");
  });

  it("is deterministic: packing again gives the same bytes", async () => {
    const again = await packSolution({ sourceDir: SOLUTION_DIR, controlDir: CONTROL_DIR, packageVersion: packageVersion() });
    expect(again.unmanaged.equals(packed.unmanaged)).toBe(true);
    expect(again.managed.equals(packed.managed)).toBe(true);
  });

  it("carries the package version in the solution and the control", async () => {
    const version = packageVersion();
    expect(await entry(packed.unmanaged, "solution.xml")).toContain(`<Version>${version}.0</Version>`);
    expect(await entry(packed.unmanaged, `Controls/${CONTROL}/ControlManifest.xml`)).toContain(`version="${version}"`);
  });

  it("ships the production bundle and the processed manifest, not the input manifest", async () => {
    expect(await entry(packed.unmanaged, `Controls/${CONTROL}/bundle.js`)).not.toContain("eval(");
    const manifest = await entry(packed.unmanaged, `Controls/${CONTROL}/ControlManifest.xml`);
    expect(manifest).toContain('<code path="bundle.js"');
  });

  it("keeps the cross references consistent", async () => {
    const customizations = parseXml(await entry(packed.unmanaged, "customizations.xml"), "customizations.xml").root;
    const solution = parseXml(await entry(packed.unmanaged, "solution.xml"), "solution.xml").root;
    const nodes = [...descendants(customizations)];
    const roots = [...descendants(solution)].filter((node) => node.name === "RootComponent").map((node) => node.attributes);

    expect(roots).toEqual([
      { type: "1", schemaName: "systemuser", behavior: "2" },
      { type: "20", id: expect.any(String), behavior: "0" },
      { type: "60", id: expect.any(String), behavior: "0" },
      { type: "66", schemaName: CONTROL, behavior: "0" },
    ]);
    const role = nodes.find((node) => node.name === "Role");
    expect(role?.attributes.id).toBe(roots[1].id);
    expect(textContent(nodes.find((node) => node.name === "formid")!)).toBe(roots[2].id);
    expect(textContent(nodes.find((node) => node.name === "CustomControl")!.children[0] as never)).toBe(CONTROL);
    expect(nodes.filter((node) => node.name === "FileName").map(textContent)).toEqual([`/Controls/${CONTROL}/ControlManifest.xml`]);

    const description = nodes.find((node) => node.name === "controlDescription")!;
    const cell = nodes.find((node) => node.name === "control" && node.attributes.uniqueid === description.attributes.forControl);
    expect(cell?.attributes.datafieldname).toBe("accessmode");
    const custom = [...descendants(description)].filter((node) => node.name === "customControl" && node.attributes.name);
    expect(custom.map((node) => [node.attributes.formFactor, node.attributes.name])).toEqual([
      ["0", CONTROL],
      ["1", CONTROL],
      ["2", CONTROL],
    ]);
    const manifest = await entry(packed.unmanaged, `Controls/${CONTROL}/ControlManifest.xml`);
    const properties = [...manifest.matchAll(/<property name="(\w+)"/g)].map((match) => match[1]);
    for (const node of custom) {
      const parameters = [...descendants(node)].filter((child) => child.name !== "customControl" && child.name !== "parameters");
      expect(parameters.map((child) => child.name).sort()).toEqual([...properties].sort());
    }
    expect(nodes.filter((node) => node.name === "attribute").map((node) => node.attributes.PhysicalName)).toEqual([
      "svcacct_ComplianceStatus",
      "svcacct_ComplianceSummary",
      "svcacct_ComplianceCheckedOn",
    ]);
  });

  it("unpacks back to the source", async () => {
    const files = await unpackSolution(packed.unmanaged);
    const source = filesUnder(SOLUTION_DIR).map((file) => relative(SOLUTION_DIR, file).split("\\").join("/"));
    for (const path of source) expect([path, files.get(path)?.toString("utf8")]).toEqual([path, readFileSync(join(SOLUTION_DIR, path), "utf8")]);
    const built = [...files.keys()].filter((path) => !source.includes(path));
    expect(built.sort()).toEqual([
      `Controls/${CONTROL}/ControlManifest.xml`,
      `Controls/${CONTROL}/bundle.js`,
      `Controls/${CONTROL}/strings/ServiceAccountPanel.1033.resx`,
      `Controls/${CONTROL}/strings/ServiceAccountPanel.1036.resx`,
    ]);
  });
});

describe("refusals", () => {
  let solutionCopy: string;
  let controlCopy: string;
  beforeEach(() => {
    solutionCopy = mkdtempSync(join(scratch, "solution-"));
    controlCopy = mkdtempSync(join(scratch, "control-"));
    cpSync(SOLUTION_DIR, solutionCopy, { recursive: true });
    cpSync(CONTROL_DIR, controlCopy, { recursive: true });
  });
  const pack = () => packSolution({ sourceDir: solutionCopy, controlDir: controlCopy, packageVersion: packageVersion() });
  const edit = (dir: string, path: string, from: string | RegExp, to: string) => {
    const file = join(dir, path);
    const text = readFileSync(file, "utf8");
    const changed = text.replace(from, to);
    if (changed === text) throw new Error(`no change in ${path}`);
    writeFileSync(file, changed);
  };
  const ROLE = "Roles/Integration Service Account.xml";
  const FORM = "Entities/SystemUser/FormXml/main/{26338443-8e14-4ba6-a51d-eb53961bfb66}.xml";

  it("when the bundle is missing", async () => {
    rmSync(join(controlCopy, "bundle.js"));
    await expect(pack()).rejects.toThrow(/bundle\.js: missing/);
  });

  it("when the bundle is a development build", async () => {
    writeFileSync(join(controlCopy, "bundle.js"), 'eval("var x = 1;\\n//# sourceURL=webpack://x");');
    await expect(pack()).rejects.toThrow(/bundle\.js: a development build \(it contains eval\)/);
  });

  it("when the control name differs in the control's data file", async () => {
    edit(solutionCopy, `Controls/${CONTROL}/ControlManifest.xml.data.xml`, "<Name>svcacct_ServiceAccounts", "<Name>svcacct_Other");
    await expect(pack()).rejects.toThrow(/ControlManifest\.xml\.data\.xml: <Name> must be svcacct_ServiceAccounts\.ServiceAccountPanel/);
  });

  it("when the control name differs on the form", async () => {
    edit(solutionCopy, FORM, 'formFactor="1" name="svcacct_ServiceAccounts', 'formFactor="1" name="new_ServiceAccounts');
    await expect(pack()).rejects.toThrow(/customControl name "new_ServiceAccounts\.ServiceAccountPanel" is not the control's name/);
  });

  it("when the publisher prefix does not match the control folder", async () => {
    edit(solutionCopy, "Other/Solution.xml", "<CustomizationPrefix>svcacct<", "<CustomizationPrefix>contoso<");
    await expect(pack()).rejects.toThrow(/Controls\/contoso_ServiceAccounts\.ServiceAccountPanel: missing/);
  });

  it("when a GUID is malformed", async () => {
    edit(solutionCopy, ROLE, 'id="{b499b172-2ac5-4e4b-9543-620812132e7c}"', 'id="{b499b172-2ac5-4e4b-9543-62081213}"');
    await expect(pack()).rejects.toThrow(/Integration Service Account\.xml: role id "\{b499b172-2ac5-4e4b-9543-62081213\}" is not a GUID/);
  });

  it("when a GUID is used twice", async () => {
    edit(solutionCopy, FORM, 'id="{e2b74e34-5ed7-44a0-af4a-3054ac562865}"', 'id="{e2b74e34-5ed7-44a0-af4a-3054ac562864}"');
    await expect(pack()).rejects.toThrow(/section id \{e2b74e34-5ed7-44a0-af4a-3054ac562864\} is used twice/);
  });

  it("when the role names an unknown privilege level", async () => {
    edit(solutionCopy, ROLE, 'name="prvReadTeam" level="Local"', 'name="prvReadTeam" level="Organization"');
    await expect(pack()).rejects.toThrow(/prvReadTeam has level "Organization"; a level is Basic, Local, Deep or Global/);
  });

  it("when XML is not well-formed, naming the file and the line", async () => {
    edit(solutionCopy, "Entities/SystemUser/Entity.xml", "</EntityInfo>", "</EntityInfox>");
    await expect(pack()).rejects.toThrow(/Entity\.xml: not well-formed XML: .*line/);
  });

  it("when the versions have drifted from package.json", async () => {
    edit(solutionCopy, "Other/Solution.xml", /<Version>[^<]*<\/Version>/, "<Version>9.9.9.9</Version>");
    await expect(pack()).rejects.toThrow(/Solution\.xml: Version is 9\.9\.9\.9, package\.json says/);
  });

  it("when the form binds the control to a column its cell does not show", async () => {
    edit(solutionCopy, FORM, /<accessMode>accessmode<\/accessMode>/, "<accessMode>fullname</accessMode>");
    await expect(pack()).rejects.toThrow(/bound parameter <accessMode> is "fullname" but the cell's column is accessmode/);
  });

  it("lists every problem at once", async () => {
    edit(solutionCopy, ROLE, 'level="Global"', 'level="Everywhere"');
    edit(solutionCopy, "Other/Solution.xml", 'type="66" schemaName="svcacct_ServiceAccounts.ServiceAccountPanel"', 'type="66" schemaName="svcacct_Other.Panel"');
    await expect(pack()).rejects.toThrow(/Everywhere[\s\S]*svcacct_Other\.Panel/);
  });
});

describe("docs/service-role.md", () => {
  it("documents exactly the privileges the shipped role has", () => {
    const role = readFileSync(join(SOLUTION_DIR, "Roles", "Integration Service Account.xml"), "utf8");
    const shipped = [...role.matchAll(/<RolePrivilege name="(\w+)" level="(\w+)"/g)].map((match) => `${match[1]} ${match[2]}`);
    const doc = readFileSync(join(__dirname, "..", "..", "docs", "service-role.md"), "utf8");
    const documented = [...doc.matchAll(/^\| (prv\w+) \| (\w+) \|/gm)].map((match) => `${match[1]} ${match[2]}`);
    expect(documented).toEqual(shipped);
  });
});
