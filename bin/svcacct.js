#!/usr/bin/env node
// The svcacct command runs the TypeScript sources through tsx, so a clone needs no build step.
require("tsx/cjs");
const { buildProgram } = require("../src/cli/main.ts");
const { describeFailure } = require("../src/cli/failure.ts");

buildProgram()
  .parseAsync(process.argv)
  .catch((error) => {
    console.error(describeFailure(error));
    process.exit(1);
  });
