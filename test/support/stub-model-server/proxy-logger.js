"use strict";
// An HTTP(S) proxy that forwards nothing: it records every CONNECT or absolute-URI request and
// refuses it, so a test pointing HTTPS_PROXY/HTTP_PROXY here sees any call that tried to leave.
const http = require("node:http");

function createProxyLogger(log) {
  const server = http.createServer((req, res) => {
    log.add({ method: req.method, target: req.url, headers: req.headers });
    res.writeHead(403, { "content-type": "text/plain" });
    res.end("blocked by stub proxy logger\n");
  });
  server.on("connect", (req, socket) => {
    log.add({ method: "CONNECT", target: req.url, headers: req.headers });
    socket.end("HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n");
  });
  return server;
}

module.exports = { createProxyLogger };
