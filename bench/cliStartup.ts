/**
 * Start-up of `svcacct --help`: the compiled CLI that bin/svcacct.js runs (out/cli/main.js), against the
 * same sources loaded through tsx at run time, as bin/svcacct.js did before the CLI was compiled.
 */
import { execFileSync, execSync } from "child_process";
import { join } from "path";

const ROOT = join(__dirname, "..");
const RUNS = 7;

function medianMs(args: string[]): number {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, args, { cwd: ROOT, stdio: "ignore" });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(RUNS / 2)]);
}

export function benchCliStartup(): Record<string, string | number> {
  execSync("npm run build:cli --silent", { cwd: ROOT, stdio: "ignore" });
  const throughTsx = `require("tsx/cjs"); require(${JSON.stringify(join(ROOT, "src", "cli", "main.ts"))}).buildProgram().parse(["node", "svcacct", "--help"]);`;
  return {
    [`compiled, bin/svcacct.js --help (median of ${RUNS}) ms`]: medianMs([join(ROOT, "bin", "svcacct.js"), "--help"]),
    [`through tsx at run time, as before (median of ${RUNS}) ms`]: medianMs(["-e", throughTsx]),
  };
}
