import type { BuiltControl } from "./builtControl";
import { KNOWN_PRIVILEGES, PRIVILEGE_TABLES } from "./privileges";
import type { EntitySource, SolutionSource, SourceFile } from "./source";
import { SYSTEM_TABLE_COLUMNS } from "./systemTables";
import { childElements, descendants, firstChild, textContent, type XmlElement } from "./xml";

/** Everything that stops a pack, each naming its file: all problems at once, not the first. */
export class SolutionRefused extends Error {
  constructor(readonly problems: string[]) {
    super(`The solution cannot be packed:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "SolutionRefused";
  }
}

const GUID = /^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$/;
const LEVELS = new Set(["Basic", "Local", "Deep", "Global"]);
const normalize = (id: string) => id.replace(/[{}]/g, "").toLowerCase();

/**
 * Column types a new column can have, as exported Entity.xml files write them (the XSD's CrmDataType
 * also lists types only system columns have, such as timestamp or sql_variant).
 */
const NEW_COLUMN_TYPES = new Set(["bigint", "bit", "customer", "datetime", "decimal", "float", "image", "int", "lookup", "money", "multiselectpicklist", "nvarchar", "ntext", "picklist"]);

/** "file:line" of a parsed element, for problems that point inside a file. */
const at = (file: SourceFile, node: XmlElement) => (node.location ? `${node.location.file}:${node.location.line}` : `solution/${file.path}`);

/** The solution's identity as its Solution.xml states it. */
export interface SolutionIdentity {
  uniqueName: string;
  version: string;
  prefix: string;
  optionValuePrefix: number;
}

export function solutionIdentity(source: SolutionSource): SolutionIdentity {
  const manifest = firstChild(source.solution.document.root, "SolutionManifest");
  const publisher = manifest && firstChild(manifest, "Publisher");
  const text = (parent: XmlElement | undefined, name: string) => (parent ? childText(parent, name) : "");
  return {
    uniqueName: text(manifest, "UniqueName"),
    version: text(manifest, "Version"),
    prefix: text(publisher, "CustomizationPrefix"),
    optionValuePrefix: Number(text(publisher, "CustomizationOptionValuePrefix")),
  };
}

/** The solution version that goes with an npm version: 1.2.3 → 1.2.3.0. */
export function solutionVersionOf(packageVersion: string): string {
  const core = /^(\d+)\.(\d+)\.(\d+)/.exec(packageVersion);
  if (!core) throw new Error(`package.json version ${packageVersion} is not major.minor.patch`);
  return `${core[1]}.${core[2]}.${core[3]}.0`;
}

/**
 * Checks the unpacked source and the built control against each other before anything is
 * written: names, versions, GUIDs, privileges, columns, option values and cross references.
 * Returns every problem, each naming its file (and line where it points inside one).
 */
export function solutionProblems(source: SolutionSource, controls: BuiltControl[], packageVersion: string): string[] {
  const problems: string[] = [];
  const fail = (file: SourceFile | string, problem: string) => problems.push(`${typeof file === "string" ? file : `solution/${file.path}`}: ${problem}`);
  const identity = solutionIdentity(source);

  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(identity.uniqueName)) fail(source.solution, `UniqueName "${identity.uniqueName}" must be letters, digits and underscores`);
  if (!/^[a-z][a-z0-9]{1,7}$/.test(identity.prefix) || identity.prefix.startsWith("mscrm"))
    fail(source.solution, `CustomizationPrefix "${identity.prefix}" must be 2-8 lower-case letters or digits, not mscrm`);
  if (!(identity.optionValuePrefix >= 10000 && identity.optionValuePrefix <= 99999)) fail(source.solution, "CustomizationOptionValuePrefix must be 10000-99999");

  // Versions move together from package.json (npm version runs src/solution/syncVersion.ts).
  const expectedVersion = solutionVersionOf(packageVersion);
  if (identity.version !== expectedVersion) fail(source.solution, `Version is ${identity.version}, package.json says ${packageVersion} (expected ${expectedVersion}): run npm run sync-version`);
  for (const control of controls) {
    if (control.version !== packageVersion)
      fail(`${control.dir}/ControlManifest.xml`, `control version is ${control.version}, package.json says ${packageVersion}: run npm run sync-version and rebuild`);
  }

  // Each control's name must be identical everywhere Dataverse matches it.
  const controlsByName = new Map(controls.map((control) => [`${identity.prefix}_${control.qualifiedName}`, control]));
  for (const [controlName, control] of controlsByName) {
    if (!source.controls.some((entry) => entry.folder === controlName)) fail(`solution/Controls/${controlName}`, `missing: the built control ${control.qualifiedName} needs this folder`);
  }
  for (const { folder, file } of source.controls) {
    if (!controlsByName.has(folder)) {
      fail(file, `folder ${folder} is not the name of a built control (${[...controlsByName.keys()].join(", ")})`);
      continue;
    }
    const name = firstChild(file.document.root, "Name");
    const fileName = firstChild(file.document.root, "FileName");
    if (!name || textContent(name) !== folder) fail(file, `<Name> must be ${folder}`);
    if (!fileName || textContent(fileName) !== `/Controls/${folder}/ControlManifest.xml`) fail(file, `<FileName> must be /Controls/${folder}/ControlManifest.xml`);
  }

  // Role privileges and levels.
  const roleIds = new Map<string, SourceFile>();
  for (const role of source.roles) {
    const id = role.document.root.attributes.id ?? "";
    roleIds.set(normalize(id), role);
    if (role.document.root.name !== "Role") fail(role, "the root element must be <Role>");
    if (!role.document.root.attributes.name) fail(role, "the role has no name");
    for (const privilege of [...descendants(role.document.root)].filter((node) => node.name === "RolePrivilege")) {
      if (!KNOWN_PRIVILEGES.has(privilege.attributes.name ?? ""))
        fail(
          at(role, privilege),
          `"${privilege.attributes.name}" is not a privilege this solution may grant: prv{Create|Read|Write|Delete|Append|AppendTo|Assign|Share}{${Object.values(PRIVILEGE_TABLES).join("|")}}`,
        );
      if (!LEVELS.has(privilege.attributes.level ?? ""))
        fail(role, `${privilege.attributes.name} has level "${privilege.attributes.level}"; a level is Basic, Local, Deep or Global`);
    }
  }

  for (const entity of source.entities) checkColumns(entity, identity, fail);

  // GUIDs: well-formed everywhere, and identities unique across the solution.
  const seen = new Map<string, string>();
  const identityOf = (file: SourceFile, kind: string, value: string | undefined): void => {
    if (value === undefined) return;
    if (!GUID.test(value)) {
      fail(file, `${kind} "${value}" is not a GUID`);
      return;
    }
    const key = normalize(value);
    const previous = seen.get(key);
    if (previous) fail(file, `${kind} ${value} is used twice (also ${previous})`);
    else seen.set(key, `${kind} in solution/${file.path}`);
  };
  for (const role of source.roles) identityOf(role, "role id", role.document.root.attributes.id);
  const formIds = new Map<string, SourceFile>();
  for (const entity of source.entities) {
    for (const { file } of entity.forms) {
      for (const node of descendants(file.document.root)) {
        if (node.name === "formid") {
          identityOf(file, "formid", textContent(node));
          formIds.set(normalize(textContent(node)), file);
        }
        if (["tab", "section", "cell"].includes(node.name)) identityOf(file, `${node.name} id`, node.attributes.id);
        if (node.name === "control") identityOf(file, "control uniqueid", node.attributes.uniqueid);
        if (node.name === "control" && node.attributes.classid && !GUID.test(node.attributes.classid)) fail(file, `classid "${node.attributes.classid}" is not a GUID`);
      }
      checkControlDescriptions(file, controlsByName, fail);
      checkBoundColumns(entity, file, fail);
    }
    for (const view of entity.views) {
      for (const node of descendants(view.document.root)) if (node.name === "savedqueryid") identityOf(view, "savedqueryid", textContent(node));
      checkGridCustomizers(view, controlsByName, fail);
    }
  }

  // Root components point at things the solution has.
  const manifest = firstChild(source.solution.document.root, "SolutionManifest");
  const roots = manifest ? childElements(firstChild(manifest, "RootComponents") ?? manifest, "RootComponent") : [];
  for (const root of roots) {
    const { type, id, schemaName } = root.attributes;
    if (id !== undefined && !GUID.test(id)) fail(source.solution, `RootComponent type ${type} id "${id}" is not a GUID`);
    if (type === "20" && !roleIds.has(normalize(id ?? ""))) fail(source.solution, `RootComponent type 20 ${id} is not a role under Roles/`);
    if (type === "60" && !formIds.has(normalize(id ?? ""))) fail(source.solution, `RootComponent type 60 ${id} is not a form under Entities/*/FormXml/`);
    if (type === "66" && !controlsByName.has(schemaName ?? "")) fail(source.solution, `RootComponent type 66 is "${schemaName}", not a built control (${[...controlsByName.keys()].join(", ")})`);
    if (type === "1" && !source.entities.some((entity) => entity.name.toLowerCase() === schemaName)) fail(source.solution, `RootComponent type 1 "${schemaName}" has no folder under Entities/`);
  }
  for (const controlName of controlsByName.keys()) {
    if (!roots.some((root) => root.attributes.type === "66" && root.attributes.schemaName === controlName)) fail(source.solution, `no RootComponent type 66 for ${controlName}`);
  }

  return problems;
}

/** A form's control descriptions: a control the solution ships, a real cell, the manifest's parameter names. */
function checkControlDescriptions(file: SourceFile, controlsByName: Map<string, BuiltControl>, fail: (file: SourceFile, problem: string) => void): void {
  const nodes = [...descendants(file.document.root)];
  const controls = new Map(nodes.filter((node) => node.name === "control" && node.attributes.uniqueid).map((node) => [normalize(node.attributes.uniqueid), node]));
  for (const description of nodes.filter((node) => node.name === "controlDescription")) {
    const cellControl = controls.get(normalize(description.attributes.forControl ?? ""));
    if (!cellControl) fail(file, `controlDescription forControl ${description.attributes.forControl} matches no control uniqueid on the form`);
    for (const custom of childElements(description, "customControl").filter((node) => node.attributes.name)) {
      const control = controlsByName.get(custom.attributes.name);
      if (!control) {
        fail(file, `customControl name "${custom.attributes.name}" is not a control of the solution (${[...controlsByName.keys()].join(", ")})`);
        continue;
      }
      const parameters = firstChild(custom, "parameters");
      for (const parameter of parameters ? childElements(parameters) : []) {
        const usage = control.properties.get(parameter.name);
        if (!usage) fail(file, `parameter <${parameter.name}> is not a property of the control's manifest`);
        if (usage === "bound" && cellControl && textContent(parameter) !== cellControl.attributes.datafieldname)
          fail(file, `bound parameter <${parameter.name}> is "${textContent(parameter)}" but the cell's column is ${cellControl.attributes.datafieldname}`);
      }
    }
  }
}

/** The Power Apps grid's parameter naming its customizer (the maker portal's "Customizer control" property). */
export const GRID_CUSTOMIZER_PARAMETER = "GridCustomizerControlFullName";

/** A view's Power Apps grid names a customizer the solution ships, so the import does not leave the grid without it. */
function checkGridCustomizers(view: SourceFile, controlsByName: Map<string, BuiltControl>, fail: (file: SourceFile, problem: string) => void): void {
  for (const parameter of [...descendants(view.document.root)].filter((node) => node.name === GRID_CUSTOMIZER_PARAMETER)) {
    const name = textContent(parameter);
    if (name && !controlsByName.has(name)) fail(view, `${GRID_CUSTOMIZER_PARAMETER} "${name}" is not a control of the solution (${[...controlsByName.keys()].join(", ")})`);
  }
}

/** The <attribute> elements (columns) an entity's Entity.xml defines. */
function definedColumns(entity: EntitySource): XmlElement[] {
  return [...descendants(entity.entity.document.root)].filter((node) => node.name === "attribute");
}

// Text comes trimmed from the parser (xml.ts: trimValues), here and wherever textContent is read.
const childText = (node: XmlElement, name: string) => {
  const child = firstChild(node, name);
  return child ? textContent(child) : "";
};

/**
 * New columns: the publisher prefix on every name, a type a new column can have, option values in
 * the publisher's option-value range (prefix × 10,000 to prefix × 10,000 + 9,999).
 */
function checkColumns(entity: EntitySource, identity: SolutionIdentity, fail: (file: string, problem: string) => void): void {
  const file = entity.entity;
  for (const column of definedColumns(entity)) {
    if (childText(column, "IsCustomField") !== "1") continue;
    const names = [column.attributes.PhysicalName ?? "", childText(column, "Name"), childText(column, "LogicalName")];
    const unprefixed = names.find((name) => !name.toLowerCase().startsWith(`${identity.prefix}_`));
    if (unprefixed !== undefined) fail(at(file, column), `new column "${unprefixed}" does not start with the publisher prefix ${identity.prefix}_`);
    const type = firstChild(column, "Type");
    if (!type || !NEW_COLUMN_TYPES.has(textContent(type)))
      fail(at(file, type ?? column), `column ${names[2]} has type "${type ? textContent(type) : ""}"; a new column is one of ${[...NEW_COLUMN_TYPES].join(", ")}`);
  }
  const low = identity.optionValuePrefix * 10000;
  for (const option of [...descendants(file.document.root)].filter((node) => node.name === "option")) {
    const value = Number(option.attributes.value);
    if (!Number.isInteger(value) || value < low || value > low + 9999)
      fail(at(file, option), `option value ${option.attributes.value} is outside the publisher's option values ${low}-${low + 9999}`);
  }
}

/** Form cells show columns the table has or the solution adds. */
function checkBoundColumns(entity: EntitySource, file: SourceFile, fail: (file: string, problem: string) => void): void {
  const table = entity.name.toLowerCase();
  const added = new Set(definedColumns(entity).map((column) => childText(column, "LogicalName").toLowerCase()));
  const stock = SYSTEM_TABLE_COLUMNS[table] ?? new Set<string>();
  for (const control of [...descendants(file.document.root)].filter((node) => node.name === "control" && node.attributes.datafieldname)) {
    const column = control.attributes.datafieldname.toLowerCase();
    if (!stock.has(column) && !added.has(column)) fail(at(file, control), `the cell is bound to ${column}, a column ${entity.name} does not have and the solution does not add`);
  }
}
