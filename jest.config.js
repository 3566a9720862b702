/**
 * `npm test` runs two projects: unit and component tests in jsdom (Node-side suites opt into the
 * node environment per file), and browser tests that drive Chromium through playwright-core against
 * the harness serving the production bundle. The browser project's global setup finds the browser
 * (tests/browser/chromium.ts) once and stops the run with one line when there is none.
 */
const { availableParallelism } = require("os");

// ts-jest only transpiles (isolatedModules in tsconfig.test.json): `npm test` type-checks the whole
// program once with tsc beforehand, which costs far less than a type-check in every test file.
const transform = { "^.+\\.tsx?$": ["ts-jest", { tsconfig: "tsconfig.test.json" }] };

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
      testPathIgnorePatterns: ["/tests/browser/"],
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
