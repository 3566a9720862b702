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
  /** Visualizations/{id}.xml: the table's system charts. */
  charts: SourceFile[];
}

/** A web resource: WebResources/<name>.data.xml and the file it describes, WebResources/<name> (SolutionPackager's layout). */
export interface WebResourceSource {
  file: SourceFile;
  /** The file's path relative to the solution folder (the data file's path without .data.xml). */
  contentPath: string;
  content: Buffer;
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
  /** AppModules/<unique name>/AppModule.xml: the model-driven apps. */
  appModules: { folder: string; file: SourceFile }[];
  /** AppModuleSiteMaps/<unique name>/AppModuleSiteMap.xml: the apps' site maps. */
  siteMaps: { folder: string; file: SourceFile }[];
  /** Dashboards/{formid}.xml. */
  dashboards: SourceFile[];
  webResources: WebResourceSource[];
}

const sorted = (names: string[]) => [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

function list(dir: string, filter: (name: string) => boolean = () => true): string[] {
  return existsSync(dir) ? sorted(readdirSync(dir).filter(filter)) : [];
}

/** Every file below a folder, as paths relative to it with forward slashes, sorted. */
function listTree(dir: string, prefix = ""): string[] {
  return list(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? listTree(join(dir, name), `${prefix}${name}/`) : [`${prefix}${name}`]));
}

/** XML files of a folder, without a "Both" layout's `_managed.xml` twins (this packer derives both zips from the plain file). */
const plainXml = (file: string) => file.endsWith(".xml") && !file.endsWith("_managed.xml");

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
      list(join(dir, base, "FormXml", type), plainXml).map((file) => ({ type, file: read(`${base}/FormXml/${type}/${file}`) })),
    );
    const views = list(join(dir, base, "SavedQueries"), (file) => file.endsWith(".xml")).map((file) => read(`${base}/SavedQueries/${file}`));
    const charts = list(join(dir, base, "Visualizations"), plainXml).map((file) => read(`${base}/Visualizations/${file}`));
    return { name, entity: read(`${base}/Entity.xml`), forms, views, charts };
  });

  /** A component kept in a folder of its own (AppModules/<name>/AppModule.xml), by folder name. */
  const perFolder = (parent: string, fileName: string) =>
    list(join(dir, parent), (folder) => isDir(`${parent}/${folder}`)).map((folder) => ({ folder, file: read(`${parent}/${folder}/${fileName}`) }));

  const webResources = listTree(join(dir, "WebResources"))
    .filter((path) => path.endsWith(".data.xml"))
    .map((path): WebResourceSource => {
      const contentPath = `WebResources/${path.slice(0, -".data.xml".length)}`;
      const file = read(`WebResources/${path}`);
      const full = join(dir, contentPath);
      if (!existsSync(full)) throw new SolutionFileError(relative(process.cwd(), full) || full, `missing: ${file.path} describes this web resource file`);
      return { file, contentPath, content: readFileSync(full) };
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
    appModules: perFolder("AppModules", "AppModule.xml"),
    siteMaps: perFolder("AppModuleSiteMaps", "AppModuleSiteMap.xml"),
    dashboards: list(join(dir, "Dashboards"), plainXml).map((file) => read(`Dashboards/${file}`)),
    webResources,
  };
}
