"use strict";
// Answers held back by a `HOLD <key>` prompt until a test releases that key (POST
// /_stub/release/<key>): a model call that takes exactly as long as the test needs, so a job is
// known to be mid-flight while the test restarts something around it. A released key stays
// released, so the CLI's later calls for the same prompt answer at once.

function createHolds() {
  const released = new Set();
  const waiting = new Map();
  return {
    /** Resolves once `key` is released (at once when it already was, or when there is no key). */
    until(key) {
      if (!key || released.has(key)) return Promise.resolve();
      return new Promise((resolve) => waiting.set(key, [...(waiting.get(key) || []), resolve]));
    },
    /** Releases `key`; returns how many answers were waiting on it. */
    release(key) {
      released.add(key);
      const resolvers = waiting.get(key) || [];
      waiting.delete(key);
      resolvers.forEach((resolve) => resolve());
      return resolvers.length;
    },
  };
}

module.exports = { createHolds };
