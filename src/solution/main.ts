/** `npm run pack`: builds the control in production mode, then writes both solution zips to dist/. */
import { execSync } from "child_process";
import { mkdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { parseArgs } from "util";
import { writeLayout } from "./layout";
import { packSolution } from "./pack";
import { SolutionRefused } from "./validate";
import { SolutionFileError } from "./xml";

export const ROOT = join(__dirname, "..", "..");
export const SOLUTION_DIR = join(ROOT, "solution");
/** Every code component the solution ships: the form's panel and the grid customizer (pcf-scripts builds both). */
export const CONTROL_DIRS = ["ServiceAccountPanel", "ServiceAccountGridCustomizer"].map((name) => join(ROOT, "out", "controls", name));
export const DIST_DIR = join(ROOT, "dist");

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
}

export interface PackToDistOptions {
  build: boolean;
  /** Also write the complete unpacked "Both" layout (source, managed form twins, built control files) here, for `pac solution pack`. */
  layoutDir?: string;
}

/** The production build of the control into out/controls (pcf-scripts). */
export function buildControl(): void {
  execSync("npx pcf-scripts build --buildMode production", { cwd: ROOT, stdio: "inherit" });
}

export async function packToDist(options: PackToDistOptions): Promise<string[]> {
  if (options.build) buildControl();
  const packed = await packSolution({ sourceDir: SOLUTION_DIR, controlDirs: CONTROL_DIRS, packageVersion: packageVersion() });
  mkdirSync(DIST_DIR, { recursive: true });
  const written = [
    [join(DIST_DIR, `${packed.uniqueName}.zip`), packed.unmanaged],
    [join(DIST_DIR, `${packed.uniqueName}_managed.zip`), packed.managed],
  ] as const;
  for (const [path, content] of written) writeFileSync(path, content);
  console.log(`${packed.uniqueName} ${packed.version} (${packed.controlNames.join(", ")})`);
  for (const [path, content] of written) console.log(`  ${path}  ${content.length} bytes`);
  if (options.layoutDir) {
    const count = await writeLayout(options.layoutDir, packed.unmanaged, packed.managed, ROOT);
    console.log(`  unpacked layout for pac solution pack (${count} files, folder cleaned first): ${options.layoutDir}`);
  }
  return written.map(([path]) => path);
}

if (require.main === module) {
  let flags: { "no-build"?: boolean; layout?: string };
  try {
    // parseArgs refuses `--layout` without a folder (and `--layout --no-build`), naming the option.
    flags = parseArgs({ options: { layout: { type: "string" }, "no-build": { type: "boolean" } } }).values;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\nusage: npm run pack -- [--no-build] [--layout <dir>]`);
    process.exit(1);
  }
  packToDist({ build: !flags["no-build"], layoutDir: flags.layout }).catch((error: unknown) => {
    if (error instanceof SolutionRefused || error instanceof SolutionFileError) console.error(error.message);
    else console.error(error);
    process.exit(1);
  });
}
