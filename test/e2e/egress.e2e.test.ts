// The egress allowlist on a real Docker engine: the program's networks, egress proxy (Squid from
// Debian) and one agent, recorded under mocks and materialised by the harness; every probe runs
// inside the agent container with its own environment (HTTP(S)_PROXY, NO_PROXY). The allowed and
// refused hosts are real package registries: this machine reaches nothing else outside, and reaches
// them under their public names (its own egress re-signs TLS with the extra CA the images trust).
// LiteLLM, Postgres and the broker are left out: their routes are the fleet and gateway-keys tests'.
import { connect } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import Docker from "dockerode";
import { EGRESS_PROXY_ALIAS, EGRESS_PROXY_URL } from "../../core/fleetServices";
import { EGRESS_PROXY_PORT } from "../../contract/ports";
import { NO_PROXY_HOSTS } from "../../core/agentEnv";
import { containerName, networkName } from "../../catalogue/naming";
import { defaultEgressAllow, TOOLCHAIN_REGISTRIES, type EgressMode } from "../../config/egressAllowlist";
import { TEST_TOOLCHAINS } from "../images/support/image-builds";
import { PROJECT_ROOT, runProgram, type ProgramRun } from "../support/runProgram";
import { agentContainers, CONTAINER, containersWithRole, envOf, labelsOf } from "../support/recordedFleet";
import { DockerFleet, sweepStack } from "./harness/dockerFleet";
import { LOCAL_STAND_INS } from "./harness/imageSubstitution";
import { execIn } from "./support/containerExec";
import { e2eStackConfig, writeExtraCaFile } from "./support/fleetConfig";
import { freePort } from "./support/freePorts";
import { e2eStackName } from "./support/stackName";
import { buildStubImage, StubModelServer, STUB_PORT } from "./support/stubModelServer";

const AGENT_TYPE = "claude-code";
const AGENT_ID = `${AGENT_TYPE}-1`;
const READY_MS = 5 * 60_000;
// A cold build of the agent image (CLIs from npm and PyPI) takes minutes; warm, seconds.
const COLD_BUILD_MS = 25 * 60_000;
const TOOLCHAINS = TEST_TOOLCHAINS.split(",");
/** On the default list for the test toolchains (node, python). */
const ALLOWED = { npm: TOOLCHAIN_REGISTRIES.node[0], pypi: TOOLCHAIN_REGISTRIES.python[0] };
/** A real registry this machine reaches, on the list only when the rust toolchain is selected. */
const NOT_LISTED = "index.crates.io";
// Small packages with no dependencies, pinned.
const NPM_PACKAGE = "is-number@7.0.0";
const PIP_PACKAGE = "six==1.16.0";

/** What a probe needs of the fleet: networks, images, the workspace folder, the proxy and the agent. */
function egressSubset(run: ProgramRun): ProgramRun["resources"] {
  // The Docker API filter runs from the broker's image: both go.
  const skippedContainers = new Set(["postgres", "litellm", "docker-filter", "broker"]);
  return run.resources.filter((r) => {
    if (r.type === CONTAINER) return !skippedContainers.has(labelsOf(r)["llpm.role"]);
    if (r.type === "docker:index/image:Image") return r.name !== "image-broker";
    return r.type !== "docker:index/remoteImage:RemoteImage";
  });
}

/** curl inside the agent, with the agent's own proxy environment; prints the status codes. */
function curlArgs(url: string, extra: string[] = []): string[] {
  return ["curl", "-sS", "--max-time", "30", "-o", "/dev/null", "-w", "status=%{http_code} connect=%{http_connect}\\n", ...extra, url];
}

function deployment(mode: EgressMode) {
  const docker = new Docker();
  const stack = e2eStackName();
  const runDir = mkdtempSync(path.join(tmpdir(), `llpm-egress-${mode}-`));
  const fleet = new DockerFleet({ docker, programDir: PROJECT_ROOT, substitutions: LOCAL_STAND_INS, imageCache: "llpm-e2e-cache" });
  const state = {
    docker,
    stack,
    run: undefined as unknown as ProgramRun,
    agent: `llpm-${stack}-${AGENT_ID}`,
    proxy: containerName(stack, "egress-proxy"),
    exec: (cmd: string[]) => execIn(docker, `llpm-${stack}-${AGENT_ID}`, cmd),
    proxyLog: async () => (await docker.getContainer(containerName(stack, "egress-proxy")).logs({ stdout: true, stderr: true })).toString("utf8"),
  };
  before(async function () {
    this.timeout(COLD_BUILD_MS + READY_MS);
    const ports = { broker: await freePort(), litellm: await freePort() };
    const base = e2eStackConfig(path.join(runDir, "workspaces"), ports, writeExtraCaFile(runDir));
    state.run = await runProgram({ stack, config: { ...base, agents: { [AGENT_TYPE]: 1 }, egress: { mode } } });
    await fleet.apply(egressSubset(state.run), READY_MS);
  });
  after(async function () {
    this.timeout(180_000);
    await fleet.teardown().finally(() => sweepStack(docker, stack));
    rmSync(runDir, { recursive: true, force: true });
  });
  return state;
}

describe("e2e: egress allowlist (default list), from inside an agent", function () {
  this.timeout(180_000);
  const fleet = deployment("allowlist");
  const outsideNetwork = () => `${networkName(fleet.stack)}-e2e-outside`;
  const outsideServer = () => `${networkName(fleet.stack)}-e2e-outside-server`;

  before(async function () {
    this.timeout(120_000);
    buildStubImage(PROJECT_ROOT);
    // A network of the test's own, which no fleet container joins; sweepStack removes it by label.
    await fleet.docker.createNetwork({ Name: outsideNetwork(), Driver: "bridge", Labels: { "llpm.stack": fleet.stack } });
    await StubModelServer.start(fleet.docker, outsideServer(), outsideNetwork());
  });
  after(async () => {
    await StubModelServer.remove(fleet.docker, outsideServer());
  });

  it("sits on the internal agents network only, with the proxy in its environment and LiteLLM and the broker in NO_PROXY", async () => {
    const [agent] = agentContainers(fleet.run, AGENT_TYPE);
    const env = envOf(agent);
    expect(env.HTTPS_PROXY).to.equal(EGRESS_PROXY_URL);
    expect(env.no_proxy.split(",")).to.deep.equal(NO_PROXY_HOSTS);
    const info = await fleet.docker.getContainer(fleet.agent).inspect();
    const networks = Object.keys(info.NetworkSettings.Networks);
    expect(networks).to.have.length(1);
    const network = await fleet.docker.getNetwork(networks[0]).inspect();
    expect(network.Internal, `${networks[0]} is internal`).to.equal(true);
  });

  it("cannot open a TCP connection to a server on another Docker network, which the host reaches", async () => {
    const info = await fleet.docker.getContainer(outsideServer()).inspect();
    const address = info.NetworkSettings.Networks[outsideNetwork()].IPAddress;
    expect(address).to.match(/^\d+\.\d+\.\d+\.\d+$/);
    // The control: the server listens on that address (the host has a route to every bridge).
    await new Promise<void>((resolve, reject) => {
      const socket = connect({ host: address, port: STUB_PORT, timeout: 5000 }, () => (socket.end(), resolve()));
      socket.on("error", reject).on("timeout", () => reject(new Error(`host: no connection to ${address}:${STUB_PORT}`)));
    });
    const probe = await fleet.exec(["bash", "-c", `timeout 10 bash -c 'exec 3<>/dev/tcp/${address}/${STUB_PORT}' && echo CONNECTED`]);
    expect(probe.output).to.not.contain("CONNECTED");
    expect(probe.code, probe.output).to.not.equal(0);
  });

  it("cannot reach a registry directly, nor resolve outside names (no route, no DNS out of the internal network)", async () => {
    const direct = await fleet.exec(curlArgs(`https://${ALLOWED.pypi}/simple/six/`, ["--noproxy", "*"]));
    expect(direct.code, direct.output).to.not.equal(0);
    const lookup = await fleet.exec(["getent", "hosts", ALLOWED.pypi]);
    expect(lookup.code, lookup.output).to.not.equal(0);
    // The proxy's name does resolve: Docker's DNS answers for members of the network.
    const proxy = await fleet.exec(["getent", "hosts", EGRESS_PROXY_ALIAS]);
    expect(proxy.code, proxy.output).to.equal(0);
  });

  it(`reaches an allowlisted registry (${ALLOWED.pypi}) through the proxy`, async () => {
    expect(defaultEgressAllow(TOOLCHAINS)).to.include(ALLOWED.pypi);
    const result = await fleet.exec(curlArgs(`https://${ALLOWED.pypi}/simple/six/`));
    expect(result.code, result.output).to.equal(0);
    expect(result.output).to.contain("status=200 connect=200");
    expect(await fleet.proxyLog()).to.match(new RegExp(`TCP_TUNNEL/200 CONNECT ${ALLOWED.pypi}:443`));
  });

  it(`is refused (403) a host not on the list (${NOT_LISTED}), over https and http, and the proxy's log shows it`, async () => {
    expect(defaultEgressAllow(TOOLCHAINS)).to.not.include(NOT_LISTED);
    const tunnel = await fleet.exec(curlArgs(`https://${NOT_LISTED}/config.json`));
    expect(tunnel.code, tunnel.output).to.not.equal(0);
    expect(tunnel.output).to.contain("connect=403");
    const plain = await fleet.exec(curlArgs(`http://${NOT_LISTED}/config.json`));
    expect(plain.output).to.contain("status=403");
    const log = await fleet.proxyLog();
    expect(log).to.match(new RegExp(`TCP_DENIED/403 CONNECT ${NOT_LISTED}:443`));
    expect(log).to.match(new RegExp(`TCP_DENIED/403 GET http://${NOT_LISTED}/config.json`));
    // The healthcheck (which passed before the fleet was ready) leaves no line of its own.
    expect(log).to.not.match(/ 127\.0\.0\.1 /);
  });

  it("refuses ports other than 80 and 443, also for an allowlisted host", async () => {
    const result = await fleet.exec(curlArgs(`https://${ALLOWED.pypi}:8443/`));
    expect(result.output).to.contain("connect=403");
    expect(await fleet.proxyLog()).to.match(new RegExp(`TCP_DENIED/403 CONNECT ${ALLOWED.pypi}:8443`));
  });

  it(`npm install ${NPM_PACKAGE} works with the default list, through the proxy`, async function () {
    this.timeout(240_000);
    const result = await fleet.exec([
      "bash",
      "-c",
      `set -e; cd "$(mktemp -d)"; npm install --no-save --no-package-lock ${NPM_PACKAGE} >/dev/null; node -p 'require("is-number")(7)'`,
    ]);
    expect(result.code, result.output).to.equal(0);
    expect(result.output.trim().split("\n").at(-1)).to.equal("true");
    expect(await fleet.proxyLog()).to.match(new RegExp(`TCP_TUNNEL/200 CONNECT ${ALLOWED.npm}:443`));
  });

  it(`pip install ${PIP_PACKAGE} works with the default list, through the proxy`, async function () {
    this.timeout(240_000);
    const result = await fleet.exec([
      "bash",
      "-c",
      `set -e; venv="$(mktemp -d)"; python3 -m venv "$venv"; "$venv/bin/pip" install --no-cache-dir -q ${PIP_PACKAGE}; "$venv/bin/python" -c 'import six; print(six.__version__)'`,
    ]);
    expect(result.code, result.output).to.equal(0);
    expect(result.output.trim().split("\n").at(-1)).to.equal(PIP_PACKAGE.split("==")[1]);
    const log = await fleet.proxyLog();
    for (const host of TOOLCHAIN_REGISTRIES.python) expect(log).to.match(new RegExp(`TCP_TUNNEL/200 CONNECT ${host}:443`));
  });
});

describe("e2e: egress.mode open, from inside an agent", function () {
  this.timeout(180_000);
  const fleet = deployment("open");

  it(`lets a host not on any list (${NOT_LISTED}) through the proxy`, async () => {
    const result = await fleet.exec(curlArgs(`https://${NOT_LISTED}/config.json`));
    expect(result.code, result.output).to.equal(0);
    expect(result.output).to.contain("status=200 connect=200");
    expect(await fleet.proxyLog()).to.match(new RegExp(`TCP_TUNNEL/200 CONNECT ${NOT_LISTED}:443`));
  });

  it("still refuses private addresses (the host's Docker bridges, the LAN, metadata services)", async () => {
    const info = await fleet.docker.getContainer(fleet.proxy).inspect();
    const gateway = info.NetworkSettings.Networks[networkName(fleet.stack)].Gateway;
    const result = await fleet.exec(curlArgs(`http://${gateway}/`));
    expect(result.output).to.contain("status=403");
    const metadata = await fleet.exec(curlArgs("http://169.254.169.254/latest/meta-data/"));
    expect(metadata.output).to.contain("status=403");
    expect(await fleet.proxyLog()).to.match(/TCP_DENIED\/403 GET http:\/\/169\.254\.169\.254\//);
  });
});

describe("e2e: egress.mode none, from inside an agent", function () {
  this.timeout(180_000);
  const fleet = deployment("none");

  it("has no proxy to go through: no proxy container, no proxy environment, no way out", async () => {
    expect(containersWithRole(fleet.run, "egress-proxy")).to.deep.equal([]);
    const env = await fleet.exec(["env"]);
    expect(env.output).to.not.match(/^https?_proxy=/im);
    const direct = await fleet.exec(curlArgs(`https://${ALLOWED.pypi}/simple/six/`));
    expect(direct.code, direct.output).to.not.equal(0);
    const viaProxyName = await fleet.exec(curlArgs(`https://${ALLOWED.pypi}/simple/six/`, ["--proxy", `http://${EGRESS_PROXY_ALIAS}:${EGRESS_PROXY_PORT}`]));
    expect(viaProxyName.code, viaProxyName.output).to.not.equal(0);
    expect(viaProxyName.output).to.match(/resolve proxy/i);
  });
});
