import { execFile, type ExecFileOptions } from "child_process";
import { join } from "path";
import { promisify } from "util";

export const CLI = join(__dirname, "..", "..", "bin", "svcacct.js");

/** A command that has not finished in 30 s is killed, so a regression fails its test instead of leaving a process behind. */
const RUN_TIMEOUT_MS = 30_000;

export function run(file: string, args: string[], options: ExecFileOptions = {}): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(file, args, { timeout: RUN_TIMEOUT_MS, ...options, encoding: "utf8" });
}
