import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "fs";
import { tmpdir } from "os";
import { dirname, join, relative } from "path";
import type { BuiltControl } from "../../src/solution/builtControl";
import { SOLUTION_DIR } from "../../src/solution/main";
import { readSolutionSource, type SolutionSource } from "../../src/solution/source";
import { SolutionRefused, solutionIdentity, solutionProblems, solutionVersionOf } from "../../src/solution/validate";
import { descendants, parseXml } from "../../src/solution/xml";
import { COMPLIANCE_STATUS_VALUES } from "../../src/core/complianceStatus";
import type { OverallStatus } from "../../src/core/report";
import { TONE_OF_OVERALL, type Tone } from "../../src/ui/tones";
import { editFile, ENTITY_XML, FORM_XML, ROLE_XML, SOLUTION_XML, VIEW_XML } from "../support/solutionFiles";

/**
 * The packer's cross checks, each refusal on its own and word for word, on copies of the real
 * solution folder with one thing broken (pack.test.ts runs them through a whole pack).
 */

const PANEL_DATA = "Controls/svcacct_ServiceAccounts.ServiceAccountPanel/ControlManifest.xml.data.xml";

const VERSION = "0.1.0";
const PANEL_NAME = "svcacct_ServiceAccounts.ServiceAccountPanel";
const CUSTOMIZER_NAME = "svcacct_ServiceAccounts.ServiceAccountGridCustomizer";
const BOTH = `${PANEL_NAME}, ${CUSTOMIZER_NAME}`;

function control(name: string, properties: Record<string, string>, version = VERSION): BuiltControl {
  return {
    dir: `out/controls/${name}`,
    manifest: parseXml("<manifest/>", "ControlManifest.xml"),
    qualifiedName: `ServiceAccounts.${name}`,
    version,
    files: [],
    properties: new Map(Object.entries(properties)),
  };
}
const PANEL = control("ServiceAccountPanel", {
  accessMode: "bound",
  serviceRoleName: "input",
  forbiddenRoleNames: "input",
  forbiddenPrivileges: "input",
  warningPrivileges: "input",
  nonInteractiveLimit: "input",
});
const CUSTOMIZER = control("ServiceAccountGridCustomizer", { EventName: "input" });
const CONTROLS = [PANEL, CUSTOMIZER];

const copies: string[] = [];
afterAll(() => copies.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

type Edit = [from: string | RegExp, to: string];

/** A copy of the solution folder with each edit made (an edit that finds nothing fails the test) and files added. */
function sourceWith(edits: Record<string, Edit[]>, added: Record<string, string> = {}): { source: SolutionSource; where: (path: string, text: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), "svcacct-validate-"));
  copies.push(dir);
  cpSync(SOLUTION_DIR, dir, { recursive: true });
  for (const [path, changes] of Object.entries(edits)) for (const [from, to] of changes) editFile(dir, path, from, to);
  for (const [path, text] of Object.entries(added)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  // "file:line" of the first line holding the text, as problems inside a file name it.
  const where = (path: string, text: string) => {
    const line = readFileSync(join(dir, path), "utf8").split("\n").findIndex((content) => content.includes(text)) + 1;
    if (line === 0) throw new Error(`${text} is not in ${path}`);
    return `${relative(process.cwd(), join(dir, path))}:${line}`;
  };
  return { source: readSolutionSource(dir), where };
}

const problemsWith = (edits: Record<string, Edit[]>, added?: Record<string, string>, controls = CONTROLS) =>
  solutionProblems(sourceWith(edits, added).source, controls, VERSION);

it("finds nothing wrong with the solution as it is", () => {
  expect(solutionProblems(readSolutionSource(SOLUTION_DIR), CONTROLS, VERSION)).toEqual([]);
});

describe("solutionVersionOf", () => {
  it.each([
    ["0.1.0", "0.1.0.0"],
    ["12.34.56", "12.34.56.0"],
    ["1.2.3-beta.4", "1.2.3.0"],
  ])("makes %s the solution version %s", (npm, solution) => expect(solutionVersionOf(npm)).toBe(solution));

  it.each(["v1.2.3", "1.2", ""])("refuses %j", (npm) => expect(() => solutionVersionOf(npm)).toThrow(`package.json version ${npm} is not major.minor.patch`));
});

it("says what stops the pack, one problem a line", () => {
  const refused = new SolutionRefused(["a: one", "b: two"]);
  expect(refused.name).toBe("SolutionRefused");
  expect(refused.message).toBe("The solution cannot be packed:\n  - a: one\n  - b: two");
  expect(refused.problems).toEqual(["a: one", "b: two"]);
});

it("reads the identity from Solution.xml, and nothing where an element is missing", () => {
  expect(solutionIdentity(readSolutionSource(SOLUTION_DIR))).toEqual({ uniqueName: "ServiceAccountCompliance", version: "0.1.0.0", prefix: "svcacct", optionValuePrefix: 41350 });
  const { source } = sourceWith({ [SOLUTION_XML]: [[/<Version>.*<\/Version>/, ""], [/<Publisher>[\s\S]*<\/Publisher>/, ""]] });
  expect(solutionIdentity(source)).toEqual({ uniqueName: "ServiceAccountCompliance", version: "", prefix: "", optionValuePrefix: 0 });
});

describe("the publisher and the solution", () => {
  it.each(["1Service", "Service-Account", "Service Account", "_Service"])("refuses the unique name %j", (name) => {
    expect(problemsWith({ [SOLUTION_XML]: [["<UniqueName>ServiceAccountCompliance<", `<UniqueName>${name}<`]] })).toEqual([
      `solution/${SOLUTION_XML}: UniqueName "${name}" must be letters, digits and underscores`,
    ]);
  });

  const prefixProblems = (prefix: string) =>
    problemsWith({ [SOLUTION_XML]: [["<CustomizationPrefix>svcacct<", `<CustomizationPrefix>${prefix}<`]] }).filter((problem) => problem.includes("CustomizationPrefix"));

  it.each(["s", "svcacctxy", "Svcacct", "1svc", "svc-acct", "mscrmx"])("refuses the prefix %j", (prefix) => {
    expect(prefixProblems(prefix)).toEqual([`solution/${SOLUTION_XML}: CustomizationPrefix "${prefix}" must be 2-8 lower-case letters or digits, not mscrm`]);
  });

  it.each(["sv", "svcacct1", "xmscrm"])("takes the prefix %j", (prefix) => expect(prefixProblems(prefix)).toEqual([]));

  const optionPrefixProblems = (value: number) =>
    problemsWith({ [SOLUTION_XML]: [["<CustomizationOptionValuePrefix>41350<", `<CustomizationOptionValuePrefix>${value}<`]] }).filter((problem) =>
      problem.includes("CustomizationOptionValuePrefix"),
    );

  it.each([9999, 100000])("refuses the option value prefix %d", (value) => {
    expect(optionPrefixProblems(value)).toEqual([`solution/${SOLUTION_XML}: CustomizationOptionValuePrefix must be 10000-99999`]);
  });

  it.each([10000, 99999])("takes the option value prefix %d", (value) => expect(optionPrefixProblems(value)).toEqual([]));

  it("refuses versions that have drifted from package.json, the solution's and each control's", () => {
    const problems = solutionProblems(readSolutionSource(SOLUTION_DIR), [PANEL, { ...CUSTOMIZER, version: "0.0.9" }], "0.2.0");
    expect(problems).toEqual([
      `solution/${SOLUTION_XML}: Version is 0.1.0.0, package.json says 0.2.0 (expected 0.2.0.0): run npm run sync-version`,
      `out/controls/ServiceAccountPanel/ControlManifest.xml: control version is 0.1.0, package.json says 0.2.0: run npm run sync-version and rebuild`,
      `out/controls/ServiceAccountGridCustomizer/ControlManifest.xml: control version is 0.0.9, package.json says 0.2.0: run npm run sync-version and rebuild`,
    ]);
  });
});

describe("the controls' folders", () => {
  it("refuses a built control without a folder, and a folder that is no built control", () => {
    const other = control("Other", {});
    const problems = problemsWith(
      {},
      { "Controls/svcacct_Stray/ControlManifest.xml.data.xml": "<CustomControl><Name>svcacct_Stray</Name></CustomControl>" },
      [...CONTROLS, other],
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        `solution/Controls/svcacct_ServiceAccounts.Other: missing: the built control ServiceAccounts.Other needs this folder`,
        `solution/Controls/svcacct_Stray/ControlManifest.xml.data.xml: folder svcacct_Stray is not the name of a built control (${BOTH}, svcacct_ServiceAccounts.Other)`,
      ]),
    );
    expect(problems.filter((problem) => problem.includes("svcacct_Stray"))).toHaveLength(1);
  });

  it("refuses a data file whose name or file name is not the folder's", () => {
    expect(problemsWith({ [PANEL_DATA]: [["<Name>svcacct_ServiceAccounts.ServiceAccountPanel<", "<Name>svcacct_Other<"]] })).toEqual([
      `solution/${PANEL_DATA}: <Name> must be ${PANEL_NAME}`,
    ]);
    expect(problemsWith({ [PANEL_DATA]: [["ServiceAccountPanel/ControlManifest.xml<", "ServiceAccountPanel/manifest.xml<"]] })).toEqual([
      `solution/${PANEL_DATA}: <FileName> must be /Controls/${PANEL_NAME}/ControlManifest.xml`,
    ]);
    expect(problemsWith({ [PANEL_DATA]: [[/<FileName>.*<\/FileName>/, ""], [/<Name>.*<\/Name>/, ""]] })).toEqual([
      `solution/${PANEL_DATA}: <Name> must be ${PANEL_NAME}`,
      `solution/${PANEL_DATA}: <FileName> must be /Controls/${PANEL_NAME}/ControlManifest.xml`,
    ]);
  });
});

describe("roles", () => {
  it("refuses a file whose root is not a role, and a role without a name", () => {
    expect(problemsWith({ [ROLE_XML]: [["<Role ", "<Rolle "], ["</Role>", "</Rolle>"]] })).toEqual([`solution/${ROLE_XML}: the root element must be <Role>`]);
    expect(problemsWith({ [ROLE_XML]: [[' name="Integration Service Account"', ""]] })).toEqual([`solution/${ROLE_XML}: the role has no name`]);
  });

  it("refuses a privilege Dataverse does not have, naming its line, and a level that is not one", () => {
    const { source, where } = sourceWith({ [ROLE_XML]: [['"prvReadTeam" level="Local"', '"prvReadTeams" level="Team"']] });
    const problems = solutionProblems(source, CONTROLS, VERSION);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toBe(
      `${where(ROLE_XML, "prvReadTeams")}: "prvReadTeams" is not a privilege this solution may grant: prv{Create|Read|Write|Delete|Append|AppendTo|Assign|Share}{User|Role|BusinessUnit|Team|Organization} or prvReadAppModule, prvReadQuery, prvReadSystemForm, prvReadSavedQueryVisualizations, prvReadWebResource`,
    );
    expect(problems[1]).toBe(`solution/${ROLE_XML}: prvReadTeams has level "Team"; a level is Basic, Local, Deep or Global`);
  });
});

describe("GUIDs", () => {
  it.each([
    ["formid", FORM_XML, "<formid>{26338443-8e14-4ba6-a51d-eb53961bfb66}<", "<formid>{26338443-8e14-4ba6-a51d}<", 'formid "{26338443-8e14-4ba6-a51d}" is not a GUID'],
    ["tab id", FORM_XML, 'id="{a9774270-7f06-42cb-899c-efc30e73d8cc}"', 'id="a9774270"', 'tab id "a9774270" is not a GUID'],
    ["section id", FORM_XML, 'id="{e2b74e34-5ed7-44a0-af4a-3054ac562864}"', 'id="e2b74e34"', 'section id "e2b74e34" is not a GUID'],
    ["cell id", FORM_XML, 'id="{f0e2b1c4-5d3a-4e6f-9a8b-1c2d3e4f5a61}"', 'id="f0e2b1c4"', 'cell id "f0e2b1c4" is not a GUID'],
    ["control uniqueid", FORM_XML, 'uniqueid="{c1a7e0d2-3b4c-4d5e-8f60-718293a4b5c6}"', 'uniqueid="c1a7e0d2"', 'control uniqueid "c1a7e0d2" is not a GUID'],
    ["classid", FORM_XML, 'classid="{4273EDBD-AC1D-40d3-9FB2-095C621B552D}" datafieldname="fullname"', 'classid="4273EDBD" datafieldname="fullname"', 'classid "4273EDBD" is not a GUID'],
    ["savedqueryid", VIEW_XML, "<savedqueryid>{04024341-948f-40cc-98f9-532203d15bd1}<", "<savedqueryid>04024341<", 'savedqueryid "04024341" is not a GUID'],
    ["role id", ROLE_XML, 'id="{b499b172-2ac5-4e4b-9543-620812132e7c}"', 'id="b499b172"', 'role id "b499b172" is not a GUID'],
  ])("refuses a malformed %s", (_kind, path, from, to, problem) => {
    expect(problemsWith({ [path]: [[from, to]] })).toEqual(expect.arrayContaining([`solution/${path}: ${problem}`]));
  });

  it("refuses an identity used twice, whatever its braces and case, naming the first use", () => {
    const reused = "{A9774270-7F06-42CB-899C-EFC30E73D8CC}";
    expect(problemsWith({ [FORM_XML]: [['id="{e2b74e34-5ed7-44a0-af4a-3054ac562864}"', `id="${reused.slice(1, -1)}"`]] })).toEqual([
      `solution/${FORM_XML}: section id ${reused.slice(1, -1)} is used twice (also tab id in solution/${FORM_XML})`,
    ]);
    // The app, its site map and the dashboard lose the view they open: only the duplicate matters here.
    const reusedView = problemsWith({ [VIEW_XML]: [["<savedqueryid>{04024341-948f-40cc-98f9-532203d15bd1}<", `<savedqueryid>${reused}<`]] });
    expect(reusedView.filter((problem) => problem.includes("used twice"))).toEqual([
      `solution/${VIEW_XML}: savedqueryid ${reused} is used twice (also tab id in solution/${FORM_XML})`,
    ]);
    expect(problemsWith({ [FORM_XML]: [['uniqueid="{c1a7e0d2-3b4c-4d5e-8f60-718293a4b5c6}"', 'uniqueid="{b499b172-2ac5-4e4b-9543-620812132e7c}"']] })).toEqual([
      `solution/${FORM_XML}: control uniqueid {b499b172-2ac5-4e4b-9543-620812132e7c} is used twice (also role id in solution/${ROLE_XML})`,
    ]);
  });
});

describe("root components", () => {
  const withRoot = (root: string) => problemsWith({ [SOLUTION_XML]: [["</RootComponents>", `  ${root}\n    </RootComponents>`]] });

  it("refuses a root component whose id is not a GUID", () => {
    expect(withRoot('<RootComponent type="29" id="not-a-guid" behavior="0"/>')).toEqual([`solution/${SOLUTION_XML}: RootComponent type 29 id "not-a-guid" is not a GUID`]);
  });

  it("refuses a role, a form, a control or a table the solution does not have", () => {
    expect(withRoot('<RootComponent type="20" id="{00000000-0000-4000-8000-000000000020}" behavior="0"/>')).toEqual([
      `solution/${SOLUTION_XML}: RootComponent type 20 {00000000-0000-4000-8000-000000000020} is not a role under Roles/`,
    ]);
    expect(withRoot('<RootComponent type="60" id="{00000000-0000-4000-8000-000000000060}" behavior="0"/>')).toEqual([
      `solution/${SOLUTION_XML}: RootComponent type 60 {00000000-0000-4000-8000-000000000060} is not a form under Entities/*/FormXml/ or a dashboard under Dashboards/`,
    ]);
    expect(withRoot('<RootComponent type="66" schemaName="svcacct_Other" behavior="0"/>')).toEqual([
      `solution/${SOLUTION_XML}: RootComponent type 66 is "svcacct_Other", not a built control (${BOTH})`,
    ]);
    expect(withRoot('<RootComponent type="1" schemaName="account" behavior="0"/>')).toEqual([`solution/${SOLUTION_XML}: RootComponent type 1 "account" has no folder under Entities/`]);
  });

  it("takes the form and the role it has, by id whatever the braces and case", () => {
    expect(withRoot('<RootComponent type="60" id="26338443-8E14-4BA6-A51D-EB53961BFB66" behavior="0"/>')).toEqual([]);
    expect(withRoot('<RootComponent type="20" id="B499B172-2AC5-4E4B-9543-620812132E7C" behavior="0"/>')).toEqual([]);
  });

  it("refuses a solution without the root component of a built control", () => {
    expect(problemsWith({ [SOLUTION_XML]: [[`<RootComponent type="66" schemaName="${CUSTOMIZER_NAME}" behavior="0"/>`, ""]] })).toEqual([
      `solution/${SOLUTION_XML}: no RootComponent type 66 for ${CUSTOMIZER_NAME}`,
    ]);
  });
});

describe("the form's control descriptions", () => {
  it("refuses a description for no cell on the form", () => {
    expect(problemsWith({ [FORM_XML]: [['forControl="{a06733d7-87a3-434a-9e0a-4b4a65a7082f}"', 'forControl="{00000000-0000-4000-8000-000000000001}"']] })).toEqual([
      `solution/${FORM_XML}: controlDescription forControl {00000000-0000-4000-8000-000000000001} matches no control uniqueid on the form`,
    ]);
  });

  it("refuses a custom control the solution does not ship, and a parameter the manifest does not have", () => {
    expect(problemsWith({ [FORM_XML]: [['formFactor="0" name="svcacct_ServiceAccounts.ServiceAccountPanel"', 'formFactor="0" name="svcacct_Other"']] })).toEqual([
      `solution/${FORM_XML}: customControl name "svcacct_Other" is not a control of the solution (${BOTH})`,
    ]);
    expect(problemsWith({ [FORM_XML]: [[/<nonInteractiveLimit (.*)<\/nonInteractiveLimit>/, "<limit $1</limit>"]] })).toEqual([
      `solution/${FORM_XML}: parameter <limit> is not a property of the control's manifest`,
    ]);
  });

  it("refuses a bound parameter that names another column than its cell", () => {
    expect(problemsWith({ [FORM_XML]: [["<accessMode>accessmode</accessMode>", "<accessMode>fullname</accessMode>"]] })).toEqual([
      `solution/${FORM_XML}: bound parameter <accessMode> is "fullname" but the cell's column is accessmode`,
    ]);
  });
});

it("refuses a view whose grid names a customizer the solution does not ship", () => {
  expect(problemsWith({ [VIEW_XML]: [[`>${CUSTOMIZER_NAME}<`, ">svcacct_Other<"]] })).toEqual([
    `solution/${VIEW_XML}: GridCustomizerControlFullName "svcacct_Other" is not a control of the solution (${BOTH})`,
  ]);
});

it("reads names, types and flags without the spaces around them (the parser trims text)", () => {
  const { source } = sourceWith({
    [SOLUTION_XML]: [
      ["<UniqueName>ServiceAccountCompliance<", "<UniqueName>\n      ServiceAccountCompliance\n    <"],
      ["<CustomizationPrefix>svcacct<", "<CustomizationPrefix> svcacct <"],
    ],
    [ENTITY_XML]: [
      ["<Type>nvarchar</Type>", "<Type> nvarchar </Type>"],
      [/<IsCustomField>1</g, "<IsCustomField> 1 <"],
      ["<Name>svcacct_compliancesummary<", "<Name> svcacct_compliancesummary <"],
    ],
    [VIEW_XML]: [[`>${CUSTOMIZER_NAME}<`, `> ${CUSTOMIZER_NAME} <`]],
  });
  expect(solutionIdentity(source)).toMatchObject({ uniqueName: "ServiceAccountCompliance", prefix: "svcacct" });
  expect(solutionProblems(source, CONTROLS, VERSION)).toEqual([]);
  // A flag that still reads 1 with spaces around it is a new column, and is checked.
  const unprefixed = sourceWith({ [ENTITY_XML]: [[/<IsCustomField>1</g, "<IsCustomField> 1 <"], ['PhysicalName="svcacct_ComplianceSummary"', 'PhysicalName="ComplianceSummary"']] });
  expect(solutionProblems(unprefixed.source, CONTROLS, VERSION)).toEqual([
    `${unprefixed.where(ENTITY_XML, 'ComplianceSummary">')}: new column "ComplianceSummary" does not start with the publisher prefix svcacct_`,
  ]);
});

describe("new columns", () => {
  it.each([
    ['PhysicalName="svcacct_ComplianceSummary"', 'PhysicalName="ComplianceSummary"', "ComplianceSummary"],
    ["<Name>svcacct_compliancesummary<", "<Name>compliancesummary<", "compliancesummary"],
  ])("refuses a new column whose %s lacks the publisher prefix, naming its line", (from, to, name) => {
    const { source, where } = sourceWith({ [ENTITY_XML]: [[from, to]] });
    expect(solutionProblems(source, CONTROLS, VERSION)).toEqual([
      `${where(ENTITY_XML, 'ComplianceSummary">')}: new column "${name}" does not start with the publisher prefix svcacct_`,
    ]);
  });

  it("refuses a logical name without the prefix, and the cell bound to the column it no longer adds", () => {
    const { source, where } = sourceWith({ [ENTITY_XML]: [["<LogicalName>svcacct_compliancesummary<", "<LogicalName>compliancesummary<"]] });
    expect(solutionProblems(source, CONTROLS, VERSION)).toEqual([
      `${where(ENTITY_XML, 'ComplianceSummary">')}: new column "compliancesummary" does not start with the publisher prefix svcacct_`,
      expect.stringMatching(/: the cell is bound to svcacct_compliancesummary, a column SystemUser does not have and the solution does not add$/),
    ]);
  });

  it("leaves columns that are not new alone", () => {
    expect(problemsWith({ [ENTITY_XML]: [['PhysicalName="svcacct_ComplianceSummary"', 'PhysicalName="ComplianceSummary"'], [/<IsCustomField>1</g, "<IsCustomField>0<"]] })).toEqual([]);
  });

  it("refuses a type a new column cannot have, and a column without a type", () => {
    const { source, where } = sourceWith({ [ENTITY_XML]: [["<Type>nvarchar</Type>", "<Type>timestamp</Type>"]] });
    expect(solutionProblems(source, CONTROLS, VERSION)).toEqual([
      `${where(ENTITY_XML, "<Type>timestamp</Type>")}: column svcacct_compliancesummary has type "timestamp"; a new column is one of bigint, bit, customer, datetime, decimal, float, image, int, lookup, money, multiselectpicklist, nvarchar, ntext, picklist`,
    ]);
    const untyped = sourceWith({ [ENTITY_XML]: [["<Type>nvarchar</Type>", ""]] });
    expect(solutionProblems(untyped.source, CONTROLS, VERSION)).toEqual([
      `${untyped.where(ENTITY_XML, 'PhysicalName="svcacct_ComplianceSummary"')}: column svcacct_compliancesummary has type ""; a new column is one of bigint, bit, customer, datetime, decimal, float, image, int, lookup, money, multiselectpicklist, nvarchar, ntext, picklist`,
    ]);
  });

  it.each([
    ["413500000", "413499999", true],
    ["413500003", "413509999", false],
    ["413500003", "413510000", true],
    ["413500003", "413500003.5", true],
  ])("checks option value %s changed to %s against the publisher's range", (from, to, refused) => {
    const { source, where } = sourceWith({ [ENTITY_XML]: [[`value="${from}"`, `value="${to}"`]] });
    expect(solutionProblems(source, CONTROLS, VERSION)).toEqual(
      refused ? [`${where(ENTITY_XML, `value="${to}"`)}: option value ${to} is outside the publisher's option values 413500000-413509999`] : [],
    );
  });
});

it("refuses a cell bound to a column the table does not have and the solution does not add", () => {
  const { source, where } = sourceWith({ [FORM_XML]: [['datafieldname="fullname"', 'datafieldname="svcacct_nothing"']] });
  expect(solutionProblems(source, CONTROLS, VERSION)).toEqual([
    `${where(FORM_XML, 'datafieldname="svcacct_nothing"')}: the cell is bound to svcacct_nothing, a column SystemUser does not have and the solution does not add`,
  ]);
});

describe("the app, its site map, chart, dashboard and icon", () => {
  const APP_XML = "AppModules/svcacct_ServiceAccountCompliance/AppModule.xml";
  const SITE_MAP_XML = "AppModuleSiteMaps/svcacct_ServiceAccountCompliance/AppModuleSiteMap.xml";
  const CHART_XML = "Entities/SystemUser/Visualizations/{3c9e5b7a-2f4d-4a6b-8e1c-0d2f4a6b8c04}.xml";
  const DASHBOARD_XML = "Dashboards/{c2f4a8e1-9b3d-4c6e-8a7f-0d1e2f3a4b05}.xml";
  const ICON_DATA = "WebResources/svcacct_/images/ServiceAccountCompliance.svg.data.xml";
  const VIEW = "{04024341-948f-40cc-98f9-532203d15bd1}";
  const CHART = "{3c9e5b7a-2f4d-4a6b-8e1c-0d2f4a6b8c04}";
  const DASHBOARD = "{c2f4a8e1-9b3d-4c6e-8a7f-0d1e2f3a4b05}";
  const ICON = "5f0c7a2e-1d3b-4e8a-9c6f-2b4d8e1a7c01";
  const UNKNOWN = "{00000000-0000-4000-8000-000000000027}";

  /** The problems of a copy with the edits made, and where (file:line) the first line holding a text is in it. */
  const check = (edits: Record<string, Edit[]>) => {
    const { source, where } = sourceWith(edits);
    return { problems: solutionProblems(source, CONTROLS, VERSION), where };
  };

  describe("references to views, charts and dashboards the solution does not define", () => {
    it("refuses a site map SubArea opening an unknown view", () => {
      const { problems, where } = check({ [SITE_MAP_XML]: [[`viewid=${VIEW}`, `viewid=${UNKNOWN}`]] });
      expect(problems).toEqual([
        `${where(SITE_MAP_XML, 'Id="svcacct_serviceaccounts"')}: SubArea svcacct_serviceaccounts opens the view ${UNKNOWN}, which is not a view of the solution (Entities/*/SavedQueries/)`,
      ]);
    });

    it.each([
      ["its Url", `id=${DASHBOARD}"`, `id=${UNKNOWN}"`],
      // The form the site map designer writes for a Dashboard SubArea.
      ["DefaultDashboard", `Url="/main.aspx?pagetype=dashboard&amp;id=${DASHBOARD}"`, `Url="/workplace/home_dashboards.aspx" DefaultDashboard="${UNKNOWN}"`],
    ])("refuses a site map SubArea opening an unknown dashboard through %s", (_how, from, to) => {
      const { problems, where } = check({ [SITE_MAP_XML]: [[from, to]] });
      expect(problems).toEqual([
        `${where(SITE_MAP_XML, 'Id="svcacct_dashboard"')}: SubArea svcacct_dashboard opens the dashboard ${UNKNOWN}, which is not a dashboard of the solution (Dashboards/)`,
      ]);
    });

    it("takes the solution's dashboard however the SubArea names it: braces encoded, upper-case, or as DefaultDashboard", () => {
      const url = `Url="/main.aspx?pagetype=dashboard&amp;id=${DASHBOARD}"`;
      const encoded = `Url="/main.aspx?pagetype=dashboard&amp;id=%7B${DASHBOARD.slice(1, -1).toUpperCase()}%7D"`;
      expect(check({ [SITE_MAP_XML]: [[url, encoded]] }).problems).toEqual([]);
      expect(check({ [SITE_MAP_XML]: [[url, `Url="/workplace/home_dashboards.aspx" DefaultDashboard="${DASHBOARD}"`]] }).problems).toEqual([]);
    });

    it.each([
      // The app lists no view (it shows all the table's views): a view component takes the chart's place.
      ["26", `type="59" id="${CHART}"`, "a view of the solution (Entities/*/SavedQueries/)"],
      ["59", `type="59" id="${CHART}"`, "a chart of the solution (Entities/*/Visualizations/)"],
      ["60", `type="60" id="${DASHBOARD}"`, "a form or a dashboard of the solution (Entities/*/FormXml/, Dashboards/)"],
    ])("refuses an AppModuleComponent type %s the solution does not define", (type, from, what) => {
      const { problems, where } = check({ [APP_XML]: [[from, `type="${type}" id="${UNKNOWN}"`]] });
      expect(problems).toEqual([`${where(APP_XML, UNKNOWN)}: AppModuleComponent type ${type} ${UNKNOWN} is not ${what}`]);
    });

    it("refuses an AppModuleComponent type 62 naming a site map that is not there", () => {
      const { problems, where } = check({ [APP_XML]: [['type="62" schemaName="svcacct_ServiceAccountCompliance"', 'type="62" schemaName="svcacct_Other"']] });
      expect(problems).toEqual([`${where(APP_XML, "svcacct_Other")}: AppModuleComponent type 62 "svcacct_Other" is not a site map of the solution (AppModuleSiteMaps/)`]);
    });

    it("refuses a dashboard grid or chart showing a view or a chart the solution does not define", () => {
      const view = check({ [DASHBOARD_XML]: [[`<ViewId>${VIEW}</ViewId>`, `<ViewId>${UNKNOWN}</ViewId>`]] });
      expect(view.problems).toEqual([`${view.where(DASHBOARD_XML, `<ViewId>${UNKNOWN}`)}: ViewId ${UNKNOWN} is not a view of the solution (Entities/*/SavedQueries/)`]);
      const chart = check({ [DASHBOARD_XML]: [[`<VisualizationId>${CHART}</VisualizationId>`, `<VisualizationId>${UNKNOWN}</VisualizationId>`]] });
      expect(chart.problems).toEqual([`${chart.where(DASHBOARD_XML, `<VisualizationId>${UNKNOWN}`)}: VisualizationId ${UNKNOWN} is not a chart of the solution (Entities/*/Visualizations/)`]);
    });
  });

  describe("the chart", () => {
    it.each([
      ["groups by", 'name="svcacct_compliancestatus" groupby="true"', 'name="svcacct_badge" groupby="true"', "svcacct_badge"],
      ["aggregates", 'name="systemuserid" aggregate="count"', 'name="svcacct_accountid" aggregate="count"', "svcacct_accountid"],
    ])("refuses a chart that %s a column the table does not have and the solution does not add", (verb, from, to, column) => {
      const { problems, where } = check({ [CHART_XML]: [[from, to]] });
      expect(problems).toEqual([`${where(CHART_XML, column)}: the chart ${verb} ${column}, a column SystemUser does not have and the solution does not add`]);
    });

    it("refuses a chart whose entity is not the table folder it lives in", () => {
      const { problems, where } = check({ [CHART_XML]: [['<entity name="systemuser">', '<entity name="account">']] });
      expect(problems).toEqual(
        expect.arrayContaining([`${where(CHART_XML, '<entity name="account">')}: the chart's entity is account, not systemuser, the table whose folder it lives in`]),
      );
    });

    it("refuses palette colours that are not the choice's option colours in value order", () => {
      const swapped = "255,185,0; 16,124,16; 209,52,56; 138,136,134";
      const { problems, where } = check({ [CHART_XML]: [["16,124,16; 255,185,0;", "255,185,0; 16,124,16;"]] });
      expect(problems).toEqual([
        `${where(CHART_XML, "PaletteCustomColors")}: PaletteCustomColors "${swapped}" are not the option colours of svcacct_compliancestatus in value order (16,124,16; 255,185,0; 209,52,56; 138,136,134, Entity.xml)`,
      ]);
      // An option colour changed in Entity.xml is a change the chart must follow.
      expect(check({ [ENTITY_XML]: [['Color="#FFB900"', 'Color="#FFAA00"']] }).problems).toEqual([expect.stringContaining("are not the option colours of svcacct_compliancestatus")]);
    });

    /** The badge colour of each tone (Fluent's green, yellow, red 10 and grey): what the option colours, and so the chart, show. */
    const TONE_COLOUR: Partial<Record<Tone, string>> = { success: "#107C10", warning: "#FFB900", error: "#D13438", neutral: "#8A8886" };

    it("colours each status as its badge: option colours in value order, the badge tone of each status", () => {
      const source = readSolutionSource(SOLUTION_DIR);
      const chart = source.entities[0].charts[0].document.root;
      const palette = [...descendants(chart)].find((node) => node.name === "Chart")!.attributes.PaletteCustomColors.split(";").map((colour) => colour.trim());
      const rgb = (hex: string) => [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16)).join(",");
      const statuses = (Object.entries(COMPLIANCE_STATUS_VALUES) as [OverallStatus, number][]).sort(([, a], [, b]) => a - b);
      expect(palette).toEqual(statuses.map(([status]) => rgb(TONE_COLOUR[TONE_OF_OVERALL[status]]!)));
      const options = [...descendants(source.entities[0].entity.document.root)].filter((node) => node.name === "option");
      expect(options.map((option) => [Number(option.attributes.value), option.attributes.Color])).toEqual(
        statuses.map(([status, value]) => [value, TONE_COLOUR[TONE_OF_OVERALL[status]]]),
      );
    });
  });

  describe("the app", () => {
    it("refuses an icon that is not a web resource of the solution, and takes the platform's default icon", () => {
      const { problems, where } = check({ [APP_XML]: [[`<WebResourceId>${ICON}<`, `<WebResourceId>${UNKNOWN.slice(1, -1)}<`]] });
      expect(problems).toEqual([
        `${where(APP_XML, "<WebResourceId>")}: WebResourceId ${UNKNOWN.slice(1, -1)} is not a web resource of the solution (WebResources/) nor the platform's default app icon 953b9fac-1e5e-e611-80d6-00155ded156f`,
      ]);
      expect(check({ [APP_XML]: [[`<WebResourceId>${ICON}<`, "<WebResourceId>953b9fac-1e5e-e611-80d6-00155ded156f<"]] }).problems).toEqual([]);
    });

    it("refuses a role map naming a role that is neither the solution's nor System Administrator", () => {
      const { problems, where } = check({ [APP_XML]: [['<Role id="{a4c6e8f0-1b3d-4f5a-8c7e-9d0b2a4c6e07}"', `<Role id="${UNKNOWN}"`]] });
      expect(problems).toEqual([
        `${where(APP_XML, `<Role id="${UNKNOWN}"`)}: role ${UNKNOWN} is neither a role of the solution (Roles/) nor System Administrator {627090ff-40a3-4053-8790-584edc5be201}`,
      ]);
    });

    it.each([
      ["app", APP_XML, "<UniqueName>svcacct_ServiceAccountCompliance<", "<UniqueName>ServiceAccountCompliance<"],
      ["site map", SITE_MAP_XML, "<SiteMapUniqueName>svcacct_ServiceAccountCompliance<", "<SiteMapUniqueName>ServiceAccountCompliance<"],
    ])("refuses the %s unique name without the publisher prefix", (kind, path, from, to) => {
      const { problems } = check({ [path]: [[from, to]] });
      expect(problems).toEqual(
        expect.arrayContaining([
          `solution/${path}: ${kind} unique name "ServiceAccountCompliance" does not start with the publisher prefix svcacct_`,
          `solution/${path}: <${kind === "app" ? "UniqueName" : "SiteMapUniqueName"}> is "ServiceAccountCompliance" but the folder is svcacct_ServiceAccountCompliance`,
        ]),
      );
    });
  });

  describe("the icon", () => {
    it("refuses a <FileName> that is not the zip name exports give the web resource", () => {
      const { problems } = check({ [ICON_DATA]: [[/<FileName>.*<\/FileName>/, "<FileName>/WebResources/icon.svg</FileName>"]] });
      expect(problems).toEqual([
        `solution/${ICON_DATA}: <FileName> is "/WebResources/icon.svg"; exports name this web resource /WebResources/svcacct_imagesServiceAccountCompliancesvg5F0C7A2E-1D3B-4E8A-9C6F-2B4D8E1A7C01 (its name without "/" and ".", then its id)`,
      ]);
    });

    it("refuses a <Name> that is not where the file is", () => {
      const { problems } = check({ [ICON_DATA]: [["<Name>svcacct_/images/ServiceAccountCompliance.svg<", "<Name>svcacct_/icons/ServiceAccountCompliance.svg<"]] });
      expect(problems).toEqual(
        expect.arrayContaining([
          `solution/${ICON_DATA}: <Name> is "svcacct_/icons/ServiceAccountCompliance.svg" but the file is WebResources/svcacct_/images/ServiceAccountCompliance.svg: SolutionPackager keeps a web resource at WebResources/<name>`,
        ]),
      );
    });
  });

  describe("root components", () => {
    const withRoot = (root: string) => check({ [SOLUTION_XML]: [["</RootComponents>", `  ${root}\n    </RootComponents>`]] }).problems;
    const without = (root: RegExp) => check({ [SOLUTION_XML]: [[root, ""]] }).problems;

    it.each([
      ['<RootComponent type="80" schemaName="svcacct_Other" behavior="0"/>', 'RootComponent type 80 "svcacct_Other" is not an app under AppModules/'],
      ['<RootComponent type="62" schemaName="svcacct_Other" behavior="0"/>', 'RootComponent type 62 "svcacct_Other" is not a site map under AppModuleSiteMaps/'],
      [`<RootComponent type="59" id="${UNKNOWN}" behavior="0"/>`, `RootComponent type 59 ${UNKNOWN} is not a chart under Entities/*/Visualizations/`],
      ['<RootComponent type="61" schemaName="svcacct_/images/Other.svg" behavior="0"/>', 'RootComponent type 61 "svcacct_/images/Other.svg" is not a web resource under WebResources/'],
      [`<RootComponent type="60" id="${UNKNOWN}" behavior="0"/>`, `RootComponent type 60 ${UNKNOWN} is not a form under Entities/*/FormXml/ or a dashboard under Dashboards/`],
    ])("refuses %s, pointing at nothing the solution has", (root, problem) => {
      expect(withRoot(root)).toEqual([`solution/${SOLUTION_XML}: ${problem}`]);
    });

    it("takes a type 59 root for the chart", () => {
      expect(withRoot(`<RootComponent type="59" id="${CHART}" behavior="0"/>`)).toEqual([]);
    });

    it.each([
      [/\s*<RootComponent type="80"[^>]*>/, "no RootComponent type 80 for the app svcacct_ServiceAccountCompliance"],
      [/\s*<RootComponent type="62"[^>]*>/, "no RootComponent type 62 for the site map svcacct_ServiceAccountCompliance"],
      [/\s*<RootComponent type="61"[^>]*>/, "no RootComponent type 61 for the web resource svcacct_/images/ServiceAccountCompliance.svg"],
      [/\s*<RootComponent type="60"[^>]*>/, `no RootComponent type 60 for the dashboard ${DASHBOARD} (solution/${DASHBOARD_XML})`],
      [/\s*<RootComponent type="1"[^>]*>/, `no root component carries the chart ${CHART}: neither RootComponent type 1 for systemuser nor type 59`],
    ])("refuses a solution without the root component of each app, site map, web resource, dashboard and chart (%s)", (root, problem) => {
      expect(without(root)).toEqual([`solution/${SOLUTION_XML}: ${problem}`]);
    });
  });

  it("refuses a chart, dashboard or web resource id used twice", () => {
    const { problems } = check({ [ICON_DATA]: [[`<WebResourceId>{${ICON}}<`, `<WebResourceId>${DASHBOARD}<`]] });
    expect(problems).toEqual(expect.arrayContaining([`solution/${ICON_DATA}: WebResourceId ${DASHBOARD} is used twice (also dashboard FormId in solution/${DASHBOARD_XML})`]));
  });
});
