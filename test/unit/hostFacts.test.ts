import { expect } from "chai";
import { dockerSocketGroup, dockerSocketPath } from "../../backends/docker/dockerHost";
import { resolveWorkspaceRoot } from "../../config/hostPaths";
import { agentUser } from "../../config/hostUser";
import { fakeHost } from "../support/stackConfig";

describe("workspace root resolution", () => {
  const userConfig = { "/home/tester/.llpm/config.yaml": "workspace_root: ~/from-file\n" };

  it("prefers the stack config", () => {
    const host = fakeHost({ env: { LLPM_WORKSPACE_ROOT: "/from-env" }, files: userConfig });
    expect(resolveWorkspaceRoot("/from-stack/", host)).to.deep.equal({ root: "/from-stack", source: "workspaceRoot" });
  });

  it("then LLPM_WORKSPACE_ROOT", () => {
    const host = fakeHost({ env: { LLPM_WORKSPACE_ROOT: "/from-env" }, files: userConfig });
    expect(resolveWorkspaceRoot(undefined, host)).to.include({ root: "/from-env" });
  });

  it("then workspace_root in ~/.llpm/config.yaml, with ~ expanded", () => {
    expect(resolveWorkspaceRoot(undefined, fakeHost({ files: userConfig }))).to.include({ root: "/home/tester/from-file" });
  });

  it("then ~/.llpm/workspaces", () => {
    expect(resolveWorkspaceRoot(undefined, fakeHost({ env: { LLPM_WORKSPACE_ROOT: "" } }))).to.deep.equal({
      root: "/home/tester/.llpm/workspaces",
      source: "default",
    });
  });

  it("names the environment variable when that is where a relative path came from", () => {
    const result = resolveWorkspaceRoot(undefined, fakeHost({ env: { LLPM_WORKSPACE_ROOT: "relative" } }));
    expect(result).to.deep.equal({
      problem: {
        key: "LLPM_WORKSPACE_ROOT (environment)",
        value: "relative",
        allowed: "an absolute folder path, or one starting with ~/",
        outsideStack: true,
      },
    });
  });
});

describe("agent user", () => {
  it("is the deploying user", () => {
    expect(
      agentUser(
        () => 1234,
        () => 2345,
      ),
    ).to.deep.equal({ uid: 1234, gid: 2345 });
  });
  it("is never root: root deploys get 1000:1000", () => {
    expect(
      agentUser(
        () => 0,
        () => 0,
      ),
    ).to.deep.equal({ uid: 1000, gid: 1000 });
    expect(
      agentUser(
        () => 1001,
        () => 0,
      ),
    ).to.deep.equal({ uid: 1001, gid: 1000 });
    expect(agentUser(undefined, undefined)).to.deep.equal({ uid: 1000, gid: 1000 });
  });
});

describe("Docker socket", () => {
  it("is /var/run/docker.sock unless DOCKER_HOST names another unix socket", () => {
    expect(dockerSocketPath({})).to.equal("/var/run/docker.sock");
    expect(dockerSocketPath({ DOCKER_HOST: "unix:///run/user/1000/docker.sock" })).to.equal("/run/user/1000/docker.sock");
  });
  it("refuses a TCP DOCKER_HOST with a message saying what is allowed", () => {
    expect(() => dockerSocketPath({ DOCKER_HOST: "tcp://10.0.0.1:2375" })).to.throw(
      /DOCKER_HOST=tcp:\/\/10\.0\.0\.1:2375.*allowed: unset, or unix:/,
    );
  });
  it("gives the socket's group id from stat", () => {
    expect(dockerSocketGroup("/s", (p) => (p === "/s" ? { gid: 998 } : { gid: -1 }))).to.equal(998);
  });
  it("says the daemon may not be running when the socket is missing", () => {
    const stat = () => {
      throw new Error("ENOENT: no such file or directory");
    };
    expect(() => dockerSocketGroup("/nope.sock", stat)).to.throw(/\/nope\.sock.*ENOENT.*Docker daemon running/);
  });
});
