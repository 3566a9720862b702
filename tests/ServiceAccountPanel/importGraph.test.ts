/**
 * @jest-environment node
 */
import { build } from "esbuild";
import { readFileSync } from "fs";
import { join, relative, sep } from "path";

const ROOT = join(__dirname, "..", "..");
// The controls' tsconfig.json includes exactly the form code; ESLint's browser globals and Power Apps
// checker rules read the same list.
const FORM_FOLDERS = (JSON.parse(readFileSync(join(ROOT, "tsconfig.json"), "utf8")) as { include: string[] }).include;
const ENTRIES = ["ServiceAccountPanel", "ServiceAccountGridCustomizer"];

/** Every file a control's entry reaches, bundled for the browser as pcf-scripts does, React and Fluent left to the platform. */
async function reachableFrom(control: string): Promise<string[]> {
  const result = await build({
    entryPoints: [join(ROOT, control, "index.ts")],
    absWorkingDir: ROOT,
    bundle: true,
    write: false,
    metafile: true,
    platform: "browser",
    format: "esm",
    external: ["react", "react-dom", "@fluentui/react"],
    logLevel: "silent",
  });
  return Object.keys(result.metafile.inputs).map((file) => relative(ROOT, join(ROOT, file)).split(sep).join("/"));
}

describe("the controls' import graph", () => {
  it("the form folders are the two control entries' folders, the core, the form's Dataverse code and the UI", () => {
    expect(FORM_FOLDERS).toEqual([...ENTRIES, "src/core", "src/dataverse", "src/ui"]);
  });

  it.each(ENTRIES)("reaches only form code from %s/index.ts: nothing Node-only, no Node built-in", async (control) => {
    // A Node built-in (fs, http, crypto…) would fail this browser build; a Node-only folder fails the check below.
    const files = await reachableFrom(control);
    expect(files).toContain(`${control}/index.ts`);
    expect(files).toContain("src/ui/strings.ts");
    const outside = files.filter((file) => !FORM_FOLDERS.some((folder) => file.startsWith(`${folder}/`)));
    expect(outside).toEqual([]);
  });

  it("the panel's entry reaches the form's Dataverse adapter", async () => {
    expect(await reachableFrom("ServiceAccountPanel")).toContain("src/dataverse/xrmClient.ts");
  });
});
