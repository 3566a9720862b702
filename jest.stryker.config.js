/**
 * The jest config of `npm run mutation` (docs/mutation.md): the suites of jest.config.js's unit and
 * node projects as one project whose environment picks Node or jsdom by path
 * (jest.stryker.environment.js); Stryker wraps it in its own to record per-test coverage.
 * Left out: the browser suites; the CLI suites (they run the code in child processes, where no mutant
 * is ever active); the load suites (concurrency, 3000 fuzzed calls, Azure Functions host); and the
 * panel, grid and emulator suites, which test code that is not mutated and reach the mutated code only
 * on the way (each mutant of the core would load React and Fluent UI again). A mutant must be killed by
 * the tests of its own layer or of the Dataverse, webhook and packer code that uses it.
 */
const { projects, testTimeout } = require("./jest.config");

const unit = projects.find((project) => project.displayName === "unit");

module.exports = {
  testTimeout,
  testEnvironment: "./jest.stryker.environment.js",
  roots: unit.roots,
  testMatch: unit.testMatch,
  transform: unit.transform,
  testPathIgnorePatterns: [
    "/tests/(browser|cli|emulator|ui|ServiceAccountPanel|ServiceAccountGridCustomizer)/",
    "/tests/webhook/(azureFunctions|concurrency|fuzz)\\.test\\.ts$",
  ],
};
