import { existsSync, readdirSync, readFileSync, statSync } from "fs";
import { join, relative } from "path";
import { parseXml, SolutionFileError, type XmlDocument } from "./xml";

/** One XML file of the unpacked solution, with its path relative to the solution folder. */
export interface SourceFile {
  path: string;
  document: XmlDocument;
}

export interface EntitySource {
  /** Folder name under Entities/, the table's schema name (SystemUser). */
  name: string;
  entity: SourceFile;
  /** Forms by type folder (main, quick, …). */
  forms: { type: string; file: SourceFile }[];
  views: SourceFile[];
}

/** The unpacked SolutionPackager layout (`solution/`), every XML file parsed. */
export interface SolutionSource {
  dir: string;
  solution: SourceFile;
  customizations: SourceFile;
  relationships: SourceFile | null;
  roles: SourceFile[];
  entities: EntitySource[];
  /** Controls/<name>/ControlManifest.xml.data.xml, by folder name. */
  controls: { folder: string; file: SourceFile }[];
}

const sorted = (names: string[]) => [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

function list(dir: string, filter: (name: string) => boolean = () => true): string[] {
  return existsSync(dir) ? sorted(readdirSync(dir).filter(filter)) : [];
}

export function readSolutionSource(dir: string): SolutionSource {
  const read = (path: string): SourceFile => {
    const full = join(dir, path);
    const file = relative(process.cwd(), full) || full;
    if (!existsSync(full)) throw new SolutionFileError(file, "missing");
    return { path, document: parseXml(readFileSync(full, "utf8"), file) };
  };
  const isDir = (path: string) => statSync(join(dir, path)).isDirectory();

  const entities = list(join(dir, "Entities")).map((name): EntitySource => {
    const base = `Entities/${name}`;
    const forms = list(join(dir, base, "FormXml"), (type) => isDir(`${base}/FormXml/${type}`)).flatMap((type) =>
      // A "Both" layout's {id}_managed.xml twins are SolutionPackager's input for managed zips; this packer derives both zips from {id}.xml.
      list(join(dir, base, "FormXml", type), (file) => file.endsWith(".xml") && !file.endsWith("_managed.xml")).map((file) => ({ type, file: read(`${base}/FormXml/${type}/${file}`) })),
    );
    const views = list(join(dir, base, "SavedQueries"), (file) => file.endsWith(".xml")).map((file) => read(`${base}/SavedQueries/${file}`));
    return { name, entity: read(`${base}/Entity.xml`), forms, views };
  });

  return {
    dir,
    solution: read("Other/Solution.xml"),
    customizations: read("Other/Customizations.xml"),
    relationships: existsSync(join(dir, "Other", "Relationships.xml")) ? read("Other/Relationships.xml") : null,
    roles: list(join(dir, "Roles"), (file) => file.endsWith(".xml")).map((file) => read(`Roles/${file}`)),
    entities,
    controls: list(join(dir, "Controls"), (folder) => isDir(`Controls/${folder}`)).map((folder) => ({
      folder,
      file: read(`Controls/${folder}/ControlManifest.xml.data.xml`),
    })),
  };
}
