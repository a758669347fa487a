/**
 * The Docker API filter's proxy: an HTTP server in front of the engine that applies policy.ts to
 * every request, and to the answers where the policy needs them (labels of an inspected container,
 * the list, each event, the id of a created exec). Exec start is hijacked by Docker (the connection
 * becomes the exec's stdin and output), so it is proxied as an HTTP upgrade on a raw socket.
 */
import { chmodSync, rmSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import { splitLines } from "../runtime/docker/splitLines";
import { ExecRegistry } from "./execRegistry";
import type { Endpoint } from "../runtime/docker/dockerEndpoint";
import {
  checkExecCreate,
  checkExecStart,
  eventInScope,
  inspectedLabels,
  isScopeWorkload,
  routeRequest,
  scopeContainerList,
  type FilterScope,
} from "./policy";

const MAX_BODY_BYTES = 1024 * 1024;
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "upgrade"]);

export interface DockerFilterOptions {
  scope: FilterScope;
  upstream: Endpoint;
  log: Logger;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    reason: string,
  ) {
    super(reason);
  }
}

function endpointOptions(endpoint: Endpoint): { socketPath: string } | { host: string; port: number } {
  return "socketPath" in endpoint ? { socketPath: endpoint.socketPath } : { host: endpoint.host, port: endpoint.port };
}

function connectTo(endpoint: Endpoint): net.Socket {
  return "socketPath" in endpoint ? net.connect({ path: endpoint.socketPath }) : net.connect({ host: endpoint.host, port: endpoint.port });
}

/** What a refused request is called in the answer and the log: method and path, never the query. */
function requestName(method: string, target: string): string {
  const path = target.split("?")[0];
  return `${method} ${path.length > 200 ? `${path.slice(0, 200)}…` : path}`;
}

function refusalBody(method: string, target: string, reason: string): string {
  const refused = requestName(method, target);
  // Docker's own error shape (`message`), so dockerode and the docker CLI show the reason.
  return JSON.stringify({ message: `llpm docker filter refused ${refused}: ${reason}`, refused });
}

function readAll(stream: NodeJS.ReadableStream, limit = Infinity): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Refusal(413, `the request body is over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}

function hasBody(req: http.IncomingMessage): boolean {
  return req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
}

function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new Refusal(400, "the request body is not JSON");
  }
}

function copyHeaders(from: http.IncomingMessage): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(from.headers)) if (value !== undefined && !HOP_BY_HOP.has(key)) out[key] = value;
  return out;
}

export interface DockerFilter {
  server: http.Server;
  /** Ends every connection, the upgraded exec streams too, and stops listening. */
  close(): Promise<void>;
}

export function createDockerFilter(opts: DockerFilterOptions): DockerFilter {
  const { scope, upstream, log } = opts;
  const execs = new ExecRegistry();

  const call = (method: string, target: string, body?: Buffer): Promise<{ req: http.ClientRequest; res: http.IncomingMessage }> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { Host: "docker" };
      if (body) Object.assign(headers, { "Content-Type": "application/json", "Content-Length": body.length });
      const req = http.request({ ...endpointOptions(upstream), method, path: target, headers, agent: false }, (res) => resolve({ req, res }));
      req.on("error", reject);
      req.end(body);
    });

  const callJson = async (method: string, target: string, body?: Buffer) => {
    const { res } = await call(method, target, body);
    const raw = await readAll(res);
    let json: unknown;
    try {
      json = raw.length ? JSON.parse(raw.toString("utf8")) : undefined;
    } catch {
      json = undefined;
    }
    return { res, raw, json };
  };

  const send = (res: http.ServerResponse, status: number, headers: Record<string, string | string[]>, body: Buffer | string) => {
    res.writeHead(status, { ...headers, "Content-Length": Buffer.byteLength(body) });
    res.end(body);
  };

  const sendJson = (res: http.ServerResponse, status: number, from: http.IncomingMessage, json: unknown) =>
    send(res, status, { ...copyHeaders(from), "Content-Type": "application/json" }, JSON.stringify(json));

  const refuse = (res: http.ServerResponse, req: http.IncomingMessage, status: number, reason: string) => {
    log.warn({ request: requestName(req.method ?? "", req.url ?? ""), reason, status }, "docker call refused");
    // The connection closes: whatever else the client sends on it (a body over the cap) is never taken as a request.
    send(res, status, { "Content-Type": "application/json", Connection: "close" }, refusalBody(req.method ?? "", req.url ?? "", reason));
  };

  const pipeAnswer = (upstreamRes: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(upstreamRes.statusCode ?? 502, copyHeaders(upstreamRes));
    upstreamRes.pipe(res);
  };

  /** The scope's container for an exec, by an inspect whose labels decide (and whose id is used). */
  const scopeContainerId = async (inspectTarget: string): Promise<string> => {
    const inspected = await callJson("GET", inspectTarget);
    if (inspected.res.statusCode === 404) throw new Refusal(404, "no such container");
    if (inspected.res.statusCode !== 200) throw new Refusal(502, `the engine answered the container inspect with ${inspected.res.statusCode}`);
    if (!isScopeWorkload(inspectedLabels(inspected.json), scope)) {
      throw new Refusal(403, `the container is not an agent of stack ${scope.stack} (labels llpm.stack=${scope.stack}, llpm.role=agent)`);
    }
    return (inspected.json as { Id: string }).Id;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const decision = routeRequest(req.method ?? "", req.url ?? "", scope);
    if (!decision.allow) {
      // Answering while the client still sends its body (a build's context) would show it a broken
      // pipe instead of the refusal; a body over the cap is not waited for. A request without one is
      // answered at once, before anything after it on the connection is parsed.
      if (hasBody(req)) await readAll(req, MAX_BODY_BYTES).catch(() => undefined);
      else req.resume();
      return refuse(res, req, 403, decision.reason);
    }
    const route = decision.route;
    const body = await readAll(req, MAX_BODY_BYTES);
    log.debug({ request: requestName(req.method ?? "", route.kind === "createExec" ? route.inspectTarget : route.target) }, "docker call allowed");
    switch (route.kind) {
      case "passthrough": {
        const { res: answer } = await call(req.method ?? "GET", route.target);
        return pipeAnswer(answer, res);
      }
      case "listContainers": {
        const listed = await callJson("GET", route.target);
        if (listed.res.statusCode !== 200) return send(res, listed.res.statusCode ?? 502, copyHeaders(listed.res), listed.raw);
        return sendJson(res, 200, listed.res, scopeContainerList(listed.json, scope));
      }
      case "inspectContainer": {
        const inspected = await callJson("GET", route.target);
        if (inspected.res.statusCode !== 200) return send(res, inspected.res.statusCode ?? 502, copyHeaders(inspected.res), inspected.raw);
        if (!isScopeWorkload(inspectedLabels(inspected.json), scope)) {
          return refuse(res, req, 403, `the container is not an agent of stack ${scope.stack}`);
        }
        return send(res, 200, copyHeaders(inspected.res), inspected.raw);
      }
      case "events": {
        const { req: upstreamReq, res: answer } = await call("GET", route.target);
        res.on("close", () => upstreamReq.destroy());
        if (answer.statusCode !== 200) return pipeAnswer(answer, res);
        res.writeHead(200, copyHeaders(answer));
        res.flushHeaders();
        answer.on(
          "data",
          splitLines((line) => {
            let event: unknown;
            try {
              event = JSON.parse(line);
            } catch {
              return;
            }
            if (eventInScope(event, scope)) res.write(`${line}\n`);
          }),
        );
        answer.on("end", () => res.end());
        answer.on("error", () => res.destroy());
        return;
      }
      case "createExec": {
        const checked = checkExecCreate(parseJsonBody(body));
        if (!checked.ok) return refuse(res, req, 403, checked.reason);
        const containerId = await scopeContainerId(route.inspectTarget);
        const created = await callJson("POST", route.execTarget(containerId), Buffer.from(JSON.stringify(checked.body)));
        const execId = (created.json as { Id?: unknown } | undefined)?.Id;
        if (created.res.statusCode === 201 && typeof execId === "string") execs.add(execId, containerId);
        return send(res, created.res.statusCode ?? 502, copyHeaders(created.res), created.raw);
      }
      case "startExec": {
        if (!execs.has(route.execId)) return refuse(res, req, 403, "this exec was not created through the filter");
        const checked = checkExecStart(parseJsonBody(body));
        if (!checked.ok) return refuse(res, req, 403, checked.reason);
        const { req: upstreamReq, res: answer } = await call("POST", route.target, Buffer.from(JSON.stringify(checked.body)));
        res.on("close", () => upstreamReq.destroy());
        return pipeAnswer(answer, res);
      }
      case "execById": {
        if (!execs.has(route.execId)) return refuse(res, req, 403, "this exec was not created through the filter");
        const { res: answer } = await call(req.method ?? "GET", route.target);
        return pipeAnswer(answer, res);
      }
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof Refusal) return refuse(res, req, err.status, err.message);
      log.error({ err, request: requestName(req.method ?? "", req.url ?? "") }, "docker call failed");
      if (!res.headersSent) send(res, 502, { "Content-Type": "application/json" }, JSON.stringify({ message: `llpm docker filter: the engine did not answer (${(err as Error).message})` }));
      else res.destroy();
    });
  });

  // Upgraded connections are no longer the HTTP server's to close, but keep it from closing.
  const upgraded = new Set<Duplex>();
  server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.on("close", () => upgraded.delete(socket));
    upgradeExecStart(req, socket, head, { scope, upstream, log, execs }).catch((err: unknown) => {
      const status = err instanceof Refusal ? err.status : 502;
      const reason = err instanceof Refusal ? err.message : `the engine did not answer (${(err as Error).message})`;
      if (status !== 502) log.warn({ request: requestName(req.method ?? "", req.url ?? ""), reason, status }, "docker call refused");
      else log.error({ err, request: requestName(req.method ?? "", req.url ?? "") }, "docker exec start failed");
      const body = refusalBody(req.method ?? "", req.url ?? "", reason);
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    });
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of upgraded) socket.destroy();
      }),
  };
}

/** Reads exactly `length` bytes of body from an upgraded socket; what comes after is early stdin. */
function readUpgradeBody(socket: Duplex, head: Buffer, length: number): Promise<{ body: Buffer; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let buffered = head;
    const done = () => {
      socket.off("data", onData);
      socket.off("error", reject);
      socket.pause();
      resolve({ body: buffered.subarray(0, length), rest: buffered.subarray(length) });
    };
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length >= length) done();
    };
    if (buffered.length >= length) return done();
    socket.on("data", onData);
    socket.on("error", reject);
  });
}

/** The engine's answer head (up to the blank line), and whatever of the stream came with it. */
function readAnswerHead(upstream: net.Socket): Promise<{ head: Buffer; status: number; contentLength: number | null }> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf("\r\n\r\n");
      if (end === -1) return;
      upstream.off("data", onData);
      upstream.pause();
      const lines = buffered.subarray(0, end).toString("latin1").split("\r\n");
      const status = Number(/^HTTP\/1\.[01] ([0-9]{3})/.exec(lines[0])?.[1] ?? 0);
      const lengthLine = lines.find((l) => /^content-length:/i.test(l));
      resolve({ head: buffered, status, contentLength: lengthLine ? Number(lengthLine.split(":")[1].trim()) : null });
    };
    upstream.on("data", onData);
    upstream.once("error", reject);
    upstream.once("close", () => reject(new Error("the engine closed the connection")));
  });
}

async function upgradeExecStart(
  req: http.IncomingMessage,
  socket: Duplex,
  head: Buffer,
  ctx: { scope: FilterScope; upstream: Endpoint; log: Logger; execs: ExecRegistry },
): Promise<void> {
  const decision = routeRequest(req.method ?? "", req.url ?? "", ctx.scope);
  if (!decision.allow) throw new Refusal(403, decision.reason);
  const route = decision.route;
  if (route.kind !== "startExec") throw new Refusal(403, "only exec start may upgrade the connection");
  if (!ctx.execs.has(route.execId)) throw new Refusal(403, "this exec was not created through the filter");
  if (req.headers["transfer-encoding"] !== undefined) throw new Refusal(400, "a chunked exec start body is not supported; send Content-Length");
  const length = Number(req.headers["content-length"] ?? 0);
  if (!Number.isInteger(length) || length < 0 || length > MAX_BODY_BYTES) throw new Refusal(400, "invalid Content-Length");
  const { body, rest } = await readUpgradeBody(socket, head, length);
  const checked = checkExecStart(parseJsonBody(body));
  if (!checked.ok) throw new Refusal(403, checked.reason);

  const forwarded = Buffer.from(JSON.stringify(checked.body));
  const upstream = connectTo(ctx.upstream);
  upstream.on("error", () => socket.destroy());
  socket.on("error", () => upstream.destroy());
  socket.on("close", () => upstream.destroy());
  upstream.write(
    `POST ${route.target} HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\nContent-Length: ${forwarded.length}\r\n` +
      `Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n`,
  );
  upstream.write(forwarded);
  const answer = await readAnswerHead(upstream);
  upstream.removeAllListeners("close");
  if (answer.status === 101) {
    // From here the connection is the exec's stdin and output, no longer HTTP: bytes flow as they are.
    socket.write(answer.head);
    if (rest.length > 0) upstream.write(rest);
    socket.pipe(upstream);
    upstream.pipe(socket);
    socket.resume();
    upstream.resume();
    return;
  }
  // Refused by the engine: pass its answer on and close, so nothing more the client sends reaches
  // the engine as a further request on this connection.
  const headEnd = answer.head.indexOf("\r\n\r\n") + 4;
  const expected = headEnd + (answer.contentLength ?? 0);
  let sent = answer.head;
  const finish = () => {
    socket.end(sent.subarray(0, expected));
    upstream.destroy();
  };
  if (sent.length >= expected) return finish();
  upstream.on("data", (chunk: Buffer) => {
    sent = Buffer.concat([sent, chunk]);
    if (sent.length >= expected) finish();
  });
  upstream.on("end", finish);
  upstream.resume();
}

/** Listens on a unix socket (an old one from a previous run is replaced; owner-only) or on TCP. */
export async function listenDockerFilter(server: http.Server, listen: Endpoint): Promise<void> {
  if ("socketPath" in listen) rmSync(listen.socketPath, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    if ("socketPath" in listen) server.listen(listen.socketPath, resolve);
    else server.listen(listen.port, listen.host, resolve);
  });
  if ("socketPath" in listen) chmodSync(listen.socketPath, 0o600);
}
