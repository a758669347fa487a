"use strict";
const crypto = require("node:crypto");

// Provider-looking ids ("msg_…", "resp_…", "call_…") so clients that check prefixes accept them.
function newId(prefix) {
  return `${prefix}_${crypto.randomBytes(12).toString("hex")}`;
}

function roughTokenCount(value) {
  return Math.max(1, Math.ceil(JSON.stringify(value || "").length / 4));
}

module.exports = { newId, roughTokenCount };
