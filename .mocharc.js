// Shared by every tier. The spec list lives in package.json's scripts: mocha appends command-line
// specs to a config's `spec`, so keeping it here would make `npm run test:unit` run every tier.
module.exports = {
  require: ["tsx/cjs"],
  extension: ["ts"],
  reporter: "test/support/summary-reporter.js",
  timeout: 60000,
  exit: true,
};
