import { spawn } from "child_process";
import { tmpdir } from "os";
import { join } from "path";
import { BrowserUnavailable, chromiumSources, launchChromium, type Machine } from "./chromium";

const machine = (platform: NodeJS.Platform, arch: string, env: NodeJS.ProcessEnv = {}, installed: string[] = []): Machine => ({
  platform,
  arch,
  env,
  exists: (path) => installed.includes(path),
});

describe("where the browser tests find their browser", () => {
  it("takes CHROMIUM_PATH alone when it is set", () => {
    expect(
      chromiumSources(machine("linux", "x64", { CHROMIUM_PATH: "/opt/chromium/chrome" }, ["/opt/chromium/chrome", "/usr/bin/chromium"])),
    ).toEqual([{ kind: "path", executablePath: "/opt/chromium/chrome", origin: "CHROMIUM_PATH" }]);
  });

  it("refuses a CHROMIUM_PATH that does not exist instead of falling back, naming it", () => {
    const lookup = () => chromiumSources(machine("linux", "x64", { CHROMIUM_PATH: "/nowhere/chromium" }, ["/usr/bin/chromium"]));
    expect(lookup).toThrow(BrowserUnavailable);
    expect(lookup).toThrow(
      /^No browser for the browser tests: CHROMIUM_PATH is \/nowhere\/chromium, which does not exist; set CHROMIUM_PATH/,
    );
  });

  it("on Linux x64 tries the installed browsers at their usual paths, then the one npm ci brings", () => {
    expect(chromiumSources(machine("linux", "x64", {}, ["/usr/bin/google-chrome", "/usr/bin/chromium"]))).toEqual([
      { kind: "path", executablePath: "/usr/bin/chromium", origin: "installed" },
      { kind: "path", executablePath: "/usr/bin/google-chrome", origin: "installed" },
      { kind: "npm" },
    ]);
    expect(chromiumSources(machine("linux", "x64"))).toEqual([{ kind: "npm" }]);
  });

  it("on Linux arm64 has nothing from npm: the package ships an x64 build only", () => {
    expect(chromiumSources(machine("linux", "arm64"))).toEqual([]);
  });

  it.each(["win32", "darwin"] as const)("on %s asks Playwright for an installed Chrome, then Edge", (platform) => {
    expect(chromiumSources(machine(platform, "arm64"))).toEqual([
      { kind: "channel", channel: "chrome" },
      { kind: "channel", channel: "msedge" },
    ]);
  });

  it("says in one line when the browser found does not start", async () => {
    const saved = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = __filename; // exists, but is no browser
    try {
      const error: unknown = await launchChromium().then(
        () => null,
        (failure: unknown) => failure,
      );
      expect(error).toBeInstanceOf(BrowserUnavailable);
      expect((error as Error).message).toMatch(
        /^The browser for the browser tests did not start: CHROMIUM_PATH \(.*chromium\.test\.ts\): [^\n]+$/,
      );
    } finally {
      process.env.CHROMIUM_PATH = saved;
    }
  });
});

describe("with no browser to be had", () => {
  // The property `npm test` promises a machine without a browser: jest stops, non-zero, with one line.
  it("the browser tests stop within a minute, non-zero, saying what is missing", async () => {
    const missing = join(tmpdir(), "svcacct-no-such-browser", "chromium");
    const started = Date.now();
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [require.resolve("jest/bin/jest"), "--selectProjects", "browser", "--ci"], {
        cwd: join(__dirname, "..", ".."),
        env: { ...process.env, CHROMIUM_PATH: missing },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const timer = setTimeout(() => child.kill(), 60_000);
      child.on("error", reject);
      child.on("close", (exit) => {
        clearTimeout(timer);
        resolve({ code: exit, output });
      });
    });
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(code).toBe(1);
    expect(output).toContain(`No browser for the browser tests: CHROMIUM_PATH is ${missing}, which does not exist`);
    // The line stands alone: no stack trace under it.
    expect(output).not.toMatch(/^\s+at /m);
  }, 70_000);
});
