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
  /** Where a parsed element starts, so problems found later (schema, cross checks) name file and line. */
  location?: SourceLocation;
}
export type XmlChild = XmlElement | string;

export interface SourceLocation {
  file: string;
  line: number;
}

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

/** Where fast-xml-parser (captureMetaData) records each element's start offset; typed as the symbol it is. */
const METADATA = XMLParser.getMetaDataSymbol() as unknown as symbol;

type OrderedNode = Record<string, unknown> & { ":@"?: Record<string, string> };

/** Line (1-based) of a character offset, from the offsets where lines start. */
function lineLocator(text: string): (offset: number) => number {
  const starts = [0];
  for (let index = text.indexOf("\n"); index >= 0; index = text.indexOf("\n", index + 1)) starts.push(index + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
}

function unprefixed(attributes: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes ?? {}).map(([name, value]) => [name.slice(ATTRIBUTE_PREFIX.length), value]));
}

function prefixed(attributes: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes).map(([name, value]) => [ATTRIBUTE_PREFIX + name, value]));
}

function fromOrdered(nodes: OrderedNode[], locate: (node: OrderedNode) => SourceLocation | undefined): XmlChild[] {
  const children: XmlChild[] = [];
  for (const node of nodes) {
    const name = Object.keys(node).find((key) => key !== ":@");
    if (!name || name === "#comment") continue;
    if (name === "#text") {
      children.push(String(node["#text"]));
      continue;
    }
    const element: XmlElement = { name, attributes: unprefixed(node[":@"]), children: fromOrdered(node[name] as OrderedNode[], locate) };
    const location = locate(node);
    if (location) element.location = location;
    children.push(element);
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
  const nodes = new XMLParser({ ...OPTIONS, captureMetaData: true }).parse(text) as OrderedNode[];
  const declarationNode = nodes.find((node) => "?xml" in node);
  const lineOf = lineLocator(text);
  const locate = (node: OrderedNode) => {
    const metadata = (node as Record<symbol, { startIndex: number } | undefined>)[METADATA];
    return metadata ? { file, line: lineOf(metadata.startIndex) } : undefined;
  };
  const elements = fromOrdered(
    nodes.filter((node) => !("?xml" in node)),
    locate,
  ).filter((child): child is XmlElement => typeof child !== "string");
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

/**
 * The element whose start tag is on a line of `serializeXml(document)`'s output, or the last one
 * starting before it; with the elements enclosing it, innermost last. Serialization puts every start
 * tag at the beginning of its own line, so the n-th start tag is the n-th element in document order.
 */
export function elementsAtLine(document: XmlDocument, serialized: string, line: number): XmlElement[] {
  const lineOf = lineLocator(serialized);
  const tagLines = [...serialized.matchAll(/<(?![/?!])/g)].map((match) => lineOf(match.index));
  let found: XmlElement[] = [];
  let index = 0;
  const walk = (node: XmlElement, ancestors: XmlElement[]): void => {
    const path = [...ancestors, node];
    if (tagLines[index++] > line) return;
    found = path;
    for (const child of childElements(node)) walk(child, path);
  };
  walk(document.root, []);
  return found;
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
