/**
 * The jest config of `npm run mutation` (docs/mutation.md): the suites of jest.config.js's unit and
 * node projects as one project whose environment picks Node or jsdom by path
 * (jest.stryker.environment.js); Stryker wraps it in its own to record per-test coverage.
 * Left out: the browser suites, the CLI suites (they run the code in child processes, where no mutant
 * is ever active) and the load suites (concurrency, 3000 fuzzed calls, Azure Functions host), whose minutes would count
 * on every run.
 */
const { projects, testTimeout } = require("./jest.config");

const unit = projects.find((project) => project.displayName === "unit");

module.exports = {
  testTimeout,
  testEnvironment: "./jest.stryker.environment.js",
  roots: unit.roots,
  testMatch: unit.testMatch,
  transform: unit.transform,
  testPathIgnorePatterns: ["/tests/browser/", "/tests/cli/", "/tests/webhook/(azureFunctions|concurrency|fuzz)\\.test\\.ts$"],
};
