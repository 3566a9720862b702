/**
 * `npm test` runs three projects: unit and component tests in jsdom, the Node-side suites (servers,
 * emulator, CLI, packer) in Node, and browser tests that drive Chromium through playwright-core against
 * the harness serving the production bundle. The browser project's global setup finds the browser
 * (tests/browser/chromium.ts) and starts it once for every browser test file, and stops the run with
 * one line when there is none.
 */
const { availableParallelism } = require("os");

// Types are stripped file by file (jest.transform.js); `npm test` type-checks the whole program once
// with tsc beforehand, which costs far less than a type-check in every test file.
const transform = { "^.+\\.tsx?$": "<rootDir>/jest.transform.js" };

// The suites that need Node (HTTP servers, child processes, files), chosen here rather than by
// docblocks so that `npm run mutation` can choose them too (jest.stryker.environment.js).
const nodeSuites = [
  "/tests/(cli|dataverse-node|docs|emulator|graph|package|solution)/.*\\.test\\.ts$",
  "/tests/dataverse/paging\\.test\\.ts$",
  "/tests/ServiceAccountPanel/(importGraph|policyDefaults)\\.test\\.ts$",
  "/tests/security/.*\\.test\\.ts$",
  "/tests/webhook/(azureFunctions|concurrency|entraStamp|fuzz|managedIdentity|registration|server)\\.test\\.ts$",
];

module.exports = {
  // Browser tests wait out real Retry-After delays; jest's option is global, not per project.
  testTimeout: 60000,
  // `npm test` (jest --coverage) measures the form code, what the controls ship (tsconfig.json's include);
  // the thresholds sit just under what the suite reaches (97.4% statements, 93.6% branches, 96.9%
  // functions, 99.0% lines), so coverage cannot silently fall. Istanbul (the default provider, applied by
  // jest after jest.transform.js) instruments only these files and cost nothing measurable (unit project: 136 s of CPU without
  // coverage, 135 s with it); coverageProvider "v8" took 239 s, as every worker collects and converts V8
  // coverage of everything it loads (React, Fluent, fastify) before filtering.
  collectCoverageFrom: [
    "ServiceAccountPanel/index.ts",
    "ServiceAccountGridCustomizer/index.ts",
    "src/core/**/*.ts",
    "src/dataverse/**/*.ts",
    "src/ui/**/*.{ts,tsx}",
  ],
  coverageReporters: ["text-summary", "json-summary"],
  coverageThreshold: { global: { statements: 97, branches: 93, functions: 96, lines: 98 } },
  // Jest's default (cores - 1) is one worker on a 2-core machine; the browser and server suites spend
  // most of their time waiting on the page, the emulator or a timer, so one worker more than there are
  // cores keeps the cores busy (measured on 2 cores: see docs/development.md, "Tests").
  maxWorkers: Math.max(3, availableParallelism()),
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
      globalSetup: "<rootDir>/tests/browser/globalSetup.ts",
      globalTeardown: "<rootDir>/tests/browser/globalTeardown.ts",
      transform,
    },
  ],
};
