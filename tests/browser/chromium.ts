import { execFile } from "child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { delimiter, dirname, join } from "path";
import { promisify } from "util";
import { chromium, type Browser, type BrowserServer, type LaunchOptions } from "playwright-core";

/** Where a browser for the tests comes from, in the order they are tried. */
export type ChromiumSource =
  | { kind: "path"; executablePath: string; origin: "CHROMIUM_PATH" | "installed" }
  | { kind: "channel"; channel: "chrome" | "msedge" }
  | { kind: "npm" };

/** The machine as far as the lookup cares; tests pass their own. */
export interface Machine {
  platform: NodeJS.Platform;
  arch: string;
  env: NodeJS.ProcessEnv;
  exists: (path: string) => boolean;
}

/** No browser could be had, or the one found did not start: the message is one line that says what to do. */
export class BrowserUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BrowserUnavailable";
    // The message says it all; a stack trace under it (jest prints one for a failed global setup) would only bury it.
    this.stack = `${this.name}: ${message}`;
  }
}

/** Where Linux distributions and the vendors' packages put Chromium, Chrome and Edge. */
const LINUX_PATHS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/usr/bin/microsoft-edge",
  "/usr/bin/microsoft-edge-stable",
  "/snap/bin/chromium",
];

/** Flags that keep the browser off the closed network and away from a GPU the machine may not have. */
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A browser that has not started by then will not: fail instead of waiting out Playwright's 3 minutes. */
const LAUNCH_TIMEOUT_MS = 30_000;
/** Unpacking the npm-shipped Chromium (about 200 MB) takes a few seconds; far longer means something is wrong. */
const UNPACK_TIMEOUT_MS = 120_000;

const WHAT_TO_DO =
  "set CHROMIUM_PATH to a Chromium, Chrome or Edge executable, or install Google Chrome or Microsoft Edge (the Chromium that npm ci brings runs on Linux x64 only)";

/**
 * The sources to try, in order: `CHROMIUM_PATH` alone when it is set (a missing file is an error,
 * never a reason to try something else); then an installed browser (the usual paths on Linux,
 * Playwright's `chrome` and `msedge` channels on Windows and macOS); then, on Linux x64, the
 * Chromium shipped inside the `@sparticuz/chromium` package.
 */
export function chromiumSources(machine: Machine): ChromiumSource[] {
  const explicit = machine.env.CHROMIUM_PATH;
  if (explicit) {
    if (!machine.exists(explicit))
      throw new BrowserUnavailable(`No browser for the browser tests: CHROMIUM_PATH is ${explicit}, which does not exist; ${WHAT_TO_DO}.`);
    return [{ kind: "path", executablePath: explicit, origin: "CHROMIUM_PATH" }];
  }
  const sources: ChromiumSource[] = [];
  if (machine.platform === "linux") {
    sources.push(
      ...LINUX_PATHS.filter(machine.exists).map((executablePath): ChromiumSource => ({
        kind: "path",
        executablePath,
        origin: "installed",
      })),
    );
    if (machine.arch === "x64") sources.push({ kind: "npm" });
  } else if (machine.platform === "win32" || machine.platform === "darwin") {
    sources.push({ kind: "channel", channel: "chrome" }, { kind: "channel", channel: "msedge" });
  }
  return sources;
}

function sourceName(source: ChromiumSource): string {
  if (source.kind === "path") return source.origin === "CHROMIUM_PATH" ? `CHROMIUM_PATH (${source.executablePath})` : source.executablePath;
  if (source.kind === "channel") return source.channel === "chrome" ? "Google Chrome" : "Microsoft Edge";
  return "the Chromium of @sparticuz/chromium";
}

/** Playwright's answer when a channel's browser is not installed at its usual place. */
const isNotInstalled = (error: unknown) => error instanceof Error && /Chromium distribution '[\w-]+' is not found/.test(error.message);

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split("\n")[0];

/**
 * Starts the first browser that can be had. Rejects with `BrowserUnavailable` (one line) when none
 * can, or when the one found does not start within 30 s.
 */
export function launchChromium(): Promise<Browser> {
  return startFirst((options) => chromium.launch(options));
}

/** The same browser as a server that test files connect to (the browser project's global setup). */
export function launchChromiumServer(): Promise<BrowserServer> {
  return startFirst((options) => chromium.launchServer(options));
}

/** Where the browser project's global setup publishes its browser server to the test files. */
export const SHARED_BROWSER_ENDPOINT = "SVCACCT_BROWSER_ENDPOINT";

/**
 * The run's shared browser, when the global setup started one (each test file then opens its own
 * profile in it), or else a browser of the caller's own.
 */
export function testBrowser(): Promise<Browser> {
  const endpoint = process.env[SHARED_BROWSER_ENDPOINT];
  return endpoint ? chromium.connect(endpoint, { timeout: LAUNCH_TIMEOUT_MS }) : launchChromium();
}

async function startFirst<T>(start: (options: LaunchOptions) => Promise<T>): Promise<T> {
  const machine = thisMachine();
  for (const source of chromiumSources(machine)) {
    try {
      const options =
        source.kind === "npm"
          ? await npmChromium()
          : source.kind === "path"
            ? { executablePath: source.executablePath }
            : { channel: source.channel };
      return await start({ ...options, args: ARGS, timeout: LAUNCH_TIMEOUT_MS });
    } catch (error) {
      if (source.kind === "channel" && isNotInstalled(error)) continue;
      if (error instanceof BrowserUnavailable) throw error;
      throw new BrowserUnavailable(`The browser for the browser tests did not start: ${sourceName(source)}: ${firstLine(error)}`);
    }
  }
  throw new BrowserUnavailable(
    `No browser for the browser tests: none installed on this ${machine.platform} ${machine.arch} machine; ${WHAT_TO_DO}.`,
  );
}

function thisMachine(): Machine {
  return { platform: process.platform, arch: process.arch, env: process.env, exists: existsSync };
}

/**
 * The Chromium that `npm ci` brings: `@sparticuz/chromium` carries it brotli-compressed with the NSS
 * libraries it links against (built for Amazon Linux 2023, glibc 2.34 or later) and Open Sans, so it
 * runs on a machine that has no browser, no NSS and no fonts. The package unpacks into
 * `os.tmpdir()`; it runs in a child Node with TMPDIR pointing at a folder of our own, per package
 * version, which is renamed into place only once complete, so parallel test files and interrupted
 * runs never see half a browser.
 */
async function npmChromium(): Promise<LaunchOptions> {
  let entry: string;
  try {
    entry = require.resolve("@sparticuz/chromium");
  } catch {
    throw new BrowserUnavailable(`No browser for the browser tests: @sparticuz/chromium is not installed (run npm ci), or ${WHAT_TO_DO}.`);
  }
  const home = join(tmpdir(), `svcacct-chromium-${packageVersion(entry)}`);
  if (!existsSync(join(home, "chromium"))) await unpack(entry, home);
  return {
    executablePath: join(home, "chromium"),
    env: {
      ...definedEnv(),
      LD_LIBRARY_PATH: [join(home, "al2023", "lib"), process.env.LD_LIBRARY_PATH].filter(Boolean).join(delimiter),
      FONTCONFIG_FILE: join(home, "fonts.conf"),
    },
  };
}

/** The version of the package a resolved file belongs to (its exports hide package.json). */
function packageVersion(file: string): string {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (!existsSync(manifest)) continue;
    const { name, version } = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string; version: string };
    if (name === "@sparticuz/chromium") return version;
  }
  throw new BrowserUnavailable(`No package.json above ${file}: reinstall with npm ci.`);
}

/** Playwright replaces the browser's environment with the one given, so it gets ours plus the additions. */
const definedEnv = () =>
  Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));

async function unpack(entry: string, home: string): Promise<void> {
  const partial = `${home}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  const script = `require(${JSON.stringify(entry)}).executablePath().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });`;
  // executablePath() unpacks the browser, its fonts and SwiftShader, and the NSS libraries when it
  // believes it runs on Amazon Linux 2023, which it reads from AWS_LAMBDA_JS_RUNTIME.
  const env = { ...process.env, TMPDIR: partial, AWS_LAMBDA_JS_RUNTIME: "nodejs20.x" };
  try {
    mkdirSync(partial, { recursive: true });
    await promisify(execFile)(process.execPath, ["-e", script], { env, timeout: UNPACK_TIMEOUT_MS });
    // The package's fonts.conf names /tmp/fonts; point fontconfig at where they are, and at the system's fonts where there are any.
    writeFileSync(
      join(partial, "fonts.conf"),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${join(home, "fonts")}</dir>\n  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n  <cachedir>${join(home, "fonts-cache")}</cachedir>\n</fontconfig>\n`,
    );
    renameSync(partial, home);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    // Another test file unpacked it at the same time: theirs is as good as ours.
    if (existsSync(join(home, "chromium"))) return;
    const reason = (error as { stderr?: string }).stderr?.trim() || firstLine(error);
    throw new BrowserUnavailable(`The Chromium of @sparticuz/chromium could not be unpacked into ${home}: ${reason.split("\n")[0]}`);
  }
}
