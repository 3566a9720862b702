import JSZip from "jszip";
import { readBuiltControl } from "./builtControl";
import { composeContentTypes, composeCustomizations, composeSolutionManifest, controlEntries } from "./compose";
import { readSolutionSource } from "./source";
import { schemaProblems } from "./schema";
import { solutionIdentity, solutionProblems, SolutionRefused } from "./validate";
import { serializeXml } from "./xml";

/** Every entry gets this time, so the same inputs give byte-identical zips. */
const FIXED_DATE = new Date(Date.UTC(2000, 0, 1, 0, 0, 0));

export interface PackOptions {
  /** The unpacked solution (solution/). */
  sourceDir: string;
  /** The production build of the control (out/controls/ServiceAccountPanel). */
  controlDir: string;
  /** package.json's version: the solution and the control must carry it. */
  packageVersion: string;
}

export interface PackedSolution {
  uniqueName: string;
  version: string;
  controlName: string;
  unmanaged: Buffer;
  managed: Buffer;
  /** Paths inside each zip, in order. */
  entries: string[];
}

export async function packSolution(options: PackOptions): Promise<PackedSolution> {
  const source = readSolutionSource(options.sourceDir);
  const control = readBuiltControl(options.controlDir);
  const identity = solutionIdentity(source);
  const controlName = `${identity.prefix}_${control.qualifiedName}`;
  // Refuse before writing anything what an import would refuse: the cross checks, then Microsoft's schema.
  const composed = composeCustomizations(source, controlName);
  const customizationsText = serializeXml(composed);
  const problems = [...solutionProblems(source, control, options.packageVersion), ...(await schemaProblems(composed, customizationsText))];
  if (problems.length > 0) throw new SolutionRefused(problems);

  const controlFiles = controlEntries(control, controlName);
  const customizations = Buffer.from(customizationsText);
  const paths = ["solution.xml", "customizations.xml", ...controlFiles.map((file) => file.path)];
  const contentTypes = Buffer.from(serializeXml(composeContentTypes(paths, controlName)));

  const zip = async (managed: boolean) => {
    const archive = new JSZip();
    const entries: [string, Buffer][] = [
      ["[Content_Types].xml", contentTypes],
      ["solution.xml", Buffer.from(serializeXml(composeSolutionManifest(source, managed)))],
      ["customizations.xml", customizations],
      ...controlFiles.map((file): [string, Buffer] => [file.path, file.content]),
    ];
    for (const [path, content] of entries) archive.file(path, content, { date: FIXED_DATE, createFolders: false });
    return archive.generateAsync({ type: "nodebuffer", compression: "DEFLATE", compressionOptions: { level: 9 }, platform: "DOS" });
  };
  return {
    uniqueName: identity.uniqueName,
    version: identity.version,
    controlName,
    unmanaged: await zip(false),
    managed: await zip(true),
    entries: ["[Content_Types].xml", ...paths],
  };
}
