/**
 * `svcacct audit --all-environments` on a generated tenant of 100 environments of 2,000 users each
 * (the emulator in this process, the CLI in a child): wall time with concurrency 1 and 4, requests per
 * environment, and the CLI's peak memory, for the JSON report (written as it goes) and the HTML one.
 */
import { spawn } from "child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import Fastify from "fastify";
import { generateTenant } from "../src/emulator/generateOrg";
import { EMULATOR_SERVER_OPTIONS } from "../src/emulator/server";
import { createTenant, registerTenant } from "../src/emulator/tenant";
import { ADMIN_BASE_PATH } from "../src/emulator/adminApi";

const ROOT = join(__dirname, "..");
/** Preloaded into the CLI's process (node --require): prints its peak resident memory when it exits. */
const PEAK_MEMORY = `process.on("exit", () => process.stderr.write("PEAK_RSS_KB=" + process.resourceUsage().maxRSS + "\\n"));\n`;

function runCli(args: string[], preload: string): Promise<{ ms: number; peakKb: number; stderr: string }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--require", preload, join(ROOT, "bin", "svcacct.js"), ...args], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", () =>
      resolve({
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        peakKb: Number(/PEAK_RSS_KB=(\d+)/.exec(stderr)?.[1] ?? "NaN"),
        stderr,
      }),
    );
  });
}

export async function benchTenantAudit(): Promise<Record<string, string>> {
  const figures: Record<string, string> = {};
  for (const environments of [20, 100]) {
    const app = Fastify(EMULATOR_SERVER_OPTIONS);
    registerTenant(app, createTenant({ environments: generateTenant({ environments, usersPerEnvironment: 2_000 }) }));
    let served = 0;
    app.addHook("onRequest", (_request, _reply, next) => {
      served++;
      next();
    });
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    const dir = mkdtempSync(join(tmpdir(), "svcacct-bench-tenant-"));
    const preload = join(dir, "peakMemory.cjs");
    writeFileSync(preload, PEAK_MEMORY);
    try {
      const adminUrl = `${url}${ADMIN_BASE_PATH}`;
      const runs: [string, string][] =
        environments === 100
          ? [
              ["1", "json"],
              ["4", "json"],
              ["4", "html"],
            ]
          : [["4", "json"]];
      for (const [concurrency, format] of runs) {
        const out = join(dir, `tenant.${format}`);
        const before = served;
        const run = await runCli(
          ["audit", "--all-environments", "--admin-url", adminUrl, "--concurrency", concurrency, "--format", format, "--out", out],
          preload,
        );
        const perEnvironment = (served - before - 1) / environments;
        figures[`${environments} environments x 2,000 users, concurrency ${concurrency}, ${format}`] =
          `${(run.ms / 1000).toFixed(1)} s, ${perEnvironment.toFixed(1)} requests per environment (after 1 list), CLI peak ${Math.round(run.peakKb / 1024)} MB, report ${Math.round(statSync(out).size / 1024)} KB`;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await app.close();
    }
  }
  return figures;
}
