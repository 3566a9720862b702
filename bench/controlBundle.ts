/**
 * Bundle figures of the production controls: the panel's raw and gzip size against its 40 KB goal,
 * the grid customizer's against its 15 KB goal, and whether they are free of eval (development
 * builds are not shippable).
 */
import { execSync } from "child_process";
import { readFileSync } from "fs";
import { join } from "path";
import { gzipSync } from "zlib";

const BUNDLE = join(__dirname, "..", "out", "controls", "ServiceAccountPanel", "bundle.js");
const GOAL_BYTES = 40 * 1024;
const CUSTOMIZER_BUNDLE = join(__dirname, "..", "out", "controls", "ServiceAccountGridCustomizer", "bundle.js");
const CUSTOMIZER_GOAL_BYTES = 15 * 1024;

export function benchBundle(): Record<string, string | number> {
  execSync("npm run build --silent", { cwd: join(__dirname, ".."), stdio: "ignore" });
  const bundle = readFileSync(BUNDLE);
  const customizer = readFileSync(CUSTOMIZER_BUNDLE);
  return {
    "bundle.js bytes (minified)": bundle.length,
    "bundle.js bytes (gzip)": gzipSync(bundle).length,
    "goal bytes": GOAL_BYTES,
    "within goal": bundle.length <= GOAL_BYTES ? "yes" : "NO",
    "contains eval(": bundle.includes("eval(") ? "YES" : "no",
    "customizer bundle.js bytes (minified)": customizer.length,
    "customizer bundle.js bytes (gzip)": gzipSync(customizer).length,
    "customizer goal bytes": CUSTOMIZER_GOAL_BYTES,
    "customizer within goal": customizer.length <= CUSTOMIZER_GOAL_BYTES ? "yes" : "NO",
    "customizer contains eval(": customizer.includes("eval(") ? "YES" : "no",
  };
}
