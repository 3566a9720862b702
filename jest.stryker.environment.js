/**
 * The test environment of `npm run mutation`: Node for the suites of jest.config.js's node project,
 * jsdom for the rest. Stryker wraps the top-level environment to record which test ran which mutant
 * (per-test coverage), and a top-level environment outranks the projects' own, so the choice by path
 * that the projects make in `npm test` is made here.
 */
const NodeEnvironment = require("jest-environment-node").default;
const JsdomEnvironment = require("jest-environment-jsdom").default;
const { projects } = require("./jest.config");

const nodeSuites = projects.find((project) => project.displayName === "node").testRegex.map((source) => new RegExp(source));

module.exports = function PathChosenEnvironment(config, context) {
  const testPath = context.testPath.replaceAll("\\", "/");
  const Environment = nodeSuites.some((suite) => suite.test(testPath)) ? NodeEnvironment : JsdomEnvironment;
  return new Environment(config, context);
};
