/**
 * The unit project alone, for `npm run mutation`: Stryker runs it once per mutant (per covering test),
 * so the browser project, which tests the built bundle rather than the mutated sources, stays out.
 */
const { projects, testTimeout } = require("./jest.config");

const unit = projects.find((project) => project.displayName === "unit");

module.exports = { ...unit, testTimeout };
