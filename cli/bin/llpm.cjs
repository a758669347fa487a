#!/usr/bin/env node
// The package's `llpm` bin: the client is TypeScript, run through tsx like the project's scripts.
require("tsx/cjs");
const { main } = require("../main.ts");
main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err) => {
    process.stderr.write(`llpm: unexpected error: ${err && err.stack ? err.stack : String(err)}\n`);
    process.exitCode = 70;
  },
);
