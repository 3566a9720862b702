/**
 * The package as an admin gets it: `npm pack` of the project, installed into an empty folder with
 * production dependencies only, then `svcacct` run from that install against the emulator that the
 * same install serves. Needs the build `npm test` makes first (out/, and the solution zips in dist/).
 */
import { spawn, type ChildProcessWithoutNullStreams } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { run } from "../support/cli";

const ROOT = join(__dirname, "..", "..");
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
// npm is a .cmd script on Windows, which only a shell runs.
const NPM = { file: process.platform === "win32" ? "npm.cmd" : "npm", shell: process.platform === "win32" };
const INSTALL_TIMEOUT_MS = 120_000;

interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

let dir: string;
let installed: string;
let packed: Packed;
let svcacct: string;

/** The installed command, run as npm's bin link does: `node <package>/bin/svcacct.js`. */
const runInstalled = (args: string[]) => run(process.execPath, [svcacct, ...args], { cwd: installed });

/** `svcacct serve` from the install on a free port, and the address it prints. */
async function serveFromInstall(args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; address: string; said: () => string }> {
  const child = spawn(process.execPath, [svcacct, "serve", "--port", "0", ...args], { cwd: installed });
  let text = "";
  const address = await new Promise<string>((resolve, reject) => {
    child.stderr.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(text);
      if (match) resolve(match[1]);
    });
    child.on("exit", () => reject(new Error(`serve exited: ${text}`)));
  });
  return { child, address, said: () => text };
}

beforeAll(async () => {
  for (const file of [
    "out/cli/main.js",
    "out/harness/app.js",
    "dist/ServiceAccountCompliance.zip",
    "dist/ServiceAccountCompliance_managed.zip",
  ])
    if (!existsSync(join(ROOT, file)))
      throw new Error(`${file} is missing: run npm test (it builds and packs the solution first), or npm run package.`);
  dir = mkdtempSync(join(tmpdir(), "svcacct-package-"));
  const { stdout } = await run(NPM.file, ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], {
    cwd: ROOT,
    shell: NPM.shell,
    timeout: INSTALL_TIMEOUT_MS,
  });
  packed = (JSON.parse(stdout) as Packed[])[0];
  installed = join(dir, "admin");
  mkdirSync(installed);
  writeFileSync(join(installed, "package.json"), JSON.stringify({ name: "an-admins-folder", private: true }));
  // Production dependencies only, from npm's cache when it has them (npm ci filled it).
  await run(
    NPM.file,
    ["install", join(dir, packed.filename), "--omit=dev", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"],
    { cwd: installed, shell: NPM.shell, timeout: INSTALL_TIMEOUT_MS },
  );
  svcacct = join(installed, "node_modules", "service-account-compliance", "bin", "svcacct.js");
}, 2 * INSTALL_TIMEOUT_MS);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the npm package", () => {
  it("holds what svcacct runs and nothing of the build: no TypeScript, no tests, no sources", () => {
    const paths = packed.files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "bin/svcacct.js",
        "out/cli/main.js",
        "out/service/functionsEntry.js",
        "out/controls/ServiceAccountPanel/bundle.js",
        "out/harness/app.js",
        "dist/ServiceAccountCompliance.zip",
        "dist/ServiceAccountCompliance_managed.zip",
        "solution/Other/Solution.xml",
        "ServiceAccountPanel/strings/ServiceAccountPanel.1033.resx",
        "CHANGELOG.md",
        "LICENSE",
        "README.md",
      ]),
    );
    expect(paths.filter((path) => /\.tsx?$|^tests\/|^src\/(?!solution\/schemas\/)|node_modules|\.map$/.test(path))).toEqual([]);
  });

  it("installs with production dependencies only: no pcf-scripts, TypeScript, test runner or browser", () => {
    for (const devOnly of [
      "pcf-scripts",
      "typescript",
      "jest",
      "playwright-core",
      "@sparticuz/chromium",
      "esbuild",
      "react",
      "@fluentui/react",
    ])
      expect([devOnly, existsSync(join(installed, "node_modules", devOnly))]).toEqual([devOnly, false]);
  });

  it("prints one version: the package's, which the solution and the controls carry too", async () => {
    expect((await runInstalled(["--version"])).stdout.trim()).toBe(VERSION);
    const pkg = join(installed, "node_modules", "service-account-compliance");
    expect(readFileSync(join(pkg, "solution", "Other", "Solution.xml"), "utf8")).toContain(`<Version>${VERSION}.0</Version>`);
    for (const control of ["ServiceAccountPanel", "ServiceAccountGridCustomizer"])
      expect(readFileSync(join(pkg, "out", "controls", control, "ControlManifest.xml"), "utf8")).toMatch(
        new RegExp(`version="${VERSION.replace(/\./g, "\\.")}"`),
      );
    // npx runs the installed package by its name.
    const npx = await run(process.platform === "win32" ? "npx.cmd" : "npx", ["--no-install", "service-account-compliance", "--version"], {
      cwd: installed,
      shell: NPM.shell,
    });
    expect(npx.stdout.trim()).toBe(VERSION);
  });

  it("answers --help with its commands", async () => {
    const { stdout } = await runInstalled(["--help"]);
    for (const command of ["deploy", "audit", "serve", "stamp", "usage", "webhook", "register-webhook"])
      expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
  });

  it("serves an org without the solution, deploys the zip it carries into it, opens the app and audits the org", async () => {
    const { child, address } = await serveFromInstall(["--no-solution"]);
    try {
      const deploy = await runInstalled(["deploy", "--url", address]);
      expect(deploy.stderr).toContain("Imported (import job");
      expect(deploy.stderr).toContain("Published systemuser, 1 dashboard, 1 web resource and the app svcacct_ServiceAccountCompliance");
      const appUrl = new RegExp(
        `Open the app svcacct_ServiceAccountCompliance: (${address.replace(/\./g, "\\.")}/main\\.aspx\\?appid=[0-9a-f-]{36})`,
      ).exec(deploy.stderr)?.[1];
      expect(appUrl).toBeDefined();
      const home = await fetch(appUrl!);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain("Service accounts");

      const audit = await runInstalled(["audit", "--url", address, "--format", "json"]);
      const report = JSON.parse(audit.stdout) as { accounts: unknown[] };
      expect(report.accounts.length).toBeGreaterThan(5);
    } finally {
      child.kill();
    }
  });
});
