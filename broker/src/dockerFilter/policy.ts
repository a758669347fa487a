/**
 * What the broker may ask of the Docker engine: list, inspect and watch its own stack's agent
 * containers, and run execs in them. Everything else is refused. Pure functions only; the proxy
 * (dockerFilterServer.ts) applies them to real requests and responses.
 */
import { AGENT_ROLE, LABEL } from "../agents/labels";
import { buildTarget, parseRequestPath, type Parsed, type RequestPath } from "./requestPath";

/**
 * The containers the broker may see: its stack's agents. Not the stack's LiteLLM or Postgres: an
 * inspect shows a container's environment (the master key, the provider keys), an exec reads it.
 */
export interface FilterScope {
  stack: string;
}

export function scopeLabels(scope: FilterScope): string[] {
  return [`${LABEL.stack}=${scope.stack}`, `${LABEL.role}=${AGENT_ROLE}`];
}

export function isScopeWorkload(labels: Record<string, string> | null | undefined, scope: FilterScope): boolean {
  return labels?.[LABEL.stack] === scope.stack && labels?.[LABEL.role] === AGENT_ROLE;
}

export type Route =
  | { kind: "passthrough"; target: string }
  | { kind: "listContainers"; target: string }
  | { kind: "inspectContainer"; target: string }
  | { kind: "events"; target: string }
  | { kind: "createExec"; inspectTarget: string; execTarget: (containerId: string) => string }
  | { kind: "startExec"; execId: string; target: string }
  | { kind: "execById"; execId: string; target: string };

export type Decision = { allow: true; route: Route } | { allow: false; reason: string };

export const ALLOWED_CALLS = [
  "GET /_ping",
  "GET /version",
  "GET /containers/json",
  "GET /containers/{id}/json",
  "GET /events",
  "POST /containers/{id}/exec",
  "POST /exec/{id}/start",
  "GET /exec/{id}/json",
  "POST /exec/{id}/resize",
];

const FORBIDDEN_AREAS: Record<string, string> = {
  images: "image calls are not allowed",
  volumes: "volume calls are not allowed",
  networks: "network calls are not allowed",
  build: "building images is not allowed",
  swarm: "swarm calls are not allowed",
  services: "service calls are not allowed",
  secrets: "secret calls are not allowed",
  configs: "config calls are not allowed",
  plugins: "plugin calls are not allowed",
  system: "system calls are not allowed",
  session: "build sessions are not allowed",
};

const refuse = (reason: string): Decision => ({ allow: false, reason });

function onlyParams(path: RequestPath, allowed: string[]): Parsed<Record<string, string>> {
  const unknown = [...path.query.keys()].filter((k) => !allowed.includes(k));
  if (unknown.length > 0) {
    const list = allowed.length ? allowed.join(", ") : "none";
    return { ok: false, reason: `query parameter(s) ${unknown.join(", ")} not allowed here; allowed: ${list}` };
  }
  return { ok: true, value: Object.fromEntries(path.query) };
}

type FilterMap = Record<string, string[]>;

/** Docker takes filters as `{"key": ["v"]}` or `{"key": {"v": true}}`; both become the first form. */
export function parseFilters(raw: string | undefined): Parsed<FilterMap> {
  if (raw === undefined || raw === "") return { ok: true, value: {} };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, reason: "filters is not JSON" };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return { ok: false, reason: "filters must be a JSON object" };
  const out: FilterMap = {};
  for (const [key, value] of Object.entries(json)) {
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) out[key] = value;
    else if (typeof value === "object" && value !== null && Object.values(value).every((v) => v === true)) out[key] = Object.keys(value);
    else return { ok: false, reason: `filters.${key} must be a list of strings` };
  }
  return { ok: true, value: out };
}

/**
 * The request's own filters with the scope's labels added. Docker ANDs the values of `label`
 * (and ANDs across keys), so a request can only narrow the result, never widen it.
 */
export function scopedFilters(raw: string | undefined, scope: FilterScope, extra: FilterMap = {}): Parsed<string> {
  const parsed = parseFilters(raw);
  if (!parsed.ok) return parsed;
  const filters = { ...parsed.value, ...extra };
  const labels = new Set([...(filters.label ?? []), ...scopeLabels(scope)]);
  filters.label = [...labels];
  return { ok: true, value: JSON.stringify(filters) };
}

function listContainers(path: RequestPath, scope: FilterScope): Decision {
  const params = onlyParams(path, ["all", "limit", "size", "filters"]);
  if (!params.ok) return refuse(params.reason);
  const filters = scopedFilters(params.value.filters, scope);
  if (!filters.ok) return refuse(filters.reason);
  return { allow: true, route: { kind: "listContainers", target: buildTarget(path.version, path.segments, { ...params.value, filters: filters.value }) } };
}

function events(path: RequestPath, scope: FilterScope): Decision {
  const params = onlyParams(path, ["since", "until", "filters"]);
  if (!params.ok) return refuse(params.reason);
  const asked = parseFilters(params.value.filters);
  if (!asked.ok) return refuse(asked.reason);
  const types = asked.value.type ?? [];
  if (types.some((t) => t !== "container")) return refuse(`events of type ${types.join(", ")} are not allowed; allowed: container`);
  const filters = scopedFilters(params.value.filters, scope, { type: ["container"] });
  if (!filters.ok) return refuse(filters.reason);
  return { allow: true, route: { kind: "events", target: buildTarget(path.version, path.segments, { ...params.value, filters: filters.value }) } };
}

/** Maps a request line to the one allowed call it is, or a refusal that says why and what is allowed. */
export function routeRequest(method: string, target: string, scope: FilterScope): Decision {
  const parsed = parseRequestPath(target);
  if (!parsed.ok) {
    // Say what kind of call it was when that can be told (an image name with a tag is not a valid segment).
    const area = /^(?:\/v[0-9.]+)?\/([a-z]+)\//.exec(target)?.[1];
    const areaReason = area !== undefined ? FORBIDDEN_AREAS[area] : undefined;
    return refuse(areaReason ? `${areaReason} (${parsed.reason})` : parsed.reason);
  }
  const path = parsed.value;
  const [area, ref, action, ...more] = path.segments;
  const noParams = (route: (p: Record<string, string>) => Route, allowed: string[] = []): Decision => {
    const params = onlyParams(path, allowed);
    return params.ok ? { allow: true, route: route(params.value) } : refuse(params.reason);
  };
  const passthrough = () => noParams(() => ({ kind: "passthrough", target: buildTarget(path.version, path.segments) }));

  if (path.segments.length === 1 && area === "_ping" && (method === "GET" || method === "HEAD")) return passthrough();
  if (path.segments.length === 1 && area === "version" && method === "GET") return passthrough();
  if (path.segments.length === 1 && area === "events" && method === "GET") return events(path, scope);

  if (area === "containers") {
    if (path.segments.length === 2 && ref === "json" && method === "GET") return listContainers(path, scope);
    if (path.segments.length === 2 && ref === "create") return refuse("creating containers is not allowed");
    if (path.segments.length === 3 && action === "json" && method === "GET") {
      return noParams((p) => ({ kind: "inspectContainer", target: buildTarget(path.version, path.segments, p) }), ["size"]);
    }
    if (path.segments.length === 3 && action === "exec" && method === "POST") {
      return noParams(() => ({
        kind: "createExec",
        inspectTarget: buildTarget(path.version, ["containers", ref, "json"]),
        // The exec goes to the id the inspect returned, so a container renamed in between is not hit.
        execTarget: (containerId: string) => buildTarget(path.version, ["containers", containerId, "exec"]),
      }));
    }
    return refuse(`${method} on containers is allowed only as list, inspect and exec; ${action ?? ref ?? "this call"} is not`);
  }

  if (area === "exec" && ref !== undefined && more.length === 0) {
    if (action === "start" && method === "POST") {
      return noParams(() => ({ kind: "startExec", execId: ref, target: buildTarget(path.version, path.segments) }));
    }
    if (action === "json" && method === "GET") {
      return noParams(() => ({ kind: "execById", execId: ref, target: buildTarget(path.version, path.segments) }));
    }
    if (action === "resize" && method === "POST") {
      return noParams((p) => ({ kind: "execById", execId: ref, target: buildTarget(path.version, path.segments, p) }), ["h", "w"]);
    }
  }

  const areaReason = area !== undefined ? FORBIDDEN_AREAS[area] : undefined;
  return refuse(areaReason ?? `this is not a call the broker needs`);
}

export type Checked<T> = { ok: true; body: T } | { ok: false; reason: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export interface ExecCreateBody {
  Cmd: string[];
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  Tty?: boolean;
  WorkingDir?: string;
}

/**
 * An exec as the broker makes one: a command, a working directory, attach flags. It runs as the
 * container's own (non-root) user: `User`, `Privileged` and `Env` are refused, as is anything new.
 */
export function checkExecCreate(body: unknown): Checked<ExecCreateBody> {
  if (!isObject(body)) return { ok: false, reason: "the exec body must be a JSON object" };
  const flags = ["AttachStdin", "AttachStdout", "AttachStderr", "Tty"] as const;
  const out: ExecCreateBody = { Cmd: [] };
  for (const [key, value] of Object.entries(body)) {
    if (key === "Privileged") {
      if (value !== false) return { ok: false, reason: "privileged exec is not allowed" };
    } else if (key === "User") {
      if (value !== "") return { ok: false, reason: "exec as another user is not allowed; the exec runs as the container's own user" };
    } else if (key === "Cmd") {
      if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === "string")) {
        return { ok: false, reason: "Cmd must be a non-empty list of strings" };
      }
      out.Cmd = value;
    } else if (key === "WorkingDir") {
      if (typeof value !== "string") return { ok: false, reason: "WorkingDir must be a string" };
      out.WorkingDir = value;
    } else if ((flags as readonly string[]).includes(key)) {
      if (typeof value !== "boolean") return { ok: false, reason: `${key} must be a boolean` };
      out[key as (typeof flags)[number]] = value;
    } else {
      return { ok: false, reason: `exec field ${key} is not allowed; allowed: Cmd, WorkingDir, ${flags.join(", ")}` };
    }
  }
  if (out.Cmd.length === 0) return { ok: false, reason: "Cmd is required" };
  return { ok: true, body: out };
}

/** `hijack` and `stdin` are dockerode's own options, which it sends along and Docker ignores. */
export function checkExecStart(body: unknown): Checked<{ Detach?: boolean; Tty?: boolean }> {
  if (body === undefined) return { ok: true, body: {} };
  if (!isObject(body)) return { ok: false, reason: "the exec start body must be a JSON object" };
  const out: { Detach?: boolean; Tty?: boolean } = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === "hijack" || key === "stdin") continue;
    if ((key === "Detach" || key === "Tty") && typeof value === "boolean") out[key] = value;
    else return { ok: false, reason: `exec start field ${key} is not allowed; allowed: Detach, Tty (booleans)` };
  }
  return { ok: true, body: out };
}

/** The list as Docker returned it, keeping only the scope's workloads (in case a filter was ignored). */
export function scopeContainerList(list: unknown, scope: FilterScope): unknown[] {
  if (!Array.isArray(list)) return [];
  return list.filter((c) => isObject(c) && isScopeWorkload(c.Labels as Record<string, string>, scope));
}

/** An event line passes only when it is about a container of the scope (Docker sends labels as attributes). */
export function eventInScope(event: unknown, scope: FilterScope): boolean {
  if (!isObject(event) || event.Type !== "container" || !isObject(event.Actor)) return false;
  return isScopeWorkload(event.Actor.Attributes as Record<string, string>, scope);
}

/** The labels of a `GET /containers/{id}/json` answer. */
export function inspectedLabels(info: unknown): Record<string, string> | null {
  if (!isObject(info) || !isObject(info.Config) || !isObject(info.Config.Labels)) return null;
  return info.Config.Labels as Record<string, string>;
}
