/**
 * Jest's TypeScript transform. It type-checks nothing: `npm test` type-checks the whole program once
 * (scripts/check.mjs), and tsconfig.test.json sets isolatedModules, so every file compiles on its own.
 *
 * esbuild, which already builds the CLI and the webhook service, strips the types: with jest's cache
 * empty, as on a fresh machine, the core, Dataverse and UI suites took 29 s of CPU with it against 38 s
 * with ts-jest (TypeScript's transpileModule), and about the same with the cache filled. The files
 * measured for coverage (the form code) are compiled by TypeScript itself: esbuild writes its module
 * helpers into every file, and istanbul would count their branches as ours (93% of branches became 84%).
 */
const { createHash } = require("crypto");
const { readFileSync } = require("fs");
const { transformSync, version: esbuildVersion } = require("esbuild");
const ts = require("typescript");

const TSCONFIG = "tsconfig.test.json";
/** This file's own text is part of the cache key, so that a change here is a cache miss. */
const OWN_TEXT = readFileSync(__filename, "utf8");

/** What tsc does with tsconfig.test.json: classic React.createElement JSX, assigned class fields (target ES2020), import() as require(). */
const tsconfigRaw = { compilerOptions: { jsx: "react", useDefineForClassFields: false } };

let typeScriptOptions;
function compilerOptions(rootDir) {
  if (!typeScriptOptions) {
    const path = require("path").join(rootDir, TSCONFIG);
    const { config } = ts.readConfigFile(path, ts.sys.readFile);
    typeScriptOptions = ts.parseJsonConfigFileContent(config, ts.sys, rootDir, undefined, path).options;
  }
  // As ts-jest did: the map inline, with the source in it, which is how istanbul maps what it counts back to the .ts file.
  return { ...typeScriptOptions, sourceMap: false, inlineSourceMap: true, inlineSources: true, declaration: false, noEmit: false };
}

module.exports = {
  // Jest caches the instrumented code for coverage under this key too, so it names instrumentation.
  getCacheKey(source, filename, { configString, instrument }) {
    return createHash("sha1")
      .update(
        [OWN_TEXT, esbuildVersion, ts.version, JSON.stringify(tsconfigRaw), configString, String(instrument), filename, source].join("\0"),
      )
      .digest("hex");
  },
  process(source, filename, { config, instrument }) {
    if (instrument) {
      return { code: ts.transpileModule(source, { compilerOptions: compilerOptions(config.rootDir), fileName: filename }).outputText };
    }
    const { code, map } = transformSync(source, {
      loader: filename.endsWith(".tsx") ? "tsx" : "ts",
      format: "cjs",
      target: "node20",
      supported: { "dynamic-import": false },
      sourcemap: "external",
      sourcefile: filename,
      tsconfigRaw,
    });
    return { code, map };
  },
};
