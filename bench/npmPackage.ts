/**
 * The npm package as `npm pack` makes it: tarball size, unpacked size and files, after building what
 * it carries (the compiled CLI, service and harness, and both solution zips from the controls the
 * bundle benchmark built).
 */
import { execSync } from "child_process";
import { join } from "path";

const ROOT = join(__dirname, "..");

interface Packed {
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string; size: number }[];
}

export function benchPackage(): Record<string, string | number> {
  execSync("npm run build:node && npm run pack -- --no-build", { cwd: ROOT, stdio: "ignore" });
  const packed = (JSON.parse(execSync("npm pack --dry-run --json --ignore-scripts", { cwd: ROOT, encoding: "utf8" })) as Packed[])[0];
  const largest = [...packed.files].sort((a, b) => b.size - a.size).slice(0, 3);
  return {
    "tarball bytes (gzip)": packed.size,
    "unpacked bytes": packed.unpackedSize,
    files: packed.entryCount,
    "largest files": largest.map((file) => `${file.path} ${file.size}`).join(", "),
  };
}
