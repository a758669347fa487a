"use strict";
// Server-sent events as the providers send them: `event:` line (Anthropic, Responses) or bare
// `data:` lines (chat completions).

function startStream(res) {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
}

function sendEvent(res, type, data) {
  if (type) res.write(`event: ${type}\n`);
  res.write(`data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);
}

module.exports = { startStream, sendEvent };
