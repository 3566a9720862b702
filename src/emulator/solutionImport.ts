import { randomUUID } from "crypto";
import JSZip from "jszip";
import { normalizeId } from "../core/ids";
import { childElements, descendants, element, firstChild, parseXml, serializeXml, textContent, type XmlElement } from "../solution/xml";
import { badRequest, DataverseFault } from "./dataverseErrors";
import { parseFetchXml } from "./fetchXml";
import {
  APP_ROLES,
  APPMODULE,
  BUSINESSUNIT,
  CUSTOMCONTROL,
  entityByLogicalName,
  PUBLISHER,
  ROLE,
  SITEMAP,
  SOLUTION,
  type EntityDef,
} from "./metadata";
import { dateTimeText, textOf, type OrgStore, type PrivilegeGrant, type Row } from "./store";

/**
 * ImportSolution as the emulator performs it ("ImportSolution Action"; "Solution component file
 * reference"): the zip must hold solution.xml, customizations.xml and [Content_Types].xml at its
 * root; a code component needs prvCreateCustomControl and its publisher's prefix; roles are created
 * or updated by id and copied into every business unit. The import job records progress and a
 * result log per component, as `importjobs(<ImportJobId>)` reports them. The components
 * customizations.xml carries (customizationRows: forms, views, charts, dashboards, web resources, site
 * maps, model-driven apps and their role maps) are live at once after a managed import and drafts
 * until PublishXml or PublishAllXml after an unmanaged one ("Import solutions": "When you import an
 * unmanaged solution, the changes are imported in a draft state so you must publish them to make them
 * active"). A component that cannot be imported fails the whole import with its reason in the log.
 * Docs: docs/dataverse-emulator-apps.md.
 */
export interface ImportRequest {
  zip: Buffer;
  importJobId: string;
  callerPrivileges: Map<string, string>;
}

const ROOT_FILES = ["solution.xml", "customizations.xml", "[Content_Types].xml"];

export async function importSolution(store: OrgStore, request: ImportRequest, tick: (progress: number) => Promise<void>): Promise<void> {
  const startedon = new Date().toISOString();
  const job = { importjobid: request.importJobId, solutionname: "", progress: 0, startedon, completedon: null, data: null };
  if (store.get("importjob", request.importJobId)) throw badRequest(`An import job with id ${request.importJobId} already exists.`);
  store.insert("importjob", job);

  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(request.zip);
  } catch {
    return fail(store, job, "The import file is not a valid compressed (zip) file.");
  }
  if (ROOT_FILES.some((name) => !zip.file(name)))
    return fail(
      store,
      job,
      "The compressed file must contain the following files at its root: solution.xml, customizations.xml, and [Content_Types].xml.",
    );

  let solution: XmlElement;
  let customizations: XmlElement;
  try {
    solution = parseXml(await zip.file("solution.xml")!.async("string"), "solution.xml").root;
    customizations = parseXml(await zip.file("customizations.xml")!.async("string"), "customizations.xml").root;
  } catch (error) {
    return fail(store, job, `The solution file is invalid: ${error instanceof Error ? error.message : String(error)}`);
  }
  const manifest = firstChild(solution, "SolutionManifest") ?? element("SolutionManifest");
  const read = (parent: XmlElement | undefined, name: string) =>
    parent && firstChild(parent, name) ? textContent(firstChild(parent, name)!).trim() : "";
  const uniqueName = read(manifest, "UniqueName");
  const version = read(manifest, "Version");
  const managed = read(manifest, "Managed") === "1";
  const prefix = read(firstChild(manifest, "Publisher"), "CustomizationPrefix");
  store.update("importjob", request.importJobId, { solutionname: uniqueName });
  await tick(10);

  const existing = [...store.rows(SOLUTION)].find((row) => textOf(row.uniquename).toLowerCase() === uniqueName.toLowerCase());
  if (existing && (existing.ismanaged === true) !== managed)
    return fail(
      store,
      job,
      `The solution ${uniqueName} is already installed as ${existing.ismanaged ? "managed" : "unmanaged"}: remove it before importing it as ${managed ? "managed" : "unmanaged"}.`,
      uniqueName,
    );

  const results: ComponentResult[] = [];
  for (const control of childElements(firstChild(customizations, "CustomControls") ?? element("x"), "CustomControl")) {
    const name = read(control, "Name");
    const fileName = read(control, "FileName");
    const error = !request.callerPrivileges.has("prvCreateCustomControl")
      ? "The user does not hold prvCreateCustomControl, needed to import a code component."
      : !name.startsWith(`${prefix}_`)
        ? `Publisher prefix ${prefix} for this control ${name} does not match the prefix of the solution's publisher.`
        : !zip.file(fileName.replace(/^\//, ""))
          ? `The control's manifest ${fileName} is missing from the zip.`
          : undefined;
    results.push({ section: "customControls", id: name, name, error });
  }
  await tick(40);
  for (const entity of childElements(firstChild(customizations, "Entities") ?? element("x"), "Entity")) {
    const name = read(entity, "Name");
    results.push({ section: "entities", id: name.toLowerCase(), name });
  }
  const roles = childElements(firstChild(customizations, "Roles") ?? element("x"), "Role");
  for (const role of roles) {
    const levels = [...descendants(role)].filter((node) => node.name === "RolePrivilege").map((node) => node.attributes.level);
    const bad = levels.find((level) => !["Basic", "Local", "Deep", "Global"].includes(level));
    results.push({
      section: "roles",
      id: role.attributes.id ?? "",
      name: role.attributes.name ?? "",
      error: bad ? `Unknown privilege level ${bad}.` : undefined,
    });
  }

  // The rows the solution carries; an app module and a site map keep the id the org knows them by.
  const files = new Map<string, Buffer>();
  for (const resource of childElements(firstChild(customizations, "WebResources") ?? element("x"), "WebResource")) {
    const path = read(resource, "FileName").replace(/^\/+/, "");
    const file = path ? zip.file(path) : null;
    if (file) files.set(path, await file.async("nodebuffer"));
  }
  const carried = customizationRows(customizations, {
    readFile: (path) => files.get(path),
    idFor: (table, uniqueName) => existingId(store, table, uniqueName) ?? randomUUID(),
  });
  results.push(...carried.components);
  checkAppDependencies(store, carried, roles, results);
  await tick(70);

  const failed = results.some((result) => result.error);
  if (!failed) {
    for (const role of roles) applyRole(store, role);
    const localized = [...descendants(manifest)].find((node) => node.name === "LocalizedName");
    const publisherid = applyPublisher(store, firstChild(manifest, "Publisher"), request.importJobId);
    const row = {
      uniquename: uniqueName,
      friendlyname: localized?.attributes.description ?? uniqueName,
      version,
      ismanaged: managed,
      publisherid,
    };
    if (existing) store.update("solution", textOf(existing.solutionid), row);
    else store.insert("solution", { ...row, solutionid: request.importJobId });
    for (const control of results.filter((result) => result.section === "customControls")) {
      const known = [...store.rows(CUSTOMCONTROL)].find((candidate) => candidate.name === control.name);
      if (!known) store.insert("customcontrol", { customcontrolid: randomUUID(), name: control.name });
    }
    applyComponents(store, carried, managed);
  }
  await tick(100);
  store.update("importjob", request.importJobId, {
    progress: 100,
    completedon: new Date().toISOString(),
    data: resultLog(uniqueName, results, startedon),
  });
  if (failed)
    throw new DataverseFault(
      400,
      "0x80048033",
      `Solution ${uniqueName} could not be imported: ${results
        .filter((r) => r.error)
        .map((r) => `${r.name}: ${r.error ?? ""}`)
        .join("; ")}`,
    );
}

/** The id the org already knows an app module or site map by (published or draft), by unique name. */
function existingId(store: OrgStore, table: "appmodule" | "sitemap", uniqueName: string): string | undefined {
  const entity = table === "appmodule" ? APPMODULE : SITEMAP;
  const column = table === "appmodule" ? "uniquename" : "sitemapnameunique";
  const found = store.unpublishedRows(entity).find((row) => textOf(row[column]).toLowerCase() === uniqueName.toLowerCase());
  return found ? textOf(found[entity.primaryKey]) : undefined;
}

/**
 * What an app needs from the org: the site map it names, in the solution or already there, and the
 * roles of its role map, in the solution or already there (InvalidDependencyEntity and
 * InvalidDependencyComponent, "Web service error codes").
 */
function checkAppDependencies(store: OrgStore, carried: CustomizationRows, roles: XmlElement[], results: ComponentResult[]): void {
  const appName = (appmoduleid: string) => textOf(carried.tables.appmodule.find((app) => app.appmoduleid === appmoduleid)?.uniquename);
  const refuseApp = (appmoduleid: string, error: string, errorcode: string) => {
    const result = results.find((entry) => entry.section === "appModules" && entry.id === appName(appmoduleid));
    if (result && !result.error) Object.assign(result, { error, errorcode });
  };
  for (const siteMap of carried.appSiteMaps) {
    if (siteMap.sitemapid || existingId(store, "sitemap", siteMap.uniqueName)) continue;
    refuseApp(
      siteMap.appmoduleid,
      `The required component SiteMap (Name=${siteMap.uniqueName}) that was defined for the AppModule could not be found in the system.`,
      "0x8004F041",
    );
  }
  const solutionRoles = new Set(roles.map((role) => normalizeId(role.attributes.id ?? "")));
  for (const [, appmoduleid, roleid] of carried.links) {
    if (solutionRoles.has(roleid) || orgRole(store, roleid)) continue;
    refuseApp(
      appmoduleid,
      `The required component Role (Id=${roleid}) that was defined for the AppModule could not be found in the system.`,
      "0x8004F040",
    );
  }
}

/**
 * The org's role a role map names: by its id, or, for a system role, by its role template (System
 * Administrator is {627090ff-40a3-4053-8790-584edc5be201} in every org's role maps, and the template's
 * id: the root business unit's role of that template answers to it, whatever id the org gave it).
 */
function orgRole(store: OrgStore, roleid: string): string | undefined {
  if (store.get(ROLE.logicalName, roleid)) return roleid;
  const units = [...store.rows(BUSINESSUNIT)];
  const root = units.find((unit) => !unit.parentbusinessunitid) ?? units[0];
  const role = store.findRow(
    ROLE.logicalName,
    (row) => normalizeId(textOf(row.roletemplateid)) === roleid && textOf(row.businessunitid) === textOf(root?.businessunitid),
  );
  return role ? textOf(role.roleid) : undefined;
}

/**
 * The carried rows into the org: a managed import's are live at once; an unmanaged import's are
 * drafts until PublishXml or PublishAllXml ("Import solutions"). A site map is published with the app
 * that shows it. An app's role map replaces the roles it had (the app's own appmoduleroles_association).
 */
function applyComponents(store: OrgStore, carried: CustomizationRows, managed: boolean): void {
  const appsOf = new Map<string, string[]>();
  for (const siteMap of carried.appSiteMaps) {
    const id = siteMap.sitemapid ?? existingId(store, "sitemap", siteMap.uniqueName);
    if (id) appsOf.set(id, [...(appsOf.get(id) ?? []), `appmodule:${siteMap.appmoduleid}`]);
  }
  const now = dateTimeText(Date.now());
  for (const [logicalName, rows] of Object.entries(carried.tables))
    for (const row of rows) {
      if (managed) store.upsert(logicalName, logicalName === "appmodule" ? { ...row, publishedon: now } : row);
      else store.stageDraft(logicalName, row, logicalName === "sitemap" ? (appsOf.get(textOf(row.sitemapid)) ?? []) : []);
    }
  for (const app of carried.tables.appmodule) {
    const id = textOf(app.appmoduleid);
    for (const roleid of store.relatedIds(APP_ROLES, "appmodule", id)) store.unlink(APP_ROLES, id, roleid);
  }
  for (const [schemaName, first, second] of carried.links) store.link(schemaName, first, orgRole(store, second) ?? second);
}

function fail(store: OrgStore, job: Row, message: string, solutionName = ""): never {
  store.update("importjob", textOf(job.importjobid), {
    progress: 100,
    completedon: new Date().toISOString(),
    data: resultLog(solutionName, [], textOf(job.startedon), message),
  });
  // ImportSolutionError ("Web service error codes"): the zip cannot be imported at all.
  throw badRequest(message, "0x80048033");
}

/** The solution's publisher, found by unique name or created; returns its id. */
function applyPublisher(store: OrgStore, publisher: XmlElement | undefined, newId: string): string | null {
  const read = (name: string) => (publisher && firstChild(publisher, name) ? textContent(firstChild(publisher, name)!).trim() : "");
  const uniquename = read("UniqueName");
  if (!uniquename) return null;
  const known = [...store.rows(PUBLISHER)].find((row) => textOf(row.uniquename).toLowerCase() === uniquename.toLowerCase());
  if (known) return textOf(known.publisherid);
  const friendlyname = publisher
    ? ([...descendants(publisher)].find((node) => node.name === "LocalizedName")?.attributes.description ?? uniquename)
    : uniquename;
  store.insert("publisher", { publisherid: newId, uniquename, friendlyname, customizationprefix: read("CustomizationPrefix") });
  return newId;
}

/** A component's row in the import job's result log, under its section ("importjobs(<id>).data"). */
export interface ComponentResult {
  section: "roles" | "entities" | "customControls" | "visualizations" | "dashboards" | "webResources" | "appModuleSiteMaps" | "appModules";
  id: string;
  name: string;
  /** Why the component cannot be imported, as Dataverse words it; the import fails when any has one. */
  error?: string;
  /** The error's code ("Web service error codes"); ImportSolutionError (0x80048033) when not given. */
  errorcode?: string;
}

export interface CustomizationRowOptions {
  /**
   * A file of the solution by the path a component's FileName gives (leading slash removed), or
   * undefined when the solution has none: web resources read their content from it.
   */
  readFile?: (path: string) => Buffer | undefined;
  /**
   * The id of the app module or site map with this unique name: the import passes the org's own, so a
   * re-import keeps it (neither has an id in customizations.xml). Default: a new random GUID.
   */
  idFor?: (table: "appmodule" | "sitemap", uniqueName: string) => string;
}

/** The rows a customizations.xml carries, by table, with what the import needs beside them. */
export interface CustomizationRows {
  /**
   * Rows by table logical name: systemform (forms and dashboards), savedquery, savedqueryvisualization,
   * appmodule, sitemap and webresource, ids bare and lower case, componentstate 0 (Published).
   */
  tables: Record<string, Row[]>;
  /** Many-to-many pairs in the relationship's side order: [appmoduleroles_association, appmoduleid, roleid]. */
  links: [string, string, string][];
  /** Each app's site map (its AppModuleComponent of type 62), by unique name, and the id when the solution carries it. */
  appSiteMaps: { appmoduleid: string; uniqueName: string; sitemapid?: string }[];
  /** Each component for the result log, with the reason it cannot be imported when there is one. */
  components: ComponentResult[];
}

/** A localized label: the English one, else the first (LocalizedNames/LocalizedName, Descriptions/Description). */
function label(parent: XmlElement | undefined, list: string, item: string): string {
  const labels = parent && firstChild(parent, list) ? childElements(firstChild(parent, list)!, item) : [];
  return (labels.find((node) => node.attributes.languagecode === "1033") ?? labels[0])?.attributes.description ?? "";
}

const childText = (parent: XmlElement, name: string) => (firstChild(parent, name) ? textContent(firstChild(parent, name)!).trim() : "");
const int = (text: string) => (/^-?\d+$/.test(text.trim()) ? Number(text) : null);
/** An XML-valued column: the element inside (exports write it as XML), or the escaped text some exports write. */
function xmlColumn(parent: XmlElement, name: string): string | null {
  const holder = firstChild(parent, name);
  if (!holder) return null;
  const inner = childElements(holder)[0];
  if (inner) return serializeXml({ declaration: null, root: inner }).trim();
  const text = textContent(holder).trim();
  return text || null;
}

/** FormXml's `<forms type>` as systemform.type (systemform table reference; SystemFormType in the schema). */
const FORM_TYPES: Record<string, number> = {
  dashboard: 0,
  appointmentBook: 1,
  main: 2,
  minicampaignbo: 3,
  preview: 4,
  mobile: 5,
  quick: 6,
  quickCreate: 7,
  dialog: 8,
  taskBasedForm: 9,
  interactioncentricdashboard: 10,
  card: 11,
  mainInteractionCentric: 12,
  other: 100,
};

/**
 * The rows a customizations.xml root element (`ImportExportXml`) carries, by table: the forms, views
 * (with fetchxml and layoutxml) and charts of each Entity, the Dashboards (systemform type 0), the
 * WebResources (content read through `readFile` from their FileName), the AppModuleSiteMaps and the
 * AppModules with their role map. Independent of any org: what depends on one (an app's site map or
 * roles the org already has) is checked by the import. Components that cannot be imported whatever
 * the org (a chart on a table that does not exist, a chart whose fetch is invalid, a web resource
 * without its file) carry their error.
 */
export function customizationRows(customizations: XmlElement, options: CustomizationRowOptions = {}): CustomizationRows {
  const idFor = options.idFor ?? (() => randomUUID());
  const tables: Record<string, Row[]> = {
    systemform: [],
    savedquery: [],
    savedqueryvisualization: [],
    appmodule: [],
    sitemap: [],
    webresource: [],
  };
  const out: CustomizationRows = { tables, links: [], appSiteMaps: [], components: [] };
  const section = (name: string, item: string) => childElements(firstChild(customizations, name) ?? element("x"), item);

  for (const entity of section("Entities", "Entity")) {
    const table = childText(entity, "Name").toLowerCase();
    const entityDef = entityByLogicalName(table);
    for (const forms of childElements(firstChild(entity, "FormXml") ?? element("x"), "forms")) {
      for (const form of childElements(forms, "systemform")) {
        const layout = firstChild(form, "form");
        tables.systemform.push({
          formid: normalizeId(childText(form, "formid")),
          name: label(form, "LocalizedNames", "LocalizedName"),
          description: label(form, "Descriptions", "Description") || null,
          objecttypecode: table,
          type: FORM_TYPES[forms.attributes.type ?? "main"] ?? null,
          formxml: layout ? serializeXml({ declaration: null, root: layout }).trim() : null,
          componentstate: 0,
        });
      }
    }
    for (const views of childElements(firstChild(entity, "SavedQueries") ?? element("x"), "savedqueries"))
      for (const view of childElements(views, "savedquery"))
        tables.savedquery.push({
          savedqueryid: normalizeId(childText(view, "savedqueryid")),
          name: label(view, "LocalizedNames", "LocalizedName"),
          description: label(view, "Descriptions", "Description") || null,
          returnedtypecode: table,
          fetchxml: xmlColumn(view, "fetchxml"),
          layoutxml: xmlColumn(view, "layoutxml"),
          querytype: int(childText(view, "querytype")) ?? 0,
          isdefault: childText(view, "isdefault") === "1",
          componentstate: 0,
        });
    for (const chart of childElements(firstChild(entity, "Visualizations") ?? element("x"), "visualization")) {
      const row: Row = {
        savedqueryvisualizationid: normalizeId(childText(chart, "savedqueryvisualizationid")),
        name: label(chart, "LocalizedNames", "LocalizedName"),
        description: label(chart, "Descriptions", "Description") || null,
        primaryentitytypecode: table,
        datadescription: xmlColumn(chart, "datadescription"),
        presentationdescription: xmlColumn(chart, "presentationdescription"),
        isdefault: childText(chart, "isdefault") === "1",
        componentstate: 0,
      };
      tables.savedqueryvisualization.push(row);
      out.components.push({
        section: "visualizations",
        id: textOf(row.savedqueryvisualizationid),
        name: textOf(row.name),
        ...chartError(entityDef, table, textOf(row.datadescription)),
      });
    }
  }

  for (const dashboard of section("Dashboards", "Dashboard")) {
    const form = [...descendants(firstChild(dashboard, "FormXml") ?? element("x"))].find((node) => node.name === "form");
    const row: Row = {
      formid: normalizeId(childText(dashboard, "FormId")),
      name: label(dashboard, "LocalizedNames", "LocalizedName"),
      description: label(dashboard, "Descriptions", "Description") || null,
      // A dashboard belongs to no table: its ObjectTypeCode is none (systemform table reference).
      objecttypecode: "none",
      type: 0,
      formxml: form ? serializeXml({ declaration: null, root: form }).trim() : null,
      componentstate: 0,
    };
    tables.systemform.push(row);
    out.components.push({ section: "dashboards", id: textOf(row.formid), name: textOf(row.name) });
  }

  for (const resource of section("WebResources", "WebResource")) {
    const fileName = childText(resource, "FileName");
    const file = fileName && options.readFile ? options.readFile(fileName.replace(/^\/+/, "")) : undefined;
    const row: Row = {
      webresourceid: normalizeId(childText(resource, "WebResourceId")),
      name: childText(resource, "Name"),
      displayname: childText(resource, "DisplayName") || null,
      description: childText(resource, "Description") || null,
      webresourcetype: int(childText(resource, "WebResourceType")),
      content: file ? file.toString("base64") : null,
      componentstate: 0,
    };
    tables.webresource.push(row);
    out.components.push({
      section: "webResources",
      id: textOf(row.webresourceid),
      name: textOf(row.name),
      ...(options.readFile && !file
        ? { error: `The web resource's file ${fileName || "(no FileName)"} is missing from the solution.`, errorcode: "0x80048033" }
        : {}),
    });
  }

  const siteMapIds = new Map<string, string>();
  for (const siteMap of section("AppModuleSiteMaps", "AppModuleSiteMap")) {
    const uniqueName = childText(siteMap, "SiteMapUniqueName");
    const xml = firstChild(siteMap, "SiteMap");
    const sitemapid = idFor("sitemap", uniqueName);
    siteMapIds.set(uniqueName.toLowerCase(), sitemapid);
    tables.sitemap.push({
      sitemapid,
      sitemapname: childText(siteMap, "SiteMapName") || label(siteMap, "LocalizedNames", "LocalizedName") || uniqueName,
      sitemapnameunique: uniqueName,
      sitemapxml: xml ? serializeXml({ declaration: null, root: xml }).trim() : null,
      isappaware: true,
      componentstate: 0,
    });
    out.components.push({ section: "appModuleSiteMaps", id: uniqueName, name: uniqueName });
  }

  for (const app of section("AppModules", "AppModule")) {
    const uniqueName = childText(app, "UniqueName");
    const appmoduleid = idFor("appmodule", uniqueName);
    const webresourceid = normalizeId(childText(app, "WebResourceId"));
    tables.appmodule.push({
      appmoduleid,
      uniquename: uniqueName,
      name: label(app, "LocalizedNames", "LocalizedName") || uniqueName,
      description: label(app, "Descriptions", "Description") || null,
      webresourceid: webresourceid || null,
      clienttype: int(childText(app, "ClientType")),
      formfactor: int(childText(app, "FormFactor")),
      url: childText(app, "URL") || null,
      introducedversion: childText(app, "IntroducedVersion") || null,
      publishedon: null,
      componentstate: 0,
    });
    for (const role of childElements(firstChild(app, "AppModuleRoleMaps") ?? element("x"), "Role"))
      out.links.push([APP_ROLES, appmoduleid, normalizeId(role.attributes.id ?? "")]);
    // The site map is the app's component of type 62 (SiteMap), named by its unique name.
    for (const component of childElements(firstChild(app, "AppModuleComponents") ?? element("x"), "AppModuleComponent")) {
      if (component.attributes.type !== "62") continue;
      const name = component.attributes.schemaName ?? "";
      out.appSiteMaps.push({ appmoduleid, uniqueName: name, sitemapid: siteMapIds.get(name.toLowerCase()) });
    }
    out.components.push({ section: "appModules", id: uniqueName, name: uniqueName });
  }
  return out;
}

/**
 * Why a chart cannot be imported: its table does not exist (InvalidDependencyEntity, "Web service
 * error codes"), or its datadescription's fetch is not a valid FetchXml query on it (InvalidDataDescription).
 */
function chartError(entity: EntityDef | undefined, table: string, datadescription: string): { error?: string; errorcode?: string } {
  if (!entity)
    return {
      error: `The required component Entity (Name=${table}) that was defined for the SavedQueryVisualization could not be found in the system.`,
      errorcode: "0x8004F041",
    };
  try {
    const fetch = datadescription
      ? [...descendants(parseXml(datadescription, "datadescription").root)].find((node) => node.name === "fetch")
      : undefined;
    if (!fetch) throw new Error("it has no <fetch>");
    parseFetchXml(serializeXml({ declaration: null, root: fetch }), entity);
    return {};
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { error: `The data description for the visualization is invalid. (${reason})`, errorcode: "0x8004E000" };
  }
}

/** A role by its id in the root business unit, with a copy in every other unit (roles are copied per unit). */
function applyRole(store: OrgStore, role: XmlElement): void {
  const id = (role.attributes.id ?? "").replace(/[{}]/g, "").toLowerCase();
  const privileges: PrivilegeGrant[] = [...descendants(role)]
    .filter((node) => node.name === "RolePrivilege")
    .map((node) => ({ name: node.attributes.name, depth: node.attributes.level as PrivilegeGrant["depth"] }));
  const units = [...store.rows(BUSINESSUNIT)];
  const root = units.find((unit) => !unit.parentbusinessunitid) ?? units[0];
  for (const unit of units) {
    const copyId = unit === root ? id : `${id.slice(0, 24)}${textOf(unit.businessunitid).slice(24)}`;
    const row = { name: role.attributes.name, businessunitid: unit.businessunitid, parentrootroleid: id };
    if (store.get(ROLE.logicalName, copyId)) store.update(ROLE.logicalName, copyId, { name: row.name });
    else store.insert(ROLE.logicalName, { roleid: copyId, ...row });
    store.setRolePrivileges(copyId, privileges);
  }
}

/** The import job's `data`: the result of each component, success or failure with its text and code. */
function resultLog(solutionName: string, results: ComponentResult[], startedon: string, solutionError?: string): string {
  const result = (error?: string, errorcode?: string) =>
    element("result", {
      result: error ? "failure" : "success",
      errorcode: error ? (errorcode ?? "0x80048033") : "0",
      errortext: error ?? "",
      datetime: new Date().toISOString(),
    });
  const section = (name: ComponentResult["section"], item: string) =>
    element(
      name,
      {},
      results
        .filter((entry) => entry.section === name)
        .map((entry) => element(item, { id: entry.id, name: entry.name, processed: "true" }, [result(entry.error, entry.errorcode)])),
    );
  const root = element("importexportxml", { start: startedon, stop: new Date().toISOString(), progress: "100", processed: "true" }, [
    element("solutionManifests", {}, [element("solutionManifest", { id: solutionName, processed: "true" }, [result(solutionError)])]),
    section("entities", "entity"),
    section("visualizations", "visualization"),
    section("roles", "role"),
    section("dashboards", "dashboard"),
    section("webResources", "webResource"),
    section("customControls", "customControl"),
    section("appModuleSiteMaps", "appModuleSiteMap"),
    section("appModules", "appModule"),
  ]);
  return serializeXml({ declaration: null, root });
}
