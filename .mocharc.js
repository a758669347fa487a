// One mocha run covers every tier, cheapest first, so a broken unit shows before the
// slow Docker-backed tiers start. The summary reporter ends the output with the line CI reads.
module.exports = {
  require: ["tsx/cjs"],
  extension: ["ts"],
  spec: [
    "test/unit/**/*.test.ts",
    "test/program/**/*.test.ts",
    "test/broker/**/*.test.ts",
    "test/images/**/*.test.ts",
    "test/e2e/**/*.test.ts",
  ],
  reporter: "test/support/summary-reporter.js",
  timeout: 60000,
  exit: true,
};
