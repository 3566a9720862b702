/**
 * The unit project for `npm run mutation`, without the suites that choose the node environment in a
 * docblock (`@jest-environment node`: CLI, emulator, HTTP client, paging, packer, webhook server, fuzz
 * and load tests). Stryker's per-test coverage needs its own environment wrapper, which a docblock
 * bypasses ("Missing coverage results"); those suites also spend their time outside the mutated code.
 */
const { projects, testTimeout } = require("./jest.config");

const unit = projects.find((project) => project.displayName === "unit");

module.exports = {
  ...unit,
  testTimeout,
  testPathIgnorePatterns: [
    ...unit.testPathIgnorePatterns,
    "/tests/cli/",
    "/tests/emulator/",
    "/tests/dataverse/(httpClient|paging)\\.test\\.ts$",
    "/tests/solution/pack\\.test\\.ts$",
    "/tests/webhook/(azureFunctions|concurrency|fuzz|registration|server)\\.test\\.ts$",
  ],
};
