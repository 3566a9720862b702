import type { BuiltControl } from "./builtControl";
import type { SolutionSource } from "./source";
import { childElements, element, firstChild, textContent, type XmlChild, type XmlDocument, type XmlElement } from "./xml";

const DECLARATION = { version: "1.0", encoding: "utf-8" };
const CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types";

/** A deep copy, so composing never edits the parsed source; it keeps where each element came from. */
function clone(node: XmlElement): XmlElement {
  const copy: XmlElement = { name: node.name, attributes: { ...node.attributes }, children: node.children.map((child) => (typeof child === "string" ? child : clone(child))) };
  if (node.location) copy.location = node.location;
  return copy;
}

/**
 * A part's root as customizations.xml holds it: the unpacked files declare xmlns:xsi on their root
 * (as SolutionPackager writes them); inside customizations.xml the ImportExportXml root declares it.
 */
function embedded(node: XmlElement): XmlElement {
  const copy = clone(node);
  delete copy.attributes["xmlns:xsi"];
  return copy;
}

/**
 * The sections of ImportExportXml in the order CustomizationsSolution.xsd's sequence requires them
 * (customizations.xml is validated against it), as Dataverse exports write them.
 */
export const IMPORT_EXPORT_ORDER = [
  "Entities", "Roles", "Workflows", "FieldSecurityProfiles", "Templates", "RibbonDiffXml", "IsvConfig", "RelationshipRoles", "ConnectionRoles", "SiteMap",
  "EntityMaps", "EntityRelationships", "OrganizationSettings", "optionsets", "Reports", "RoutingRules", "ChannelPropertyGroups", "ConvertRules",
  "MobileOfflineProfiles", "Slas", "ChannelAccessProfiles", "ChannelAccessProfileRules", "Dashboards", "InteractionCentricDashboards", "Dialogs",
  "WebResources", "CustomControls", "SolutionPluginAssemblies", "SdkMessageProcessingSteps", "ServiceEndpoints", "AppModuleSiteMaps", "AppModules",
  "EntityDataProviders", "EntityDataSources", "Languages", "GlobalSearchConfigurations", "StoredProcedures",
];

/**
 * Replaces (or removes, given null) the child named `name`; a child that is not there yet is put
 * before the first of `followers` present, or last.
 */
function replaceChild(parent: XmlElement, name: string, replacement: XmlElement | null, followers: string[] = []): void {
  const index = parent.children.findIndex((child) => typeof child !== "string" && child.name === name);
  if (index < 0) {
    if (!replacement) return;
    const next = parent.children.findIndex((child) => typeof child !== "string" && followers.includes(child.name));
    if (next < 0) parent.children.push(replacement);
    else parent.children.splice(next, 0, replacement);
    return;
  }
  if (replacement) parent.children[index] = replacement;
  else parent.children.splice(index, 1);
}

/** A section of ImportExportXml, at its place in the XSD's sequence. */
function replaceSection(root: XmlElement, name: string, replacement: XmlElement | null): void {
  replaceChild(root, name, replacement, IMPORT_EXPORT_ORDER.slice(IMPORT_EXPORT_ORDER.indexOf(name) + 1));
}

/**
 * customizations.xml as Dataverse imports it: Other/Customizations.xml with its Entities, Roles,
 * Dashboards, WebResources, CustomControls, AppModuleSiteMaps and AppModules filled from the unpacked
 * parts (forms under FormXml/forms[@type], views under SavedQueries/savedqueries, charts under
 * Visualizations), each section where CustomizationsSolution.xsd's sequence puts it.
 */
export function composeCustomizations(source: SolutionSource, controlNames: string[]): XmlDocument {
  const root = clone(source.customizations.document.root);
  const entities = source.entities.map((entity) => {
    const node = embedded(entity.entity.document.root);
    const types = [...new Set(entity.forms.map((form) => form.type))];
    const formXml = element(
      "FormXml",
      {},
      types.map((type) =>
        element(
          "forms",
          { type },
          entity.forms.filter((form) => form.type === type).flatMap((form) => childElements(form.file.document.root, "systemform").map(clone)),
        ),
      ),
    );
    replaceChild(node, "FormXml", formXml);
    const views = entity.views.flatMap((view) => childElements(view.document.root, "savedquery").map(clone));
    // An empty <SavedQueries/> fails the schema: leave it out when there are no views.
    replaceChild(node, "SavedQueries", views.length ? element("SavedQueries", {}, [element("savedqueries", {}, views)]) : null);
    // Charts go under Visualizations (the entity's <Visualizations/> placeholder, or a new one before the ribbon).
    const charts = entity.charts.map((chart) => embedded(chart.document.root));
    if (charts.length || firstChild(node, "Visualizations")) replaceChild(node, "Visualizations", element("Visualizations", {}, charts), ["RibbonDiffXml"]);
    return node;
  });
  replaceSection(root, "Entities", element("Entities", {}, entities));
  replaceSection(root, "Roles", element("Roles", {}, source.roles.map((role) => embedded(role.document.root))));
  if (source.relationships) replaceSection(root, "EntityRelationships", element("EntityRelationships", {}, clone(source.relationships.document.root).children));
  replaceSection(root, "Dashboards", element("Dashboards", {}, source.dashboards.map((dashboard) => embedded(dashboard.document.root))));
  replaceSection(root, "WebResources", element("WebResources", {}, source.webResources.map((resource) => embedded(resource.file.document.root))));
  replaceSection(root, "AppModuleSiteMaps", element("AppModuleSiteMaps", {}, source.siteMaps.map((siteMap) => embedded(siteMap.file.document.root))));
  // The XSD wants at least one AppModule in an AppModules element: leave it out when there is none.
  const apps = source.appModules.map((app) => embedded(app.file.document.root));
  replaceSection(root, "AppModules", apps.length ? element("AppModules", {}, apps) : null);
  replaceSection(
    root,
    "CustomControls",
    element(
      "CustomControls",
      {},
      controlNames.map((controlName) =>
        element("CustomControl", {}, [element("Name", {}, [controlName]), element("FileName", {}, [`/Controls/${controlName}/ControlManifest.xml`])]),
      ),
    ),
  );
  return { declaration: DECLARATION, root };
}

/** solution.xml: Other/Solution.xml with Managed 0 or 1 (the source says 2, "both"). */
export function composeSolutionManifest(source: SolutionSource, managed: boolean): XmlDocument {
  const root = clone(source.solution.document.root);
  const manifest = firstChild(root, "SolutionManifest");
  if (manifest) replaceChild(manifest, "Managed", element("Managed", {}, [managed ? "1" : "0"]));
  return { declaration: DECLARATION, root };
}

/** A zip entry's extension (after the last dot of its file name), lower-case; "" for a name without one. */
const extensionOf = (path: string) => {
  const name = path.slice(path.lastIndexOf("/") + 1);
  return name.includes(".") ? name.slice(name.lastIndexOf(".") + 1).toLowerCase() : "";
};

/**
 * [Content_Types].xml: a Default per file extension in the zip, an Override per control manifest and
 * per entry without an extension (the web resources, whose zip names end in their id, as exports name
 * them: the content-types file of an exported solution has an Override for each).
 */
export function composeContentTypes(paths: string[], controlNames: string[]): XmlDocument {
  const extensions = [...new Set(paths.map(extensionOf).filter(Boolean))].sort();
  const children: XmlChild[] = extensions.map((extension) =>
    element("Default", { Extension: extension, ContentType: extension === "xml" ? "text/xml" : "application/octet-stream" }),
  );
  for (const controlName of controlNames) children.push(element("Override", { PartName: `/Controls/${controlName}/ControlManifest.xml`, ContentType: "application/octet-stream" }));
  for (const path of paths.filter((entry) => !extensionOf(entry))) children.push(element("Override", { PartName: `/${path}`, ContentType: "application/octet-stream" }));
  return { declaration: DECLARATION, root: element("Types", { xmlns: CONTENT_TYPES_NS }, children) };
}

/**
 * The zip name of a web resource as exports write it in <FileName>: /WebResources/ + its name without
 * the characters a zip name does not keep ("/", "." and the like) + its id, upper-case, without braces
 * (svcacct_/images/Icon.svg, {5f0c…} → /WebResources/svcacct_imagesIconsvg5F0C…).
 */
export function webResourceFileName(name: string, id: string): string {
  return `/WebResources/${name.replace(/[^A-Za-z0-9_-]/g, "")}${id.replace(/[{}]/g, "").toUpperCase()}`;
}

/** Each web resource's file at its place in the zip: the path its <FileName> names. */
export function webResourceEntries(source: SolutionSource): { path: string; content: Buffer }[] {
  return source.webResources.map((resource) => {
    const fileName = firstChild(resource.file.document.root, "FileName");
    return { path: (fileName ? textContent(fileName) : "").replace(/^\/+/, ""), content: resource.content };
  });
}

/** The control's files at their place in the zip. */
export function controlEntries(control: BuiltControl, controlName: string): { path: string; content: Buffer }[] {
  return control.files.map((file) => ({ path: `Controls/${controlName}/${file.path}`, content: file.content }));
}
