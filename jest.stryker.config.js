/**
 * The jest config of `npm run mutation` (docs/mutation.md): the unit (jsdom) and node projects of
 * jest.config.js, each in Stryker's wrapper of its environment, which records which test ran which
 * mutant (per-test coverage); Stryker puts its wrapper only on a top-level environment, not a project's.
 * Left out: the CLI suites (they run the code in child processes, where no mutant is ever active) and
 * the load suites (concurrency, Azure Functions host), whose minutes would count on every run.
 */
const { projects, testTimeout } = require("./jest.config");

const strykerEnvironments = {
  jsdom: "@stryker-mutator/jest-runner/jest-env/jsdom",
  node: "@stryker-mutator/jest-runner/jest-env/node",
};
const notMutationSuites = ["/tests/cli/", "/tests/webhook/(azureFunctions|concurrency)\\.test\\.ts$"];

module.exports = {
  testTimeout,
  projects: projects
    .filter((project) => project.displayName !== "browser")
    .map((project) => ({
      ...project,
      testEnvironment: strykerEnvironments[project.testEnvironment],
      testPathIgnorePatterns: [...(project.testPathIgnorePatterns ?? []), ...notMutationSuites],
    })),
};
