import { readdirSync, readFileSync } from "fs";
import { join, relative } from "path";

const ROOT = join(__dirname, "..", "..");
const SRC = join(ROOT, "src");

/** docs/layout.md's "Layers" table: each src folder and the folders it may import from. */
function layerTable(): Map<string, Set<string>> {
  const text = readFileSync(join(ROOT, "docs", "layout.md"), "utf8");
  const section = text.slice(text.indexOf("## Layers"), text.indexOf("\n## ", text.indexOf("## Layers") + 1));
  const table = new Map<string, Set<string>>();
  for (const [, folder, allowed] of section.matchAll(/^\| `src\/([\w-]+)` \| (.*) \|$/gm))
    table.set(folder, new Set([...allowed.matchAll(/`src\/([\w-]+)`/g)].map((match) => match[1])));
  return table;
}

/** Every import of another src folder under a folder: the importing file and the folder it reaches. */
function importsUnder(folder: string): { file: string; target: string }[] {
  const files = readdirSync(join(SRC, folder), { recursive: true, encoding: "utf8" }).filter((file) => /\.tsx?$/.test(file));
  return files.flatMap((file) => {
    const text = readFileSync(join(SRC, folder, file), "utf8");
    // Static imports, re-exports, and import() / require() of a relative path.
    const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*|^import\s+)"(\.[^"]+)"/gm)].map((match) => match[1]);
    return specifiers
      .map((specifier) => relative(SRC, join(SRC, folder, file, "..", specifier)).split(/[\\/]/))
      .filter((parts) => parts[0] !== ".." && parts[0] !== folder)
      .map((parts) => ({ file: `src/${folder}/${file.replace(/\\/g, "/")}`, target: parts[0] }));
  });
}

const table = layerTable();
const folders = readdirSync(SRC, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

describe("layers point one way (docs/layout.md)", () => {
  it("lists every folder of src, and only those", () => {
    expect([...table.keys()].sort()).toEqual([...folders].sort());
  });

  it("is one way: no folder can reach itself through the table", () => {
    const reaches = (from: string, seen = new Set<string>()): Set<string> => {
      for (const next of table.get(from) ?? []) if (!seen.has(next)) reaches(next, seen.add(next));
      return seen;
    };
    expect(folders.filter((folder) => reaches(folder).has(folder))).toEqual([]);
  });

  it.each(folders)("src/%s imports only from the folders its row names", (folder) => {
    const allowed = table.get(folder) ?? new Set<string>();
    const upward = importsUnder(folder).filter(({ target }) => !allowed.has(target));
    expect(upward.map(({ file, target }) => `${file} imports src/${target}`)).toEqual([]);
  });

  it("would catch the import that started it: the webhook reaching the CLI", () => {
    expect(table.get("webhook")?.has("cli")).toBe(false);
  });
});
