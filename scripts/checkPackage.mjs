// Before `npm publish`: the tarball must carry what `svcacct` runs (the compiled CLI and service,
// the built controls and harness, both solution zips), or the installed command cannot work.
// `npm run package` builds all of it and packs.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

// import.meta.dirname needs Node 20.11; engines allow any Node 20.
const root = fileURLToPath(new URL("..", import.meta.url));
const needed = [
  "out/cli/main.js",
  "out/service/functionsEntry.js",
  "out/service/serviceMain.js",
  "out/controls/ServiceAccountPanel/bundle.js",
  "out/controls/ServiceAccountGridCustomizer/bundle.js",
  "out/harness/app.js",
  "out/harness/platform/fluent.js",
  "dist/ServiceAccountCompliance.zip",
  "dist/ServiceAccountCompliance_managed.zip",
];
const missing = needed.filter((path) => !existsSync(join(root, path)));
if (missing.length) {
  console.error(`The package would lack ${missing.join(", ")}: run npm run package (it builds, packs the solution, then the tarball).`);
  process.exit(1);
}
