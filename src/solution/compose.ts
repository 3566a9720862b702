import type { BuiltControl } from "./builtControl";
import type { SolutionSource } from "./source";
import { childElements, element, firstChild, type XmlChild, type XmlDocument, type XmlElement } from "./xml";

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

function replaceChild(parent: XmlElement, name: string, replacement: XmlElement | null): void {
  const index = parent.children.findIndex((child) => typeof child !== "string" && child.name === name);
  if (index < 0) {
    if (replacement) parent.children.push(replacement);
    return;
  }
  if (replacement) parent.children[index] = replacement;
  else parent.children.splice(index, 1);
}

/**
 * customizations.xml as Dataverse imports it: Other/Customizations.xml with its Entities, Roles and
 * CustomControls filled from the unpacked parts (forms under FormXml/forms[@type], views under
 * SavedQueries/savedqueries).
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
    return node;
  });
  replaceChild(root, "Entities", element("Entities", {}, entities));
  replaceChild(root, "Roles", element("Roles", {}, source.roles.map((role) => embedded(role.document.root))));
  if (source.relationships) replaceChild(root, "EntityRelationships", element("EntityRelationships", {}, clone(source.relationships.document.root).children));
  replaceChild(
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

/** [Content_Types].xml: a Default per file extension in the zip, an Override per control manifest. */
export function composeContentTypes(paths: string[], controlNames: string[]): XmlDocument {
  const extensions = [...new Set(paths.map((path) => path.slice(path.lastIndexOf(".") + 1).toLowerCase()))].sort();
  const children: XmlChild[] = extensions.map((extension) =>
    element("Default", { Extension: extension, ContentType: extension === "xml" ? "text/xml" : "application/octet-stream" }),
  );
  for (const controlName of controlNames) children.push(element("Override", { PartName: `/Controls/${controlName}/ControlManifest.xml`, ContentType: "application/octet-stream" }));
  return { declaration: DECLARATION, root: element("Types", { xmlns: CONTENT_TYPES_NS }, children) };
}

/** The control's files at their place in the zip. */
export function controlEntries(control: BuiltControl, controlName: string): { path: string; content: Buffer }[] {
  return control.files.map((file) => ({ path: `Controls/${controlName}/${file.path}`, content: file.content }));
}
