"use strict";
// Every request the stub sees, in arrival order, for tests to assert on (who called, with which key).

function createRequestLog() {
  let entries = [];
  return {
    add(entry) {
      entries.push({ at: new Date().toISOString(), ...entry });
    },
    list() {
      return entries;
    },
    clear() {
      entries = [];
    },
  };
}

module.exports = { createRequestLog };
