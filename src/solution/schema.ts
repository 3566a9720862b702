import { readFileSync } from "fs";
import { join } from "path";
import { validateXML } from "xmllint-wasm";
import { elementsAtLine, type XmlDocument } from "./xml";

/**
 * Microsoft's customization schema (9.0.0.2090), the files CustomizationsSolution.xsd includes; see
 * schemas/README.md for their origin and the edits that let libxml2 compile them.
 */
// From the project root: this file also runs bundled into out/cli, two folders below it as here.
const SCHEMA_DIR = join(__dirname, "..", "..", "src", "solution", "schemas");
const ENTRY = "CustomizationsSolution.xsd";
const INCLUDED = ["isv.config.xsd", "SiteMapType.xsd", "FormXml.xsd", "Fetch.xsd", "RibbonCore.xsd", "RibbonTypes.xsd", "RibbonWSS.xsd"];
const PACKED_NAME = "customizations.xml";

let schemaFiles: { fileName: string; contents: string }[] | undefined;
const schemas = () => (schemaFiles ??= [ENTRY, ...INCLUDED].map((fileName) => ({ fileName, contents: readFileSync(join(SCHEMA_DIR, fileName), "utf8") })));

/**
 * Validates customizations.xml as it will be packed (libxml2 compiled to WebAssembly, so packing needs
 * no system tool). Each problem names the unpacked file and line the offending element came from;
 * elements the packer made itself are named by their line in the packed customizations.xml.
 */
export async function schemaProblems(document: XmlDocument, serialized: string): Promise<string[]> {
  const [entry, ...included] = schemas();
  const result = await validateXML({ xml: { fileName: PACKED_NAME, contents: serialized }, schema: entry, preload: included });
  if (result.valid) return [];
  return result.errors.map((error) => {
    const line = error.loc?.lineNumber;
    if (line === undefined) return `${PACKED_NAME}: ${error.message}`;
    const origin = elementsAtLine(document, serialized, line)
      .reverse()
      .find((element) => element.location)?.location;
    return origin ? `${origin.file}:${origin.line}: ${error.message} (schema)` : `${PACKED_NAME} (as packed) line ${line}: ${error.message} (schema)`;
  });
}
