import JSZip from "jszip";
import { childElements, element, firstChild, parseXml, serializeXml, textContent, type XmlElement } from "./xml";

const DECLARATION = { version: "1.0", encoding: "utf-8" };
const XSI = "http://www.w3.org/2001/XMLSchema-instance";

/** The forms of customizations.xml at their place in the unpacked layout (`{formid}.xml`, with a suffix). */
function formFiles(customizations: XmlElement, suffix = ""): [string, XmlElement][] {
  return childElements(firstChild(customizations, "Entities") ?? element("Entities"), "Entity").flatMap((entity) => {
    const name = textContent(firstChild(entity, "Name") ?? element("Name"));
    return childElements(firstChild(entity, "FormXml") ?? element("FormXml"), "forms").flatMap((forms) =>
      childElements(forms, "systemform").map((form): [string, XmlElement] => {
        const id = textContent(firstChild(form, "formid") ?? element("formid")).trim();
        return [`Entities/${name}/FormXml/${forms.attributes.type ?? "main"}/${id}${suffix}.xml`, element("forms", { "xmlns:xsi": XSI }, [form])];
      }),
    );
  });
}

const childText = (node: XmlElement, name: string) => textContent(firstChild(node, name) ?? element(name)).trim();
const section = (customizations: XmlElement, name: string, child: string) => childElements(firstChild(customizations, name) ?? element(name), child);

/**
 * The apps and their site maps at their place in the unpacked layout, each in a folder named by its
 * unique name (AppModules/<name>/AppModule.xml, AppModuleSiteMaps/<name>/AppModuleSiteMap.xml, with a
 * suffix). Exports write AppModule.xml without xmlns:xsi, AppModuleSiteMap.xml with it.
 */
function appFiles(customizations: XmlElement, suffix = ""): [string, XmlElement][] {
  return [
    ...section(customizations, "AppModules", "AppModule").map((app): [string, XmlElement] => [`AppModules/${childText(app, "UniqueName")}/AppModule${suffix}.xml`, app]),
    ...section(customizations, "AppModuleSiteMaps", "AppModuleSiteMap").map((siteMap): [string, XmlElement] => [
      `AppModuleSiteMaps/${childText(siteMap, "SiteMapUniqueName")}/AppModuleSiteMap${suffix}.xml`,
      { ...siteMap, attributes: { ...siteMap.attributes, "xmlns:xsi": XSI } },
    ]),
  ];
}

async function readCustomizations(zip: JSZip): Promise<XmlElement> {
  const entry = zip.file("customizations.xml");
  if (!entry) throw new Error("customizations.xml is missing from the zip");
  return parseXml(await entry.async("string"), "customizations.xml").root;
}

/**
 * A solution zip back to the unpacked SolutionPackager layout: Other/, Roles/, Entities/<Name>/
 * with FormXml/<type>/{id}.xml, SavedQueries/{id}.xml and Visualizations/{id}.xml, Dashboards/{id}.xml,
 * WebResources/<name> with <name>.data.xml, AppModules/<name>/, AppModuleSiteMaps/<name>/, Controls/<name>/
 * with the built files. Given the managed zip too, the layout is SolutionPackager's "Both" kind: every
 * form, app and site map also has its `_managed.xml` twin, read from the managed zip. Returns path →
 * content; writing is the caller's business.
 */
export async function unpackSolution(zipContent: Buffer, managedZip?: Buffer): Promise<Map<string, Buffer>> {
  const zip = await JSZip.loadAsync(zipContent);
  const read = async (path: string) => {
    const entry = zip.file(path);
    if (!entry) throw new Error(`${path} is missing from the zip`);
    return entry.async("nodebuffer");
  };
  const files = new Map<string, Buffer>();
  const write = (path: string, root: XmlElement) => files.set(path, Buffer.from(serializeXml({ declaration: DECLARATION, root })));
  // SolutionPackager declares xmlns:xsi on the root of every file it writes, after the other attributes.
  const part = (node: XmlElement, children = node.children): XmlElement => ({ ...node, attributes: { ...node.attributes, "xmlns:xsi": XSI }, children });

  const solution = parseXml((await read("solution.xml")).toString("utf8"), "solution.xml").root;
  const manifest = firstChild(solution, "SolutionManifest");
  const managed = manifest && firstChild(manifest, "Managed");
  if (managed) managed.children = ["2"];
  write("Other/Solution.xml", solution);

  const customizations = await readCustomizations(zip);
  for (const [path, root] of [...formFiles(customizations), ...appFiles(customizations)]) write(path, root);
  if (managedZip) {
    const managedCustomizations = await readCustomizations(await JSZip.loadAsync(managedZip));
    for (const [path, root] of [...formFiles(managedCustomizations, "_managed"), ...appFiles(managedCustomizations, "_managed")]) write(path, root);
  }
  for (const entity of childElements(firstChild(customizations, "Entities") ?? element("Entities"), "Entity")) {
    const name = textContent(firstChild(entity, "Name") ?? element("Name"));
    for (const view of childElements(firstChild(firstChild(entity, "SavedQueries") ?? element("x"), "savedqueries") ?? element("x"), "savedquery")) {
      write(`Entities/${name}/SavedQueries/${textContent(firstChild(view, "savedqueryid") ?? element("x")).trim()}.xml`, element("savedqueries", { "xmlns:xsi": XSI }, [view]));
    }
    for (const chart of section(entity, "Visualizations", "visualization")) write(`Entities/${name}/Visualizations/${childText(chart, "savedqueryvisualizationid")}.xml`, part(chart));
    const shell = part(entity, []);
    for (const child of entity.children) {
      if (typeof child !== "string" && ["FormXml", "SavedQueries", "Visualizations"].includes(child.name)) shell.children.push(element(child.name));
      else shell.children.push(child);
    }
    if (!childElements(shell, "SavedQueries").length) {
      // The packer leaves an empty SavedQueries out of customizations.xml; the unpacked Entity.xml keeps the placeholder.
      const ribbon = shell.children.findIndex((child) => typeof child !== "string" && child.name === "RibbonDiffXml");
      shell.children.splice(ribbon < 0 ? shell.children.length : ribbon, 0, element("SavedQueries"));
    }
    write(`Entities/${name}/Entity.xml`, shell);
  }
  for (const role of childElements(firstChild(customizations, "Roles") ?? element("Roles"), "Role")) {
    write(`Roles/${(role.attributes.name ?? "role").replace(/\//g, "_")}.xml`, part(role));
  }
  for (const dashboard of section(customizations, "Dashboards", "Dashboard")) write(`Dashboards/${childText(dashboard, "FormId")}.xml`, part(dashboard));
  for (const resource of section(customizations, "WebResources", "WebResource")) {
    // SolutionPackager keeps the file under its name (WebResources/<name>), read from where <FileName> put it in the zip.
    const name = childText(resource, "Name");
    write(`WebResources/${name}.data.xml`, part(resource));
    files.set(`WebResources/${name}`, await read(childText(resource, "FileName").replace(/^\/+/, "")));
  }
  for (const control of childElements(firstChild(customizations, "CustomControls") ?? element("CustomControls"), "CustomControl")) {
    const name = textContent(firstChild(control, "Name") ?? element("Name"));
    write(`Controls/${name}/ControlManifest.xml.data.xml`, part(control));
    for (const path of Object.keys(zip.files).filter((path) => path.startsWith(`Controls/${name}/`) && !zip.files[path].dir)) {
      files.set(path, await read(path));
    }
  }
  const relationships = firstChild(customizations, "EntityRelationships");
  write("Other/Relationships.xml", element("EntityRelationships", { "xmlns:xsi": XSI }, relationships ? relationships.children : []));
  for (const name of ["Entities", "Roles", "CustomControls", "EntityRelationships", "Dashboards", "WebResources", "AppModuleSiteMaps", "AppModules"]) {
    const node = firstChild(customizations, name);
    if (node) node.children = [];
  }
  write("Other/Customizations.xml", customizations);
  return files;
}
