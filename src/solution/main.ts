/** `npm run pack`: builds the control in production mode, then writes both solution zips to dist/. */
import { execSync } from "child_process";
import { mkdirSync, readFileSync, writeFileSync } from "fs";
import { dirname, join, resolve } from "path";
import { packSolution } from "./pack";
import { unpackSolution } from "./unpack";
import { SolutionRefused } from "./validate";
import { SolutionFileError } from "./xml";

export const ROOT = join(__dirname, "..", "..");
export const SOLUTION_DIR = join(ROOT, "solution");
export const CONTROL_DIR = join(ROOT, "out", "controls", "ServiceAccountPanel");
export const DIST_DIR = join(ROOT, "dist");

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
}

export interface PackToDistOptions {
  build: boolean;
  /** Also write the complete unpacked layout (source plus built control files) here, for `pac solution pack`. */
  layoutDir?: string;
}

/** The production build of the control into out/controls (pcf-scripts). */
export function buildControl(): void {
  execSync("npx pcf-scripts build --buildMode production", { cwd: ROOT, stdio: "inherit" });
}

export async function packToDist(options: PackToDistOptions): Promise<string[]> {
  if (options.build) buildControl();
  const packed = await packSolution({ sourceDir: SOLUTION_DIR, controlDir: CONTROL_DIR, packageVersion: packageVersion() });
  mkdirSync(DIST_DIR, { recursive: true });
  const written = [
    [join(DIST_DIR, `${packed.uniqueName}.zip`), packed.unmanaged],
    [join(DIST_DIR, `${packed.uniqueName}_managed.zip`), packed.managed],
  ] as const;
  for (const [path, content] of written) writeFileSync(path, content);
  console.log(`${packed.uniqueName} ${packed.version} (${packed.controlName})`);
  for (const [path, content] of written) console.log(`  ${path}  ${content.length} bytes`);
  if (options.layoutDir) {
    for (const [path, content] of await unpackSolution(packed.unmanaged)) {
      const target = join(options.layoutDir, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
    console.log(`  unpacked layout for pac solution pack: ${options.layoutDir}`);
  }
  return written.map(([path]) => path);
}

if (require.main === module) {
  const layout = process.argv.indexOf("--layout");
  packToDist({ build: !process.argv.includes("--no-build"), layoutDir: layout > 0 && process.argv[layout + 1] ? resolve(process.argv[layout + 1]) : undefined }).catch((error: unknown) => {
    if (error instanceof SolutionRefused || error instanceof SolutionFileError) console.error(error.message);
    else console.error(error);
    process.exit(1);
  });
}
