import type { BuiltControl } from "./builtControl";
import { webResourceFileName } from "./compose";
import { APP_PRIVILEGES, KNOWN_PRIVILEGES, PRIVILEGE_TABLES } from "./privileges";
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
          `"${privilege.attributes.name}" is not a privilege this solution may grant: prv{Create|Read|Write|Delete|Append|AppendTo|Assign|Share}{${Object.values(PRIVILEGE_TABLES).join("|")}} or ${APP_PRIVILEGES.join(", ")}`,
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
    for (const chart of entity.charts) identityOf(chart, "savedqueryvisualizationid", childText(chart.document.root, "savedqueryvisualizationid"));
  }
  for (const dashboard of source.dashboards) {
    identityOf(dashboard, "dashboard FormId", childText(dashboard.document.root, "FormId"));
    for (const node of descendants(dashboard.document.root)) if (["tab", "section", "cell"].includes(node.name)) identityOf(dashboard, `${node.name} id`, node.attributes.id);
  }
  for (const resource of source.webResources) identityOf(resource.file, "WebResourceId", childText(resource.file.document.root, "WebResourceId"));

  // The app, its site map, charts, dashboards and web resources, and what they point at.
  const components = solutionComponents(source, formIds, roleIds);
  for (const entity of source.entities) for (const chart of entity.charts) checkChart(entity, chart, fail);
  for (const siteMap of source.siteMaps) checkSiteMap(siteMap, components, identity, fail);
  for (const app of source.appModules) checkApp(app, components, identity, fail);
  for (const dashboard of source.dashboards) checkDashboard(dashboard, components, fail);
  for (const resource of source.webResources) {
    const root = resource.file.document.root;
    const name = childText(root, "Name");
    if (resource.contentPath !== `WebResources/${name}`) fail(resource.file, `<Name> is "${name}" but the file is ${resource.contentPath}: SolutionPackager keeps a web resource at WebResources/<name>`);
    const expected = webResourceFileName(name, childText(root, "WebResourceId"));
    if (childText(root, "FileName") !== expected) fail(resource.file, `<FileName> is "${childText(root, "FileName")}"; exports name this web resource ${expected} (its name without "/" and ".", then its id)`);
  }

  // Root components point at things the solution has.
  const manifest = firstChild(source.solution.document.root, "SolutionManifest");
  const roots = manifest ? childElements(firstChild(manifest, "RootComponents") ?? manifest, "RootComponent") : [];
  for (const root of roots) {
    const { type, id, schemaName = "" } = root.attributes;
    if (id !== undefined && !GUID.test(id)) fail(source.solution, `RootComponent type ${type} id "${id}" is not a GUID`);
    if (type === "20" && !roleIds.has(normalize(id ?? ""))) fail(source.solution, `RootComponent type 20 ${id} is not a role under Roles/`);
    if (type === "60" && !formIds.has(normalize(id ?? "")) && !components.dashboards.has(normalize(id ?? "")))
      fail(source.solution, `RootComponent type 60 ${id} is not a form under Entities/*/FormXml/ or a dashboard under Dashboards/`);
    if (type === "59" && !components.charts.has(normalize(id ?? ""))) fail(source.solution, `RootComponent type 59 ${id} is not a chart under Entities/*/Visualizations/`);
    if (type === "61" && !components.webResources.has(schemaName)) fail(source.solution, `RootComponent type 61 "${schemaName}" is not a web resource under WebResources/`);
    if (type === "62" && !components.siteMaps.has(schemaName)) fail(source.solution, `RootComponent type 62 "${schemaName}" is not a site map under AppModuleSiteMaps/`);
    if (type === "80" && !components.apps.has(schemaName)) fail(source.solution, `RootComponent type 80 "${schemaName}" is not an app under AppModules/`);
    if (type === "66" && !controlsByName.has(schemaName)) fail(source.solution, `RootComponent type 66 is "${schemaName}", not a built control (${[...controlsByName.keys()].join(", ")})`);
    if (type === "1" && !source.entities.some((entity) => entity.name.toLowerCase() === schemaName)) fail(source.solution, `RootComponent type 1 "${schemaName}" has no folder under Entities/`);
  }
  for (const controlName of controlsByName.keys()) {
    if (!roots.some((root) => root.attributes.type === "66" && root.attributes.schemaName === controlName)) fail(source.solution, `no RootComponent type 66 for ${controlName}`);
  }
  const rooted = (type: string, key: string, byId: boolean) =>
    roots.some((root) => root.attributes.type === type && (byId ? normalize(root.attributes.id ?? "") === normalize(key) : root.attributes.schemaName === key));
  for (const name of components.apps.keys()) if (!rooted("80", name, false)) fail(source.solution, `no RootComponent type 80 for the app ${name}`);
  for (const name of components.siteMaps.keys()) if (!rooted("62", name, false)) fail(source.solution, `no RootComponent type 62 for the site map ${name}`);
  for (const name of components.webResources.keys()) if (!rooted("61", name, false)) fail(source.solution, `no RootComponent type 61 for the web resource ${name}`);
  for (const dashboard of source.dashboards) {
    const id = childText(dashboard.document.root, "FormId");
    if (!rooted("60", id, true)) fail(source.solution, `no RootComponent type 60 for the dashboard ${id} (solution/${dashboard.path})`);
  }
  // A chart travels with its table (a type 1 root carries the table's charts, as it carries its forms and views), or as a type 59 root.
  for (const entity of source.entities) {
    for (const chart of entity.charts) {
      const id = childText(chart.document.root, "savedqueryvisualizationid");
      if (!rooted("1", entity.name.toLowerCase(), false) && !rooted("59", id, true))
        fail(source.solution, `no root component carries the chart ${id}: neither RootComponent type 1 for ${entity.name.toLowerCase()} nor type 59`);
    }
  }

  return problems;
}

/** The System Administrator role: the same id in every environment, so an app's role map may name it without shipping it. */
export const SYSTEM_ADMINISTRATOR_ROLE = "627090ff-40a3-4053-8790-584edc5be201";
/** The platform's default app icon (a web resource every environment has), which an app may use instead of its own. */
export const DEFAULT_APP_ICON = "953b9fac-1e5e-e611-80d6-00155ded156f";

/** What the solution defines that its app, site map and dashboards may point at, by normalized id or by name. */
interface SolutionComponents {
  views: Map<string, SourceFile>;
  charts: Map<string, SourceFile>;
  forms: Map<string, SourceFile>;
  dashboards: Map<string, SourceFile>;
  roles: Map<string, SourceFile>;
  /** Web resources by name and by normalized id. */
  webResources: Map<string, SourceFile>;
  webResourceIds: Set<string>;
  siteMaps: Map<string, SourceFile>;
  apps: Map<string, SourceFile>;
}

function solutionComponents(source: SolutionSource, forms: Map<string, SourceFile>, roles: Map<string, SourceFile>): SolutionComponents {
  const byText = <T>(items: T[], file: (item: T) => SourceFile, name: string) => new Map(items.map((item) => [childText(file(item).document.root, name), file(item)]));
  const byId = (files: SourceFile[], name: string) => new Map(files.map((file) => [normalize(childText(file.document.root, name)), file]));
  return {
    views: new Map(
      source.entities.flatMap((entity) =>
        entity.views.flatMap((view) => [...descendants(view.document.root)].filter((node) => node.name === "savedqueryid").map((node) => [normalize(textContent(node)), view] as const)),
      ),
    ),
    charts: byId(
      source.entities.flatMap((entity) => entity.charts),
      "savedqueryvisualizationid",
    ),
    forms,
    dashboards: byId(source.dashboards, "FormId"),
    roles,
    webResources: byText(source.webResources, (resource) => resource.file, "Name"),
    webResourceIds: new Set(source.webResources.map((resource) => normalize(childText(resource.file.document.root, "WebResourceId")))),
    siteMaps: byText(source.siteMaps, (siteMap) => siteMap.file, "SiteMapUniqueName"),
    apps: byText(source.appModules, (app) => app.file, "UniqueName"),
  };
}

/** The query parameters of a site map URL (/main.aspx?pagetype=…&id=…), decoded. */
function urlParameters(url: string): URLSearchParams {
  return new URLSearchParams(url.includes("?") ? url.slice(url.indexOf("?") + 1) : "");
}

/**
 * A site map's unique name carries the publisher prefix and is its folder's name, and every SubArea
 * opens a view or a dashboard the solution defines: Url …&viewid= (pagetype=entitylist), Url …&id=
 * (pagetype=dashboard) or DefaultDashboard, as the site map designer writes a dashboard SubArea.
 */
function checkSiteMap(siteMap: { folder: string; file: SourceFile }, components: SolutionComponents, identity: SolutionIdentity, fail: (file: string, problem: string) => void): void {
  const { file } = siteMap;
  const uniqueName = childText(file.document.root, "SiteMapUniqueName");
  if (!uniqueName.toLowerCase().startsWith(`${identity.prefix}_`)) fail(`solution/${file.path}`, `site map unique name "${uniqueName}" does not start with the publisher prefix ${identity.prefix}_`);
  if (uniqueName !== siteMap.folder) fail(`solution/${file.path}`, `<SiteMapUniqueName> is "${uniqueName}" but the folder is ${siteMap.folder}`);
  for (const subArea of [...descendants(file.document.root)].filter((node) => node.name === "SubArea")) {
    const parameters = urlParameters(subArea.attributes.Url ?? "");
    const pageType = parameters.get("pagetype");
    const viewId = parameters.get("viewid");
    if (pageType === "entitylist" && viewId !== null && !components.views.has(normalize(viewId)))
      fail(at(file, subArea), `SubArea ${subArea.attributes.Id} opens the view ${viewId}, which is not a view of the solution (Entities/*/SavedQueries/)`);
    const dashboardIds = [subArea.attributes.DefaultDashboard, pageType === "dashboard" ? parameters.get("id") : null].filter((id): id is string => !!id);
    for (const id of dashboardIds)
      if (!components.dashboards.has(normalize(id))) fail(at(file, subArea), `SubArea ${subArea.attributes.Id} opens the dashboard ${id}, which is not a dashboard of the solution (Dashboards/)`);
  }
}

/**
 * An app's unique name carries the publisher prefix and is its folder's name; its icon, components
 * and role map point at things the solution has (or the platform's default icon, or System Administrator).
 */
function checkApp(app: { folder: string; file: SourceFile }, components: SolutionComponents, identity: SolutionIdentity, fail: (file: string, problem: string) => void): void {
  const { file } = app;
  const root = file.document.root;
  const uniqueName = childText(root, "UniqueName");
  if (!uniqueName.toLowerCase().startsWith(`${identity.prefix}_`)) fail(`solution/${file.path}`, `app unique name "${uniqueName}" does not start with the publisher prefix ${identity.prefix}_`);
  if (uniqueName !== app.folder) fail(`solution/${file.path}`, `<UniqueName> is "${uniqueName}" but the folder is ${app.folder}`);
  const icon = firstChild(root, "WebResourceId");
  const iconId = icon ? textContent(icon) : "";
  if (normalize(iconId) !== DEFAULT_APP_ICON && !components.webResourceIds.has(normalize(iconId)))
    fail(at(file, icon ?? root), `WebResourceId ${iconId} is not a web resource of the solution (WebResources/) nor the platform's default app icon ${DEFAULT_APP_ICON}`);
  for (const component of [...descendants(root)].filter((node) => node.name === "AppModuleComponent")) {
    const { type, id = "", schemaName = "" } = component.attributes;
    const missing = (what: string) => fail(at(file, component), `AppModuleComponent type ${type} ${id || `"${schemaName}"`} is not ${what}`);
    if (type === "26" && !components.views.has(normalize(id))) missing("a view of the solution (Entities/*/SavedQueries/)");
    if (type === "59" && !components.charts.has(normalize(id))) missing("a chart of the solution (Entities/*/Visualizations/)");
    if (type === "60" && !components.forms.has(normalize(id)) && !components.dashboards.has(normalize(id))) missing("a form or a dashboard of the solution (Entities/*/FormXml/, Dashboards/)");
    if (type === "62" && !components.siteMaps.has(schemaName)) missing("a site map of the solution (AppModuleSiteMaps/)");
  }
  for (const role of [...descendants(root)].filter((node) => node.name === "Role" && node.attributes.id !== undefined)) {
    const id = role.attributes.id;
    if (normalize(id) !== SYSTEM_ADMINISTRATOR_ROLE && !components.roles.has(normalize(id)))
      fail(at(file, role), `role ${id} is neither a role of the solution (Roles/) nor System Administrator {${SYSTEM_ADMINISTRATOR_ROLE}}`);
  }
}

/** A dashboard's grids and charts show views and charts the solution defines. */
function checkDashboard(dashboard: SourceFile, components: SolutionComponents, fail: (file: string, problem: string) => void): void {
  for (const parameters of [...descendants(dashboard.document.root)].filter((node) => node.name === "parameters")) {
    const viewId = childText(parameters, "ViewId");
    const chartId = childText(parameters, "VisualizationId");
    if (viewId && !components.views.has(normalize(viewId)))
      fail(at(dashboard, firstChild(parameters, "ViewId") ?? parameters), `ViewId ${viewId} is not a view of the solution (Entities/*/SavedQueries/)`);
    if (chartId && !components.charts.has(normalize(chartId)))
      fail(at(dashboard, firstChild(parameters, "VisualizationId") ?? parameters), `VisualizationId ${chartId} is not a chart of the solution (Entities/*/Visualizations/)`);
  }
}

/** "#107C10" → "16,124,16", the form PaletteCustomColors writes a colour in. */
const rgbOf = (hex: string) => {
  const digits = /^#?([0-9a-fA-F]{6})$/.exec(hex.trim())?.[1];
  return digits ? [0, 2, 4].map((start) => parseInt(digits.slice(start, start + 2), 16)).join(",") : hex.trim();
};

/** The option colours of a choice column the entity defines, in value order, as PaletteCustomColors writes them; null when an option has none. */
function optionColours(entity: EntitySource, column: string): string[] | null {
  const attribute = definedColumns(entity).find((node) => childText(node, "LogicalName").toLowerCase() === column);
  const options = attribute ? [...descendants(attribute)].filter((node) => node.name === "option") : [];
  if (!options.length || options.some((option) => !option.attributes.Color)) return null;
  return options.sort((a, b) => Number(a.attributes.value) - Number(b.attributes.value)).map((option) => rgbOf(option.attributes.Color));
}

/**
 * A chart is on the table whose folder it lives in, groups and aggregates columns that table has or
 * the solution adds, and, grouped by a choice the solution colours, uses the option colours in value
 * order (its categories come in value order; the platform merges the view's filter into this fetch).
 */
function checkChart(entity: EntitySource, chart: SourceFile, fail: (file: string, problem: string) => void): void {
  const table = entity.name.toLowerCase();
  const nodes = [...descendants(chart.document.root)];
  const added = new Set(definedColumns(entity).map((column) => childText(column, "LogicalName").toLowerCase()));
  const stock = SYSTEM_TABLE_COLUMNS[table] ?? new Set<string>();
  const fetchEntities = nodes.filter((node) => node.name === "entity");
  for (const fetchEntity of fetchEntities) {
    if ((fetchEntity.attributes.name ?? "").toLowerCase() !== table)
      fail(at(chart, fetchEntity), `the chart's entity is ${fetchEntity.attributes.name}, not ${table}, the table whose folder it lives in`);
  }
  // The table's own columns (a link-entity's are another table's).
  const grouped = fetchEntities.flatMap((fetchEntity) =>
    childElements(fetchEntity, "attribute").filter((node) => node.attributes.groupby === "true" || node.attributes.aggregate),
  );
  for (const attribute of grouped) {
    const column = (attribute.attributes.name ?? "").toLowerCase();
    const verb = attribute.attributes.groupby === "true" ? "groups by" : "aggregates";
    if (!stock.has(column) && !added.has(column)) fail(at(chart, attribute), `the chart ${verb} ${column}, a column ${entity.name} does not have and the solution does not add`);
  }
  const palette = nodes.find((node) => node.name === "Chart" && node.attributes.PaletteCustomColors !== undefined);
  const groupBy = grouped.find((attribute) => attribute.attributes.groupby === "true");
  const expected = groupBy ? optionColours(entity, (groupBy.attributes.name ?? "").toLowerCase()) : null;
  if (palette && expected) {
    const colours = palette.attributes.PaletteCustomColors.split(";").map((colour) => colour.replace(/\s/g, ""));
    if (colours.join(";") !== expected.join(";"))
      fail(
        at(chart, palette),
        `PaletteCustomColors "${palette.attributes.PaletteCustomColors}" are not the option colours of ${groupBy?.attributes.name} in value order (${expected.join("; ")}, Entity.xml)`,
      );
  }
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
