import { readdirSync, readFileSync } from "fs";
import { join, relative } from "path";

const SRC = join(__dirname, "..", "..", "src");

/** Every TypeScript file under a folder of src, with the src folders it imports from. */
function importsUnder(folder: string): { file: string; imports: string[] }[] {
  const files = readdirSync(join(SRC, folder), { recursive: true, encoding: "utf8" }).filter((file) => /\.tsx?$/.test(file));
  return files.map((file) => {
    const text = readFileSync(join(SRC, folder, file), "utf8");
    const imports = [...text.matchAll(/from "(\.[^"]+)"/g)].map(
      (match) => relative(SRC, join(SRC, folder, file, "..", match[1])).split(/[\\/]/)[0],
    );
    return { file: `${folder}/${file}`, imports };
  });
}

describe("layers point one way", () => {
  it.each(["core", "dataverse", "dataverse-node", "graph", "node", "webhook", "solution"])(
    "src/%s imports nothing from src/cli (what the CLI shares with the service lives in src/node)",
    (folder) => {
      const upward = importsUnder(folder).filter(({ imports }) => imports.includes("cli"));
      expect(upward.map(({ file }) => file)).toEqual([]);
    },
  );
});
