/**
 * `npm test` runs three projects: unit and component tests in jsdom, the Node-side suites (servers,
 * emulator, CLI, packer) in Node, and browser tests that drive Chromium through playwright-core against
 * the harness serving the production bundle. The browser project's global setup finds the browser
 * (tests/browser/chromium.ts) once and stops the run with one line when there is none.
 */
const { availableParallelism } = require("os");

// ts-jest only transpiles (isolatedModules in tsconfig.test.json): `npm test` type-checks the whole
// program once with tsc beforehand, which costs far less than a type-check in every test file.
const transform = { "^.+\\.tsx?$": ["ts-jest", { tsconfig: "tsconfig.test.json" }] };

// The suites that need Node (HTTP servers, child processes, files), chosen here rather than by
// docblocks so that `npm run mutation` can choose them too (jest.stryker.environment.js).
// tests/dataverse-node/ is where issue 13 moves the Node-side Dataverse tests.
const nodeSuites = [
  "/tests/(cli|dataverse-node|emulator|graph|solution)/.*\\.test\\.ts$",
  "/tests/dataverse/(httpClient|paging)\\.test\\.ts$",
  "/tests/webhook/(azureFunctions|concurrency|entraStamp|fuzz|registration|server)\\.test\\.ts$",
];

module.exports = {
  // Browser tests wait out real Retry-After delays; jest's option is global, not per project.
  testTimeout: 60000,
  // Jest's default (cores - 1) is one worker on a 2-core machine; the browser and server suites spend
  // much of their time waiting, so two workers there finish far sooner.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  projects: [
    {
      displayName: "unit",
      testEnvironment: "jsdom",
      roots: ["<rootDir>/tests"],
      testMatch: ["**/*.test.ts", "**/*.test.tsx"],
      testPathIgnorePatterns: ["/tests/browser/", ...nodeSuites],
      transform,
    },
    {
      displayName: "node",
      testEnvironment: "node",
      roots: ["<rootDir>/tests"],
      testRegex: nodeSuites,
      transform,
    },
    {
      displayName: "browser",
      testEnvironment: "node",
      roots: ["<rootDir>/tests/browser"],
      testMatch: ["**/*.test.ts"],
      globalSetup: "<rootDir>/tests/browser/findBrowser.ts",
      transform,
    },
  ],
};
