import { existsSync, readFileSync } from "fs";
import { join, relative } from "path";
import { attribute, childElements, descendants, parseXml, requireChild, SolutionFileError, type XmlDocument } from "./xml";

/** The production build of a control (`out/controls/<Name>`), as the solution zip carries it. */
export interface BuiltControl {
  dir: string;
  manifest: XmlDocument;
  /** namespace.constructor from the processed manifest. */
  qualifiedName: string;
  version: string;
  /** Every file the manifest names (code, resx, css, img), relative to the control folder, plus ControlManifest.xml. */
  files: { path: string; content: Buffer }[];
  /** Manifest properties: name → usage (bound, input, output). */
  properties: Map<string, string>;
}

const display = (path: string) => relative(process.cwd(), path) || path;

export function readBuiltControl(dir: string): BuiltControl {
  const manifestPath = join(dir, "ControlManifest.xml");
  if (!existsSync(manifestPath)) throw new SolutionFileError(display(manifestPath), "missing: build the control first (npm run build)");
  const manifestText = readFileSync(manifestPath);
  const manifest = parseXml(manifestText.toString("utf8"), display(manifestPath));
  const control = requireChild(manifest.root, "control", display(manifestPath));
  const resources = requireChild(control, "resources", display(manifestPath));
  const paths = [...descendants(resources)].filter((node) => ["code", "css", "resx", "img"].includes(node.name)).map((node) => node.attributes.path);

  const files = [{ path: "ControlManifest.xml", content: manifestText }];
  for (const path of paths) {
    const full = join(dir, path);
    if (!existsSync(full)) throw new SolutionFileError(display(full), "missing: the manifest names it but the build did not produce it (npm run build)");
    const content = readFileSync(full);
    // Development builds wrap every module in eval(): Solution Checker flags them and they are oversized.
    if (path.endsWith(".js") && content.includes("eval(")) throw new SolutionFileError(display(full), "a development build (it contains eval): build with --buildMode production");
    files.push({ path, content });
  }
  return {
    dir,
    manifest,
    qualifiedName: `${attribute(control, "namespace") ?? ""}.${attribute(control, "constructor") ?? ""}`,
    version: attribute(control, "version") ?? "",
    files,
    properties: new Map(childElements(control, "property").map((property) => [property.attributes.name, property.attributes.usage ?? "input"])),
  };
}
