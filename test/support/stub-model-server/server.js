"use strict";
// Entry point: the model API on PORT (default 4000) and the proxy logger on PROXY_PORT (3128).
const { createRequestLog } = require("./request-log");
const { createModelApi } = require("./model-api");
const { createProxyLogger } = require("./proxy-logger");
const { createHolds } = require("./holds");

const port = Number(process.env.PORT || 4000);
const proxyPort = Number(process.env.PROXY_PORT || 3128);
const host = process.env.HOST || "0.0.0.0";

const requests = createRequestLog();
const proxyRequests = createRequestLog();
createModelApi({ requests, proxyRequests, holds: createHolds() }).listen(port, host, () => console.log(`stub model server on ${host}:${port}`));
createProxyLogger(proxyRequests).listen(proxyPort, host, () => console.log(`stub proxy logger on ${host}:${proxyPort}`));

for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => process.exit(0));
