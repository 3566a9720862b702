#!/usr/bin/env node
// The svcacct command runs the CLI that `npm run build` compiles to out/cli (esbuild, node20).
const { existsSync } = require("fs");
const { join } = require("path");

const compiled = join(__dirname, "..", "out", "cli", "main.js");
if (!existsSync(compiled)) {
  console.error("svcacct is not built yet: run `npm run build` (or `npm run build:node`) in the project first.");
  process.exit(1);
}
const { runCli, describeFailure } = require(compiled);

runCli(process.argv).catch((error) => {
  console.error(describeFailure(error));
  process.exit(1);
});
