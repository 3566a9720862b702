/**
 * `npm test` runs two projects: unit and component tests in jsdom (Node-side suites opt into the
 * node environment per file), and browser tests that drive Chromium through playwright-core against
 * the harness serving the production bundle. The browser project's global setup finds the browser
 * (tests/browser/chromium.ts) once and stops the run with one line when there is none.
 */
const transform = { "^.+\\.tsx?$": ["ts-jest", { tsconfig: "tsconfig.test.json" }] };

module.exports = {
  // Browser tests wait out real Retry-After delays; jest's option is global, not per project.
  testTimeout: 60000,
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
      globalSetup: "<rootDir>/tests/browser/globalSetup.ts",
      transform,
    },
  ],
};
