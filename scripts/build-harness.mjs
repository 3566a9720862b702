// `npm run build:harness` (part of build:node): the harness's browser scripts and the platform
// libraries it serves, into out/harness, so `svcacct serve` runs from an installed package with
// production dependencies only (no esbuild, no pcf-start, no React package at run time).
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

// import.meta.dirname needs Node 20.11; engines allow any Node 20.
const root = fileURLToPath(new URL("..", import.meta.url));
const out = join(root, "out", "harness");
mkdirSync(join(out, "platform"), { recursive: true });

await build({
  entryPoints: { host: join(root, "src", "harness", "browser", "host.ts"), app: join(root, "src", "harness", "browser", "appHost.ts") },
  bundle: true,
  format: "iife",
  target: "es2020",
  outdir: out,
  logLevel: "warning",
});

// The React model-driven apps load for a control declaring React 16.14.0 (17.0.2, the
// platform-libs workspace), and the Fluent 8.121.1 platform build pcf-start ships.
const platformLibs = createRequire(join(root, "src", "harness", "platform-libs", "package.json"));
const platform = {
  "react.js": platformLibs.resolve("react/umd/react.production.min.js"),
  "react-dom.js": platformLibs.resolve("react-dom/umd/react-dom.production.min.js"),
  "fluent.js": join(root, "node_modules", "pcf-start", "lib", "fluent_8_121_1.js"),
};
for (const [name, file] of Object.entries(platform)) copyFileSync(file, join(out, "platform", name));
