import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, relative } from "path";
import JSZip from "jszip";
import { writeLayout } from "../../src/solution/layout";
import { CONTROL_DIRS, packageVersion, SOLUTION_DIR } from "../../src/solution/main";
import { editFile, ENTITY_XML, FORM_XML, ROLE_XML, SOLUTION_XML, VIEW_XML } from "../support/solutionFiles";
import { packSolution, type PackedSolution } from "../../src/solution/pack";
import { schemaProblems } from "../../src/solution/schema";
import { unpackSolution } from "../../src/solution/unpack";
import { descendants, firstChild, parseXml, textContent } from "../../src/solution/xml";
import { run } from "../support/cli";

const CONTROL = "svcacct_ServiceAccounts.ServiceAccountPanel";
const CUSTOMIZER = "svcacct_ServiceAccounts.ServiceAccountGridCustomizer";
/** What the packer adds from the built controls: each control's processed manifest, bundle and resx files. */
const BUILT_CONTROL_FILES = [
  `Controls/${CONTROL}/ControlManifest.xml`,
  `Controls/${CONTROL}/bundle.js`,
  `Controls/${CONTROL}/strings/ServiceAccountPanel.1033.resx`,
  `Controls/${CONTROL}/strings/ServiceAccountPanel.1036.resx`,
  `Controls/${CUSTOMIZER}/ControlManifest.xml`,
  `Controls/${CUSTOMIZER}/bundle.js`,
  `Controls/${CUSTOMIZER}/strings/ServiceAccountGridCustomizer.1033.resx`,
  `Controls/${CUSTOMIZER}/strings/ServiceAccountGridCustomizer.1036.resx`,
];

const APP = "svcacct_ServiceAccountCompliance";
const ICON_NAME = "svcacct_/images/ServiceAccountCompliance.svg";
/** The icon's zip entry: its <FileName>, as exports name web resources (name without "/" and ".", then the id upper-case). */
const ICON_ENTRY = "WebResources/svcacct_imagesServiceAccountCompliancesvg5F0C7A2E-1D3B-4E8A-9C6F-2B4D8E1A7C01";
const CHART_ID = "{3c9e5b7a-2f4d-4a6b-8e1c-0d2f4a6b8c04}";
const DASHBOARD_ID = "{c2f4a8e1-9b3d-4c6e-8a7f-0d1e2f3a4b05}";

let packed: PackedSolution;
let scratch: string;

beforeAll(async () => {
  packed = await packSolution({ sourceDir: SOLUTION_DIR, controlDirs: CONTROL_DIRS, packageVersion: packageVersion() });
  scratch = mkdtempSync(join(tmpdir(), "svcacct-pack-"));
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

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
        ICON_ENTRY,
        ...BUILT_CONTROL_FILES,
      ]);
    }
  });

  it("validates customizations.xml of both zips against the customization schema (the packer's own validation)", async () => {
    for (const zip of [packed.unmanaged, packed.managed]) {
      const text = await entry(zip, "customizations.xml");
      expect(await schemaProblems(parseXml(text, "customizations.xml"), text)).toEqual([]);
    }
  });

  it("marks one zip unmanaged and the other managed", async () => {
    expect(await entry(packed.unmanaged, "solution.xml")).toContain("<Managed>0</Managed>");
    expect(await entry(packed.managed, "solution.xml")).toContain("<Managed>1</Managed>");
  });

  it("is deterministic: packing again gives the same bytes", async () => {
    const again = await packSolution({ sourceDir: SOLUTION_DIR, controlDirs: CONTROL_DIRS, packageVersion: packageVersion() });
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

    // The form, the views and the chart travel with the table (behavior 2), as subcomponents, never as
    // type-60, 26 or 59 roots; the dashboard is no table's, so it is a type-60 root of its own.
    expect(roots).toEqual([
      { type: "1", schemaName: "systemuser", behavior: "2" },
      { type: "20", id: expect.any(String), behavior: "0" },
      { type: "20", id: expect.any(String), behavior: "0" },
      { type: "20", id: expect.any(String), behavior: "0" },
      { type: "60", id: DASHBOARD_ID, behavior: "0" },
      { type: "61", schemaName: ICON_NAME, behavior: "0" },
      { type: "62", schemaName: APP, behavior: "0" },
      { type: "66", schemaName: CONTROL, behavior: "0" },
      { type: "66", schemaName: CUSTOMIZER, behavior: "0" },
      { type: "80", schemaName: APP, behavior: "0" },
    ]);
    const roles = nodes.filter((node) => node.name === "Role" && node.attributes.name);
    expect(roles.map((role) => [role.attributes.name, role.attributes.id])).toEqual([
      ["Integration Service Account", roots[1].id],
      ["Service Account Compliance Auditor", roots[3].id],
      ["Service Account Compliance Webhook", roots[2].id],
    ]);
    expect(nodes.filter((node) => node.name === "formid")).toHaveLength(1);
    expect(nodes.filter((node) => node.name === "CustomControl").map((node) => textContent(node.children.find((child) => typeof child !== "string" && child.name === "Name") as never))).toEqual([CONTROL, CUSTOMIZER]);
    expect(nodes.filter((node) => node.name === "FileName").map(textContent)).toEqual([`/${ICON_ENTRY}`, `/Controls/${CONTROL}/ControlManifest.xml`, `/Controls/${CUSTOMIZER}/ControlManifest.xml`]);

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
      "svcacct_EntraVerdict",
      "svcacct_EntraVerdictOn",
    ]);
  });

  it("unpacks back to the source", async () => {
    const files = await unpackSolution(packed.unmanaged);
    const source = filesUnder(SOLUTION_DIR).map((file) => relative(SOLUTION_DIR, file).split("\\").join("/"));
    for (const path of source) expect([path, files.get(path)?.toString("utf8")]).toEqual([path, readFileSync(join(SOLUTION_DIR, path), "utf8")]);
    const built = [...files.keys()].filter((path) => !source.includes(path));
    expect(built.sort()).toEqual([
      ...BUILT_CONTROL_FILES,
    ].sort());
  });

  it("sets the customizer on the Power Apps grid of the Service accounts view, read-only, with the columns it renders", async () => {
    const root = parseXml(await entry(packed.unmanaged, "customizations.xml"), "customizations.xml").root;
    const view = [...descendants(root)].find((node) => node.name === "savedquery")!;
    const grid = [...descendants(view)].find((node) => node.name === "grid")!;
    const cells = [...descendants(grid)].filter((node) => node.name === "cell").map((node) => node.attributes.name);
    expect(cells).toEqual(expect.arrayContaining(["accessmode", "islicensed", "svcacct_compliancestatus", "svcacct_compliancesummary", "svcacct_compliancecheckedon"]));
    const oneGrid = [...descendants(grid)].filter((node) => node.name === "customControl" && node.attributes.name === "Microsoft.PowerApps.PowerAppsOneGrid");
    expect(oneGrid.map((node) => node.attributes.formFactor)).toEqual(["0", "1", "2"]);
    for (const node of oneGrid) {
      const parameter = (name: string) => textContent([...descendants(node)].find((child) => child.name === name)!);
      expect(parameter("GridCustomizerControlFullName")).toBe(CUSTOMIZER);
      // Access Mode is changed through the panel's gates, never edited in a grid cell.
      expect(parameter("EnableEditing")).toBe("no");
    }
  });
});

describe("the app, its site map, chart, dashboard and icon in both zips", () => {
  const zips = () => [
    ["unmanaged", packed.unmanaged],
    ["managed", packed.managed],
  ] as const;

  it("are root components of their types, and customizations.xml holds them where the schema wants them", async () => {
    for (const [, zip] of zips()) {
      const solution = parseXml(await entry(zip, "solution.xml"), "solution.xml").root;
      const roots = [...descendants(solution)].filter((node) => node.name === "RootComponent").map((node) => node.attributes);
      expect(roots).toEqual(
        expect.arrayContaining([
          { type: "80", schemaName: APP, behavior: "0" },
          { type: "62", schemaName: APP, behavior: "0" },
          { type: "60", id: DASHBOARD_ID, behavior: "0" },
          { type: "61", schemaName: ICON_NAME, behavior: "0" },
          // The chart is systemuser's: the table's root carries it, as it carries the form and the views.
          { type: "1", schemaName: "systemuser", behavior: "2" },
        ]),
      );
      const text = await entry(zip, "customizations.xml");
      const customizations = parseXml(text, "customizations.xml");
      expect(await schemaProblems(customizations, text)).toEqual([]);
      const sections = customizations.root.children.filter((child) => typeof child !== "string").map((child) => child.name);
      expect(sections).toEqual([
        "Entities", "Roles", "Workflows", "FieldSecurityProfiles", "Templates", "EntityMaps", "EntityRelationships", "OrganizationSettings", "optionsets",
        "Dashboards", "WebResources", "CustomControls", "AppModuleSiteMaps", "AppModules", "EntityDataProviders", "Languages",
      ]);
      const nodes = [...descendants(customizations.root)];
      const childTextOf = (node: (typeof nodes)[number], name: string) => textContent(firstChild(node, name)!);
      expect(nodes.filter((node) => node.name === "AppModule").map((node) => childTextOf(node, "UniqueName"))).toEqual([APP]);
      expect(nodes.filter((node) => node.name === "AppModuleSiteMap").map((node) => childTextOf(node, "SiteMapUniqueName"))).toEqual([APP]);
      expect(nodes.filter((node) => node.name === "Dashboard").map((node) => childTextOf(node, "FormId"))).toEqual([DASHBOARD_ID]);
      expect(nodes.filter((node) => node.name === "WebResource").map((node) => childTextOf(node, "Name"))).toEqual([ICON_NAME]);
      const entity = nodes.find((node) => node.name === "Entity")!;
      expect([...descendants(firstChild(entity, "Visualizations")!)].filter((node) => node.name === "visualization").map((node) => childTextOf(node, "savedqueryvisualizationid"))).toEqual([
        CHART_ID,
      ]);
    }
  });

  it("carries the icon at the path its <FileName> names, byte for byte, with a content type", async () => {
    const svg = readFileSync(join(SOLUTION_DIR, "WebResources", ICON_NAME));
    for (const [, zip] of zips()) {
      const file = (await JSZip.loadAsync(zip)).file(ICON_ENTRY);
      expect((await file!.async("nodebuffer")).equals(svg)).toBe(true);
      expect(await entry(zip, "[Content_Types].xml")).toContain(`<Override PartName="/${ICON_ENTRY}" ContentType="application/octet-stream"/>`);
    }
  });
});

describe("as Dataverse itself exports it", () => {
  let customizations: ReturnType<typeof parseXml>["root"];
  let solution: ReturnType<typeof parseXml>["root"];
  beforeAll(async () => {
    customizations = parseXml(await entry(packed.unmanaged, "customizations.xml"), "customizations.xml").root;
    solution = parseXml(await entry(packed.unmanaged, "solution.xml"), "solution.xml").root;
  });
  const all = (root: typeof customizations, name: string) => [...descendants(root)].filter((node) => node.name === name);

  it("names the local choice <prefix>_<table>_<column>, keeps its values and gives each option its badge colour", () => {
    const [optionset] = all(customizations, "optionset");
    expect(optionset.attributes.Name).toBe("svcacct_systemuser_svcacct_compliancestatus");
    const options = all(optionset, "option").map((option) => [option.attributes.value, all(option, "label")[0].attributes.description, option.attributes.Color]);
    expect(options).toEqual([
      ["413500000", "Compliant", "#107C10"],
      ["413500001", "Needs attention", "#FFB900"],
      ["413500002", "Non-compliant", "#D13438"],
      ["413500003", "Not a service account", "#8A8886"],
    ]);
  });

  it("orders the Service Account form after the stock User form and never as the fallback", () => {
    const [conditions] = all(customizations, "DisplayConditions");
    expect(Number(conditions.attributes.Order)).toBeGreaterThan(1);
    expect(conditions.attributes.FallbackForm).toBe("false");
  });

  it("writes the ribbon diff SolutionPackager writes for an included system table", () => {
    const [ribbon] = all(customizations, "RibbonDiffXml");
    expect([...descendants(ribbon)].map((node) => [node.name, node.attributes.Id ?? ""])).toEqual([
      ["RibbonDiffXml", ""],
      ["CustomActions", ""],
      ["Templates", ""],
      ["RibbonTemplates", "Mscrm.Templates"],
      ["CommandDefinitions", ""],
      ["RuleDefinitions", ""],
      ["TabDisplayRules", ""],
      ["DisplayRules", ""],
      ["EnableRules", ""],
      ["LocLabels", ""],
    ]);
  });

  it("shows the text-area column with the text-area control class", () => {
    const summary = all(customizations, "control").find((node) => node.attributes.datafieldname === "svcacct_compliancesummary");
    expect(summary?.attributes.classid).toBe("{E0DECE4B-6FC8-4a8f-A065-082708572369}");
  });

  it("writes the publisher's address codes as nil, and declares xmlns:xsi once, on the root", () => {
    for (const address of all(solution, "Address")) {
      for (const code of ["FreightTermsCode", "ShippingMethodCode"]) expect(firstChild(address, code)?.attributes).toEqual({ "xsi:nil": "true" });
    }
    expect([...descendants(customizations)].filter((node) => "xmlns:xsi" in node.attributes).map((node) => node.name)).toEqual(["ImportExportXml"]);
  });
});

describe("the unpacked layout (--layout)", () => {
  it("is SolutionPackager's Both layout: every form, app and site map has its _managed twin, and the folder is cleaned first", async () => {
    const dir = mkdtempSync(join(scratch, "layout-"));
    writeFileSync(join(dir, "stale.xml"), "<old/>");
    cpSync(join(SOLUTION_DIR, "Other"), join(dir, "Other"), { recursive: true });
    const count = await writeLayout(dir, packed.unmanaged, packed.managed, join(__dirname, "..", ".."));
    const files = filesUnder(dir).map((file) => relative(dir, file).split("\\").join("/"));
    expect(files).toHaveLength(count);
    expect(files).not.toContain("stale.xml");
    const forms = files.filter((path) => path.includes("/FormXml/") || path.startsWith("AppModule"));
    expect(forms.sort()).toEqual([
      `AppModuleSiteMaps/${APP}/AppModuleSiteMap.xml`,
      `AppModuleSiteMaps/${APP}/AppModuleSiteMap_managed.xml`,
      `AppModules/${APP}/AppModule.xml`,
      `AppModules/${APP}/AppModule_managed.xml`,
      "Entities/SystemUser/FormXml/main/{26338443-8e14-4ba6-a51d-eb53961bfb66}.xml",
      "Entities/SystemUser/FormXml/main/{26338443-8e14-4ba6-a51d-eb53961bfb66}_managed.xml",
    ]);
    expect(readFileSync(join(dir, "Other", "Solution.xml"), "utf8")).toContain("<Managed>2</Managed>");
    // The layout packs again to the same zips: the twins are SolutionPackager's, this packer reads {id}.xml, AppModule.xml and AppModuleSiteMap.xml.
    const again = await packSolution({ sourceDir: dir, controlDirs: CONTROL_DIRS, packageVersion: packageVersion() });
    expect(again.unmanaged.equals(packed.unmanaged)).toBe(true);
    expect(again.managed.equals(packed.managed)).toBe(true);
  });

  it("refuses a folder that is neither empty nor a layout, deleting nothing", async () => {
    const dir = mkdtempSync(join(scratch, "notes-"));
    writeFileSync(join(dir, "notes.txt"), "keep me");
    await expect(writeLayout(dir, packed.unmanaged, packed.managed, join(__dirname, "..", ".."))).rejects.toThrow(/not empty and not an unpacked solution/);
    expect(readFileSync(join(dir, "notes.txt"), "utf8")).toBe("keep me");
  });

  it("refuses --layout without a folder", async () => {
    // Node with tsx's loader rather than npx, which Windows only finds through a shell.
    await expect(run(process.execPath, ["--import", "tsx", join(__dirname, "..", "..", "src", "solution", "main.ts"), "--no-build", "--layout"])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("Option '--layout <value>' argument missing"),
    });
  });
});

describe("refusals", () => {
  let solutionCopy: string;
  let controlCopy: string;
  let customizerCopy: string;
  beforeEach(() => {
    solutionCopy = mkdtempSync(join(scratch, "solution-"));
    controlCopy = mkdtempSync(join(scratch, "control-"));
    customizerCopy = mkdtempSync(join(scratch, "customizer-"));
    cpSync(SOLUTION_DIR, solutionCopy, { recursive: true });
    cpSync(CONTROL_DIRS[0], controlCopy, { recursive: true });
    cpSync(CONTROL_DIRS[1], customizerCopy, { recursive: true });
  });
  const pack = () => packSolution({ sourceDir: solutionCopy, controlDirs: [controlCopy, customizerCopy], packageVersion: packageVersion() });
  it("when the bundle is missing", async () => {
    rmSync(join(controlCopy, "bundle.js"));
    await expect(pack()).rejects.toThrow(/bundle\.js: missing/);
  });

  it("when the bundle is a development build", async () => {
    writeFileSync(join(controlCopy, "bundle.js"), 'eval("var x = 1;\\n//# sourceURL=webpack://x");');
    await expect(pack()).rejects.toThrow(/bundle\.js: a development build \(it contains eval\)/);
  });

  it("when the control name differs in the control's data file", async () => {
    editFile(solutionCopy, `Controls/${CONTROL}/ControlManifest.xml.data.xml`, "<Name>svcacct_ServiceAccounts", "<Name>svcacct_Other");
    await expect(pack()).rejects.toThrow(/ControlManifest\.xml\.data\.xml: <Name> must be svcacct_ServiceAccounts\.ServiceAccountPanel/);
  });

  it("when the control name differs on the form", async () => {
    editFile(solutionCopy, FORM_XML, 'formFactor="1" name="svcacct_ServiceAccounts', 'formFactor="1" name="new_ServiceAccounts');
    await expect(pack()).rejects.toThrow(/customControl name "new_ServiceAccounts\.ServiceAccountPanel" is not a control of the solution/);
  });

  it("when the publisher prefix does not match the control folder", async () => {
    editFile(solutionCopy, SOLUTION_XML, "<CustomizationPrefix>svcacct<", "<CustomizationPrefix>contoso<");
    await expect(pack()).rejects.toThrow(/Controls\/contoso_ServiceAccounts\.ServiceAccountPanel: missing/);
  });

  it("when the customizer's bundle is missing", async () => {
    rmSync(join(customizerCopy, "bundle.js"));
    await expect(pack()).rejects.toThrow(/customizer-[^/]*\/bundle\.js: missing/);
  });

  it("when the view's grid names a customizer the solution does not ship", async () => {
    editFile(solutionCopy, VIEW_XML, />svcacct_ServiceAccounts\.ServiceAccountGridCustomizer</, ">svcacct_ServiceAccounts.Other<");
    await expect(pack()).rejects.toThrow(/GridCustomizerControlFullName "svcacct_ServiceAccounts\.Other" is not a control of the solution/);
  });

  it("when the customizer has no root component", async () => {
    editFile(solutionCopy, SOLUTION_XML, /\s*<RootComponent type="66" schemaName="svcacct_ServiceAccounts\.ServiceAccountGridCustomizer" behavior="0"\/>/, "");
    await expect(pack()).rejects.toThrow(/no RootComponent type 66 for svcacct_ServiceAccounts\.ServiceAccountGridCustomizer/);
  });

  it("when a GUID is malformed", async () => {
    editFile(solutionCopy, ROLE_XML, 'id="{b499b172-2ac5-4e4b-9543-620812132e7c}"', 'id="{b499b172-2ac5-4e4b-9543-62081213}"');
    await expect(pack()).rejects.toThrow(/Integration Service Account\.xml: role id "\{b499b172-2ac5-4e4b-9543-62081213\}" is not a GUID/);
  });

  it("when a GUID is used twice", async () => {
    editFile(solutionCopy, FORM_XML, 'id="{e2b74e34-5ed7-44a0-af4a-3054ac562865}"', 'id="{e2b74e34-5ed7-44a0-af4a-3054ac562864}"');
    await expect(pack()).rejects.toThrow(/section id \{e2b74e34-5ed7-44a0-af4a-3054ac562864\} is used twice/);
  });

  it("when the role names an unknown privilege level", async () => {
    editFile(solutionCopy, ROLE_XML, 'name="prvReadTeam" level="Local"', 'name="prvReadTeam" level="Organization"');
    await expect(pack()).rejects.toThrow(/prvReadTeam has level "Organization"; a level is Basic, Local, Deep or Global/);
  });

  it("when XML is not well-formed, naming the file and the line", async () => {
    editFile(solutionCopy, ENTITY_XML, "</EntityInfo>", "</EntityInfox>");
    await expect(pack()).rejects.toThrow(/Entity\.xml: not well-formed XML: .*line/);
  });

  it("when the versions have drifted from package.json", async () => {
    editFile(solutionCopy, SOLUTION_XML, /<Version>[^<]*<\/Version>/, "<Version>9.9.9.9</Version>");
    await expect(pack()).rejects.toThrow(/Solution\.xml: Version is 9\.9\.9\.9, package\.json says/);
  });

  it("when the form binds the control to a column its cell does not show", async () => {
    editFile(solutionCopy, FORM_XML, /<accessMode>accessmode<\/accessMode>/, "<accessMode>fullname</accessMode>");
    await expect(pack()).rejects.toThrow(/bound parameter <accessMode> is "fullname" but the cell's column is accessmode/);
  });

  it("lists every problem at once", async () => {
    editFile(solutionCopy, ROLE_XML, 'level="Global"', 'level="Everywhere"');
    editFile(solutionCopy, SOLUTION_XML, 'type="66" schemaName="svcacct_ServiceAccounts.ServiceAccountPanel"', 'type="66" schemaName="svcacct_Other.Panel"');
    await expect(pack()).rejects.toThrow(/Everywhere[\s\S]*svcacct_Other\.Panel/);
  });

  describe("what an import would refuse, naming the file and the line", () => {
    /** The 1-based line of the first line of a file that contains a text, in the defective copy. */
    const lineOf = (path: string, text: string) => readFileSync(join(solutionCopy, path), "utf8").split("\n").findIndex((line) => line.includes(text)) + 1;
    const refusal = async () => {
      const error: unknown = await pack().then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(Error);
      return (error as Error).message;
    };
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

    it("element order that breaks Microsoft's schema", async () => {
      editFile(solutionCopy, ROLE_XML, "<IsCustomizable>1</IsCustomizable>\n", "");
      editFile(solutionCopy, ROLE_XML, "</RolePrivileges>\n", "</RolePrivileges>\n  <IsCustomizable>1</IsCustomizable>\n");
      expect(await refusal()).toMatch(new RegExp(`${escape(ROLE_XML)}:${lineOf(ROLE_XML, "<IsCustomizable>")}: .*IsCustomizable.*not expected.*\\(schema\\)`));
    });

    it("a privilege name Dataverse does not have", async () => {
      editFile(solutionCopy, ROLE_XML, 'name="prvReadUser"', 'name="prvReadSystemUser"');
      expect(await refusal()).toMatch(new RegExp(`${escape(ROLE_XML)}:${lineOf(ROLE_XML, "prvReadSystemUser")}: "prvReadSystemUser" is not a privilege this solution may grant`));
    });

    it("an option value outside the publisher's option-value prefix", async () => {
      editFile(solutionCopy, ENTITY_XML, 'option value="413500003"', 'option value="100000003"');
      expect(await refusal()).toMatch(new RegExp(`${escape(ENTITY_XML)}:${lineOf(ENTITY_XML, "100000003")}: option value 100000003 is outside the publisher's option values 413500000-413509999`));
    });

    it("a new column without the publisher prefix", async () => {
      editFile(solutionCopy, ENTITY_XML, 'PhysicalName="svcacct_ComplianceSummary"', 'PhysicalName="ComplianceSummary"');
      expect(await refusal()).toMatch(new RegExp(`${escape(ENTITY_XML)}:${lineOf(ENTITY_XML, '"ComplianceSummary"')}: new column "ComplianceSummary" does not start with the publisher prefix svcacct_`));
    });

    it("a form cell bound to a column neither the table nor the solution defines", async () => {
      editFile(solutionCopy, FORM_XML, 'datafieldname="domainname"', 'datafieldname="svcacct_domain"');
      expect(await refusal()).toMatch(new RegExp(`${escape(FORM_XML)}:${lineOf(FORM_XML, "svcacct_domain")}: the cell is bound to svcacct_domain, a column SystemUser does not have and the solution does not add`));
    });

    it("an unknown column type", async () => {
      editFile(solutionCopy, ENTITY_XML, "<Type>datetime</Type>", "<Type>date</Type>");
      expect(await refusal()).toMatch(new RegExp(`${escape(ENTITY_XML)}:${lineOf(ENTITY_XML, "<Type>date</Type>")}: column svcacct_compliancecheckedon has type "date"; a new column is one of`));
    });
  });
});

describe.each([
  ["Integration Service Account", "service-role.md"],
  ["Service Account Compliance Webhook", "webhook-role.md"],
  ["Service Account Compliance Auditor", "auditor-role.md"],
])("the %s role and docs/%s", (role, doc) => {
  it("document exactly the same privileges, each with its reason", () => {
    const file = readFileSync(join(SOLUTION_DIR, "Roles", `${role}.xml`), "utf8");
    const shipped = [...file.matchAll(/<RolePrivilege name="(\w+)" level="(\w+)"/g)].map((match) => `${match[1]} ${match[2]}`);
    const text = readFileSync(join(__dirname, "..", "..", "docs", doc), "utf8");
    const documented = [...text.matchAll(/^\| (prv\w+) \| (\w+) \| (.*) \|$/gm)].map((match) => `${match[1]} ${match[2]}`);
    expect(shipped.length).toBeGreaterThan(0);
    expect(documented).toEqual(shipped);
    for (const match of text.matchAll(/^\| (prv\w+) \| (\w+) \| (.*) \|$/gm)) expect(match[3].trim().length).toBeGreaterThan(20);
  });
});
