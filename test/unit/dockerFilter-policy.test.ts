import { expect } from "chai";
import { AGENT_ROLE, LABEL } from "../../broker/src/agents/labels";
import { ENGINE_SOCKET_PATH, FILTER_SOCKET_PATH } from "../../broker/src/dockerFilter/filterContainer";
import { ExecRegistry } from "../../broker/src/dockerFilter/execRegistry";
import { DockerFilterConfigError, loadDockerFilterConfig } from "../../broker/src/dockerFilter/filterConfig";
import {
  checkExecCreate,
  checkExecStart,
  eventInScope,
  inspectedLabels,
  isScopeWorkload,
  routeRequest,
  scopeContainerList,
  scopedFilters,
  scopeLabels,
  type Decision,
  type Route,
} from "../../broker/src/dockerFilter/policy";
import { parseRequestPath } from "../../broker/src/dockerFilter/requestPath";
import { parseEndpoint } from "../../broker/src/runtime/docker/dockerEndpoint";

const scope = { stack: "dev" };
const agent = { [LABEL.stack]: "dev", [LABEL.role]: AGENT_ROLE };
const EXEC_ID = "a".repeat(64);

function allowed(decision: Decision): Route {
  if (!decision.allow) throw new Error(`refused: ${decision.reason}`);
  return decision.route;
}

function refused(decision: Decision): string {
  if (decision.allow) throw new Error(`allowed: ${JSON.stringify(decision.route)}`);
  return decision.reason;
}

function targetOf(route: Route): string {
  if (!("target" in route)) throw new Error(`route ${route.kind} has no single target`);
  return route.target;
}

function queryOf(target: string): URLSearchParams {
  return new URLSearchParams(target.split("?")[1] ?? "");
}

describe("Docker API filter policy", () => {
  describe("request paths", () => {
    it("keeps a version prefix and splits the segments", () => {
      const parsed = parseRequestPath("/v1.41/containers/json?all=1");
      expect(parsed).to.deep.equal({ ok: true, value: { version: "/v1.41", segments: ["containers", "json"], query: new Map([["all", "1"]]) } });
    });

    it("refuses percent-encoding, dot segments, empty segments and a missing leading slash", () => {
      for (const target of ["/containers%2Fcreate", "/%63ontainers/json", "/containers/../images/json", "/containers/./json", "//containers/json", "/containers/json/", "containers/json", "/containers/a\\b/json"]) {
        expect(parseRequestPath(target).ok, target).to.equal(false);
      }
    });

    it("refuses a query parameter given twice (the engine would read only one of them)", () => {
      const parsed = parseRequestPath(`/containers/json?filters=${encodeURIComponent("{}")}&filters=x`);
      expect(parsed).to.deep.equal({ ok: false, reason: 'query parameter "filters" is given twice' });
    });
  });

  describe("routes", () => {
    it("allows ping and version, with or without a version prefix", () => {
      expect(allowed(routeRequest("GET", "/_ping", scope))).to.deep.equal({ kind: "passthrough", target: "/_ping" });
      expect(allowed(routeRequest("HEAD", "/v1.41/_ping", scope))).to.deep.equal({ kind: "passthrough", target: "/v1.41/_ping" });
      expect(allowed(routeRequest("GET", "/v1.41/version", scope))).to.deep.equal({ kind: "passthrough", target: "/v1.41/version" });
    });

    it("refuses creating containers, images, volumes, networks, build and the rest, saying which", () => {
      const cases: [string, string, RegExp][] = [
        ["POST", "/containers/create", /creating containers is not allowed/],
        ["POST", "/v1.41/containers/create?name=x", /creating containers is not allowed/],
        ["POST", "/v1.24/containers/create", /creating containers is not allowed/],
        ["DELETE", "/containers/abc", /allowed only as list, inspect and exec/],
        ["POST", "/containers/abc/start", /allowed only as list, inspect and exec; start is not/],
        ["POST", "/containers/abc/kill", /kill is not/],
        ["POST", "/containers/abc/attach", /attach is not/],
        ["GET", "/containers/abc/archive", /archive is not/],
        ["PUT", "/containers/abc/archive", /archive is not/],
        ["POST", "/containers/abc/update", /update is not/],
        ["POST", "/containers/prune", /allowed only as list, inspect and exec/],
        ["GET", "/images/json", /image calls are not allowed/],
        ["POST", "/images/create?fromImage=busybox", /image calls are not allowed/],
        ["GET", "/images/busybox:latest/json", /image calls are not allowed/],
        ["GET", "/volumes", /volume calls are not allowed/],
        ["POST", "/volumes/create", /volume calls are not allowed/],
        ["POST", "/networks/create", /network calls are not allowed/],
        ["POST", "/networks/x/connect", /network calls are not allowed/],
        ["POST", "/build", /building images is not allowed/],
        ["GET", "/info", /not a call the broker needs/],
        ["GET", "/system/df", /system calls are not allowed/],
        ["POST", "/session", /build sessions are not allowed/],
        ["GET", "/swarm/unlockkey", /swarm calls are not allowed/],
        ["POST", "/plugins/pull", /plugin calls are not allowed/],
        ["POST", "/exec/abc/start/more", /not a call the broker needs/],
        ["DELETE", "/exec/abc", /not a call the broker needs/],
        ["POST", "/_ping", /not a call the broker needs/],
        ["GET", "/Containers/json", /not a call the broker needs/],
        ["GET", "/v1.41/v1.41/containers/json", /not a call the broker needs/],
      ];
      for (const [method, target, reason] of cases) expect(refused(routeRequest(method, target, scope)), `${method} ${target}`).to.match(reason);
    });

    it("refuses path tricks before they can look like an allowed call", () => {
      for (const target of ["/containers%2Fcreate", "/containers/json/../create", "/v1.41/../containers/create", "/containers//exec", "/containers/%2e%2e/create", "/exec/..%2F..%2Fcontainers%2Fcreate/start"]) {
        expect(refused(routeRequest("POST", target, scope)), target).to.match(/path segment .* is not allowed/);
      }
    });

    it("refuses query parameters an allowed call does not take", () => {
      expect(refused(routeRequest("GET", "/containers/json?all=1&extra=1", scope))).to.equal("query parameter(s) extra not allowed here; allowed: all, limit, size, filters");
      expect(refused(routeRequest("GET", "/version?x=1", scope))).to.match(/allowed: none/);
      expect(refused(routeRequest("POST", `/exec/${EXEC_ID}/start?detach=1`, scope))).to.match(/allowed: none/);
    });
  });

  describe("list and events: filters can only narrow", () => {
    const labelsOf = (target: string) => JSON.parse(queryOf(target).get("filters") as string).label as string[];

    it("adds the scope's labels to a list without filters", () => {
      const target = targetOf(allowed(routeRequest("GET", "/v1.41/containers/json?all=1", scope)));
      expect(target.split("?")[0]).to.equal("/v1.41/containers/json");
      expect(queryOf(target).get("all")).to.equal("1");
      expect(labelsOf(target)).to.deep.equal(scopeLabels(scope));
      expect(scopeLabels(scope)).to.deep.equal(["llpm.stack=dev", "llpm.role=agent"]);
    });

    it("keeps the request's own filters beside the scope's, in the list and the map form", () => {
      const listForm = encodeURIComponent(JSON.stringify({ label: ["llpm.stack=prod"], status: ["running"] }));
      const target = targetOf(allowed(routeRequest("GET", `/containers/json?filters=${listForm}`, scope)));
      const filters = JSON.parse(queryOf(target).get("filters") as string);
      expect(filters).to.deep.equal({ label: ["llpm.stack=prod", "llpm.stack=dev", "llpm.role=agent"], status: ["running"] });
      const mapForm = encodeURIComponent(JSON.stringify({ label: { "llpm.role=litellm": true } }));
      expect(labelsOf(targetOf(allowed(routeRequest("GET", `/containers/json?filters=${mapForm}`, scope))))).to.deep.equal(["llpm.role=litellm", "llpm.stack=dev", "llpm.role=agent"]);
    });

    it("refuses filters it cannot read", () => {
      expect(refused(routeRequest("GET", "/containers/json?filters=notjson", scope))).to.equal("filters is not JSON");
      expect(refused(routeRequest("GET", `/containers/json?filters=${encodeURIComponent("[1]")}`, scope))).to.equal("filters must be a JSON object");
      expect(refused(routeRequest("GET", `/containers/json?filters=${encodeURIComponent('{"label":"llpm.stack=x"}')}`, scope))).to.equal("filters.label must be a list of strings");
      expect(scopedFilters(JSON.stringify({ label: { a: false } }), scope)).to.deep.equal({ ok: false, reason: "filters.label must be a list of strings" });
    });

    it("forces events to containers of the scope, refusing other event types", () => {
      const target = targetOf(allowed(routeRequest("GET", "/events?since=0", scope)));
      expect(JSON.parse(queryOf(target).get("filters") as string)).to.deep.equal({ type: ["container"], label: scopeLabels(scope) });
      expect(queryOf(target).get("since")).to.equal("0");
      for (const type of ["image", "network", "volume", "daemon"]) {
        const filters = encodeURIComponent(JSON.stringify({ type: ["container", type] }));
        expect(refused(routeRequest("GET", `/events?filters=${filters}`, scope))).to.equal(`events of type container, ${type} are not allowed; allowed: container`);
      }
    });

    it("drops from a list and from the events any container outside the scope", () => {
      const list = [{ Id: "1", Labels: agent }, { Id: "2", Labels: { ...agent, [LABEL.stack]: "prod" } }, { Id: "3", Labels: { ...agent, [LABEL.role]: "litellm" } }, { Id: "4", Labels: {} }, { Id: "5" }, "x"];
      expect(scopeContainerList(list, scope)).to.deep.equal([{ Id: "1", Labels: agent }]);
      expect(scopeContainerList({ not: "a list" }, scope)).to.deep.equal([]);
      expect(eventInScope({ Type: "container", Actor: { ID: "1", Attributes: agent } }, scope)).to.equal(true);
      expect(eventInScope({ Type: "container", Actor: { ID: "2", Attributes: { ...agent, [LABEL.stack]: "prod" } } }, scope)).to.equal(false);
      expect(eventInScope({ Type: "image", Actor: { ID: "3", Attributes: agent } }, scope)).to.equal(false);
      expect(eventInScope({ Type: "container" }, scope)).to.equal(false);
    });
  });

  describe("containers and execs", () => {
    it("takes a container as the scope's only with both labels", () => {
      expect(isScopeWorkload(agent, scope)).to.equal(true);
      expect(isScopeWorkload({ [LABEL.stack]: "dev", [LABEL.role]: "litellm" }, scope)).to.equal(false);
      expect(isScopeWorkload({ [LABEL.stack]: "dev" }, scope)).to.equal(false);
      expect(isScopeWorkload({ [LABEL.stack]: "dev2", [LABEL.role]: AGENT_ROLE }, scope)).to.equal(false);
      expect(isScopeWorkload(null, scope)).to.equal(false);
      expect(inspectedLabels({ Config: { Labels: agent } })).to.deep.equal(agent);
      expect(inspectedLabels({ Config: { Labels: null } })).to.equal(null);
      expect(inspectedLabels("x")).to.equal(null);
    });

    it("inspects before an exec, and aims the exec at the id the inspect returned", () => {
      const route = allowed(routeRequest("POST", "/v1.41/containers/llpm-dev-aider-1/exec", scope));
      if (route.kind !== "createExec") throw new Error(route.kind);
      expect(route.inspectTarget).to.equal("/v1.41/containers/llpm-dev-aider-1/json");
      expect(route.execTarget("f".repeat(64))).to.equal(`/v1.41/containers/${"f".repeat(64)}/exec`);
      expect(allowed(routeRequest("GET", "/containers/abc/json?size=1", scope))).to.deep.equal({ kind: "inspectContainer", target: "/containers/abc/json?size=1" });
    });

    it("names the exec id of start, inspect and resize so the proxy can check it", () => {
      expect(allowed(routeRequest("POST", `/exec/${EXEC_ID}/start`, scope))).to.deep.equal({ kind: "startExec", execId: EXEC_ID, target: `/exec/${EXEC_ID}/start` });
      expect(allowed(routeRequest("GET", `/v1.41/exec/${EXEC_ID}/json`, scope))).to.deep.equal({ kind: "execById", execId: EXEC_ID, target: `/v1.41/exec/${EXEC_ID}/json` });
      expect(allowed(routeRequest("POST", `/exec/${EXEC_ID}/resize?h=24&w=80`, scope))).to.deep.equal({ kind: "execById", execId: EXEC_ID, target: `/exec/${EXEC_ID}/resize?h=24&w=80` });
    });

    it("knows only the exec ids created through it, and forgets the oldest beyond its capacity", () => {
      const execs = new ExecRegistry(2);
      execs.add("e1", "c");
      execs.add("e2", "c");
      expect(execs.has("e1")).to.equal(true);
      expect(execs.has("made-elsewhere")).to.equal(false);
      execs.add("e3", "c");
      expect([execs.has("e1"), execs.has("e2"), execs.has("e3"), execs.size]).to.deep.equal([false, true, true, 2]);
    });

    it("accepts an exec as the broker makes one and refuses privilege, another user, env and new fields", () => {
      const broker = { Cmd: ["llpm-run-job", "--job-id", "j"], WorkingDir: "/workspace", AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: false };
      expect(checkExecCreate(broker)).to.deep.equal({ ok: true, body: broker });
      expect(checkExecCreate({ ...broker, Privileged: false, User: "" })).to.deep.equal({ ok: true, body: broker });
      const refusals: [unknown, string][] = [
        [{ ...broker, Privileged: true }, "privileged exec is not allowed"],
        [{ ...broker, Privileged: "true" }, "privileged exec is not allowed"],
        [{ ...broker, User: "root" }, "exec as another user is not allowed; the exec runs as the container's own user"],
        [{ ...broker, User: "0" }, "exec as another user is not allowed; the exec runs as the container's own user"],
        [{ ...broker, Env: ["LD_PRELOAD=/tmp/x.so"] }, "exec field Env is not allowed; allowed: Cmd, WorkingDir, AttachStdin, AttachStdout, AttachStderr, Tty"],
        [{ ...broker, DetachKeys: "ctrl-p" }, "exec field DetachKeys is not allowed; allowed: Cmd, WorkingDir, AttachStdin, AttachStdout, AttachStderr, Tty"],
        [{ ...broker, Cmd: "id" }, "Cmd must be a non-empty list of strings"],
        [{ ...broker, Cmd: [] }, "Cmd must be a non-empty list of strings"],
        [{ WorkingDir: "/" }, "Cmd is required"],
        [{ ...broker, Tty: "no" }, "Tty must be a boolean"],
        [["id"], "the exec body must be a JSON object"],
        [undefined, "the exec body must be a JSON object"],
      ];
      for (const [body, reason] of refusals) expect(checkExecCreate(body), JSON.stringify(body)).to.deep.equal({ ok: false, reason });
    });

    it("forwards only Detach and Tty of an exec start (dockerode's own hijack and stdin are dropped)", () => {
      expect(checkExecStart({ hijack: true, stdin: true })).to.deep.equal({ ok: true, body: {} });
      expect(checkExecStart({ Detach: false, Tty: false })).to.deep.equal({ ok: true, body: { Detach: false, Tty: false } });
      expect(checkExecStart(undefined)).to.deep.equal({ ok: true, body: {} });
      expect(checkExecStart({ ConsoleSize: [1, 1] })).to.deep.equal({ ok: false, reason: "exec start field ConsoleSize is not allowed; allowed: Detach, Tty (booleans)" });
      expect(checkExecStart("x")).to.deep.equal({ ok: false, reason: "the exec start body must be a JSON object" });
    });
  });

  describe("its configuration", () => {
    it("takes the stack from its own environment, with socket defaults", () => {
      expect(loadDockerFilterConfig({ LLPM_STACK: "dev" })).to.deep.equal({
        stack: "dev",
        listen: { socketPath: FILTER_SOCKET_PATH },
        upstream: { socketPath: ENGINE_SOCKET_PATH },
        logLevel: "info",
      });
      expect(loadDockerFilterConfig({ LLPM_STACK: "dev", DOCKER_FILTER_LISTEN: "tcp://0.0.0.0:2375" }).listen).to.deep.equal({ host: "0.0.0.0", port: 2375 });
    });

    it("refuses to start without a stack or with an endpoint it cannot use, naming the variable", () => {
      expect(() => loadDockerFilterConfig({})).to.throw(DockerFilterConfigError, /LLPM_STACK is required/);
      expect(() => loadDockerFilterConfig({ LLPM_STACK: "a b" })).to.throw(DockerFilterConfigError, /LLPM_STACK must be/);
      expect(() => loadDockerFilterConfig({ LLPM_STACK: "dev", DOCKER_FILTER_UPSTREAM: "ssh://host" })).to.throw(
        DockerFilterConfigError,
        /DOCKER_FILTER_UPSTREAM=ssh:\/\/host: allowed: unix:\/\/\/absolute\/path or tcp:\/\/host:port/,
      );
      expect(parseEndpoint("unix://relative.sock")).to.equal(null);
      expect(parseEndpoint("tcp://h:99999")).to.equal(null);
      expect(parseEndpoint("tcp://[::1]:2375")).to.deep.equal({ host: "::1", port: 2375 });
    });
  });
});
