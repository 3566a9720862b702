// @ts-check
/**
 * `npm run mutation`: StrykerJS over the code whose mistakes cost most (docs/mutation.md).
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: "jest",
  jest: { projectType: "custom", configFile: "jest.stryker.config.js", enableFindRelatedTests: false },
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.test.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: [
    "src/core/**/*.ts",
    "src/dataverse/xrmClient.ts",
    "src/dataverse/snapshotReader.ts",
    "src/dataverse/snapshotRows.ts",
    "src/dataverse/fixService.ts",
    "src/dataverse/errors.ts",
    "src/dataverse/retry.ts",
    "src/dataverse/auditReader.ts",
    "src/webhook/auth.ts",
    "src/webhook/executionContext.ts",
    "src/webhook/coalescingQueue.ts",
    "src/solution/validate.ts",
  ],
  coverageAnalysis: "perTest",
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  // The machine is shared: two test processes at most.
  concurrency: 2,
  timeoutMS: 20000,
  // The initial run of the unit suites took 3.5 min on the shared machine, close to the 5-minute default.
  dryRunTimeoutMinutes: 15,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  thresholds: { high: 90, low: 80, break: 80 },
};
