"use strict";
// The model-facing HTTP API plus the /_stub control routes that read and clear the logs.
const http = require("node:http");
const { handleMessages, handleCountTokens } = require("./anthropic-messages");
const { handleResponses } = require("./openai-responses");
const { handleChatCompletions } = require("./openai-chat");

const MODELS = ["claude-sonnet-4-5", "claude-haiku-4-5", "gpt-5", "gpt-5.5", "gpt-4o", "gpt-4o-mini"];

// Paths are matched with and without the /v1 prefix: LiteLLM's api_base may or may not carry it.
const POST_ROUTES = {
  "/messages": handleMessages,
  "/messages/count_tokens": handleCountTokens,
  "/responses": handleResponses,
  "/chat/completions": handleChatCompletions,
};

function sendJson(res, status, value) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function createModelApi({ requests, proxyRequests, holds }) {
  return http.createServer(async (req, res) => {
    const url = new URL(req.url, "http://stub");
    const path = url.pathname.replace(/^\/v1(?=\/)/, "");
    const raw = await readBody(req);
    const release = /^\/_stub\/release\/([^/]+)$/.exec(url.pathname);
    if (release && req.method === "POST") return sendJson(res, 200, { released: holds.release(decodeURIComponent(release[1])) });
    if (url.pathname.startsWith("/_stub/")) {
      const log = url.pathname === "/_stub/requests" ? requests : url.pathname === "/_stub/proxy-requests" ? proxyRequests : null;
      if (!log) return sendJson(res, 404, { error: "unknown stub route" });
      if (req.method === "DELETE") {
        log.clear();
        return sendJson(res, 200, { cleared: true });
      }
      return sendJson(res, 200, log.list());
    }
    if (url.pathname === "/health" || url.pathname === "/health/liveliness") return sendJson(res, 200, { status: "ok" });
    let body = {};
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      return sendJson(res, 400, { error: { message: "body is not JSON" } });
    }
    requests.add({ method: req.method, path: url.pathname, query: url.search, headers: req.headers, model: body.model ?? null, body });
    if (req.method === "GET" && path === "/models") {
      return sendJson(res, 200, { object: "list", data: MODELS.map((id) => ({ id, object: "model", created: 0, owned_by: "stub" })) });
    }
    const handler = req.method === "POST" && POST_ROUTES[path];
    if (!handler) return sendJson(res, 404, { error: { message: `stub has no route ${req.method} ${url.pathname}` } });
    Promise.resolve(handler(body, res, holds)).catch((error) => res.destroy(error));
  });
}

module.exports = { createModelApi };
