import JSZip from "jszip";
import { readBuiltControl } from "./builtControl";
import { composeContentTypes, composeCustomizations, composeSolutionManifest, controlEntries, webResourceEntries } from "./compose";
import { readSolutionSource } from "./source";
import { schemaProblems } from "./schema";
import { solutionIdentity, solutionProblems, SolutionRefused } from "./validate";
import { serializeXml } from "./xml";

/** Every entry gets this time, so the same inputs give byte-identical zips. */
const FIXED_DATE = new Date(Date.UTC(2000, 0, 1, 0, 0, 0));

export interface PackOptions {
  /** The unpacked solution (solution/). */
  sourceDir: string;
  /** The production builds of the solution's controls (out/controls/<Name>), each shipped with its root component. */
  controlDirs: string[];
  /** package.json's version: the solution and the control must carry it. */
  packageVersion: string;
}

export interface PackedSolution {
  uniqueName: string;
  version: string;
  /** Each control's name as Dataverse knows it (prefix_namespace.constructor), in controlDirs' order. */
  controlNames: string[];
  unmanaged: Buffer;
  managed: Buffer;
  /** Paths inside each zip, in order. */
  entries: string[];
}

export async function packSolution(options: PackOptions): Promise<PackedSolution> {
  const source = readSolutionSource(options.sourceDir);
  const controls = options.controlDirs.map(readBuiltControl);
  const identity = solutionIdentity(source);
  const controlNames = controls.map((control) => `${identity.prefix}_${control.qualifiedName}`);
  // Refuse before writing anything what an import would refuse: the cross checks, then Microsoft's schema.
  const composed = composeCustomizations(source, controlNames);
  const customizationsText = serializeXml(composed);
  const problems = [...solutionProblems(source, controls, options.packageVersion), ...(await schemaProblems(composed, customizationsText))];
  if (problems.length > 0) throw new SolutionRefused(problems);

  // Web resources at the path their <FileName> names, then each control's files.
  const files = [...webResourceEntries(source), ...controls.flatMap((control, index) => controlEntries(control, controlNames[index]))];
  const customizations = Buffer.from(customizationsText);
  const paths = ["solution.xml", "customizations.xml", ...files.map((file) => file.path)];
  const contentTypes = Buffer.from(serializeXml(composeContentTypes(paths, controlNames)));

  const zip = async (managed: boolean) => {
    const archive = new JSZip();
    const entries: [string, Buffer][] = [
      ["[Content_Types].xml", contentTypes],
      ["solution.xml", Buffer.from(serializeXml(composeSolutionManifest(source, managed)))],
      ["customizations.xml", customizations],
      ...files.map((file): [string, Buffer] => [file.path, file.content]),
    ];
    for (const [path, content] of entries) archive.file(path, content, { date: FIXED_DATE, createFolders: false });
    return archive.generateAsync({ type: "nodebuffer", compression: "DEFLATE", compressionOptions: { level: 9 }, platform: "DOS" });
  };
  return {
    uniqueName: identity.uniqueName,
    version: identity.version,
    controlNames,
    unmanaged: await zip(false),
    managed: await zip(true),
    entries: ["[Content_Types].xml", ...paths],
  };
}
