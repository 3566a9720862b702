/**
 * Bundle figures of the production control: raw and gzip size against the 40 KB goal,
 * and whether it is free of eval (development builds are not shippable).
 */
import { execSync } from "child_process";
import { readFileSync } from "fs";
import { join } from "path";
import { gzipSync } from "zlib";

const BUNDLE = join(__dirname, "..", "out", "controls", "ServiceAccountPanel", "bundle.js");
const GOAL_BYTES = 40 * 1024;

export function benchBundle(): Record<string, string | number> {
  execSync("npm run build --silent", { cwd: join(__dirname, ".."), stdio: "ignore" });
  const bundle = readFileSync(BUNDLE);
  return {
    "bundle.js bytes (minified)": bundle.length,
    "bundle.js bytes (gzip)": gzipSync(bundle).length,
    "goal bytes": GOAL_BYTES,
    "within goal": bundle.length <= GOAL_BYTES ? "yes" : "NO",
    "contains eval(": bundle.includes("eval(") ? "YES" : "no",
  };
}
