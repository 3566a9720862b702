import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";

/**
 * A small element tree over fast-xml-parser (order-preserving), so solution files are read, edited
 * and written as XML, never assembled as strings. Serialization is canonical: two-space indent,
 * empty elements self-closed, attributes in source order.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlChild[];
}
export type XmlChild = XmlElement | string;

export interface XmlDocument {
  /** Attributes of the `<?xml ...?>` declaration; null when the file has none. */
  declaration: Record<string, string> | null;
  root: XmlElement;
}

/** A file that is not well-formed XML, or not the XML expected, named with its location. */
export class SolutionFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = "SolutionFileError";
  }
}

const ATTRIBUTE_PREFIX = "@_";

const OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: false,
  // A prefix keeps attribute names such as the manifest's "constructor" clear of the parser's prototype guard.
  attributeNamePrefix: ATTRIBUTE_PREFIX,
  trimValues: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  ignoreDeclaration: false,
} as const;

type OrderedNode = Record<string, unknown> & { ":@"?: Record<string, string> };

function unprefixed(attributes: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes ?? {}).map(([name, value]) => [name.slice(ATTRIBUTE_PREFIX.length), value]));
}

function prefixed(attributes: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes).map(([name, value]) => [ATTRIBUTE_PREFIX + name, value]));
}

function fromOrdered(nodes: OrderedNode[]): XmlChild[] {
  const children: XmlChild[] = [];
  for (const node of nodes) {
    const name = Object.keys(node).find((key) => key !== ":@");
    if (!name || name === "#comment") continue;
    if (name === "#text") {
      children.push(String(node["#text"]));
      continue;
    }
    children.push({ name, attributes: unprefixed(node[":@"]), children: fromOrdered(node[name] as OrderedNode[]) });
  }
  return children;
}

function toOrdered(children: XmlChild[]): OrderedNode[] {
  return children.map((child) =>
    typeof child === "string"
      ? { "#text": child }
      : { [child.name]: toOrdered(child.children), ...(Object.keys(child.attributes).length ? { ":@": prefixed(child.attributes) } : {}) },
  );
}

export function parseXml(text: string, file: string): XmlDocument {
  const validation = XMLValidator.validate(text);
  if (validation !== true) throw new SolutionFileError(file, `not well-formed XML: ${validation.err.msg} (line ${validation.err.line}, column ${validation.err.col})`);
  const nodes = new XMLParser(OPTIONS).parse(text) as OrderedNode[];
  const declarationNode = nodes.find((node) => "?xml" in node);
  const elements = fromOrdered(nodes.filter((node) => !("?xml" in node))).filter((child): child is XmlElement => typeof child !== "string");
  if (elements.length !== 1) throw new SolutionFileError(file, "expected exactly one root element");
  return { declaration: declarationNode ? unprefixed(declarationNode[":@"]) : null, root: elements[0] };
}

export function serializeXml(document: XmlDocument): string {
  const nodes: OrderedNode[] = [];
  if (document.declaration) nodes.push({ "?xml": [{ "#text": "" }], ":@": prefixed(document.declaration) });
  nodes.push(...toOrdered([document.root]));
  const text = new XMLBuilder({ ...OPTIONS, format: true, indentBy: "  ", suppressEmptyNode: true }).build(nodes);
  return `${text.trim()}\n`;
}

/** An attribute's value; own properties only, so names like "constructor" read what the file says. */
export function attribute(node: XmlElement, name: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(node.attributes, name) ? node.attributes[name] : undefined;
}

export function element(name: string, attributes: Record<string, string> = {}, children: XmlChild[] = []): XmlElement {
  return { name, attributes, children };
}

export function childElements(parent: XmlElement, name?: string): XmlElement[] {
  return parent.children.filter((child): child is XmlElement => typeof child !== "string" && (name === undefined || child.name === name));
}

export function firstChild(parent: XmlElement, name: string): XmlElement | undefined {
  return childElements(parent, name)[0];
}

export function requireChild(parent: XmlElement, name: string, file: string): XmlElement {
  const found = firstChild(parent, name);
  if (!found) throw new SolutionFileError(file, `<${parent.name}> has no <${name}>`);
  return found;
}

export function textContent(node: XmlElement): string {
  return node.children.map((child) => (typeof child === "string" ? child : textContent(child))).join("");
}

/** Every element below (and including) a node, depth first. */
export function* descendants(node: XmlElement): Generator<XmlElement> {
  yield node;
  for (const child of childElements(node)) yield* descendants(child);
}
