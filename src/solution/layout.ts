import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "fs";
import { dirname, join, relative, resolve, sep } from "path";
import { unpackSolution } from "./unpack";
import { SolutionFileError } from "./xml";

/**
 * Writes the complete SolutionPackager layout of a packed pair ("Both": Managed 2, every form with
 * its `_managed.xml` twin, the built control files) into `dir`, cleaned first so no stale file of an
 * earlier layout survives. Only an empty folder or an earlier layout is cleaned: anything else, and
 * any folder that holds the project itself, is refused untouched.
 */
export async function writeLayout(dir: string, unmanaged: Buffer, managed: Buffer, projectRoot: string): Promise<number> {
  const target = resolve(dir);
  const inside = (parent: string, child: string) => child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
  if (inside(target, resolve(projectRoot)) || inside(resolve(projectRoot, "solution"), target))
    throw new SolutionFileError(dir, "the layout folder would contain the project or its solution/ folder: choose a folder of its own");
  if (existsSync(target) && readdirSync(target).length > 0 && !existsSync(join(target, "Other", "Solution.xml")))
    throw new SolutionFileError(dir, "not empty and not an unpacked solution (no Other/Solution.xml): nothing was deleted; choose an empty folder");
  const files = await unpackSolution(unmanaged, managed);
  rmSync(target, { recursive: true, force: true });
  for (const [path, content] of files) {
    const file = join(target, path);
    if (!inside(target, file)) throw new SolutionFileError(path, `a path outside the layout folder (${relative(target, file)})`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return files.size;
}
