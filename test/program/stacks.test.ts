/**
 * The real index.ts per stack file, under Pulumi mocks (no engine exists on test machines): what
 * it declares, checked against docs/agent-interface.md's contracts. Every `Pulumi.<stack>.yaml` of the project is
 * run; the counts each test expects are the program's own reading of that stack file.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import { parse as parseYaml } from "yaml";
import { AGENT_TYPES, type AgentType } from "../../catalogue/agentTypes";
import { GATEWAY_KEY_PREFIX, gatewayKey, usageReaderKey } from "../../core/gatewayKey";
import { SQUID_CONFIG_ENV } from "../../core/egressProxyImage";
import { MODEL_PROVIDER_DOMAINS, reachesDomain } from "../../config/egressAllowlist";
import { GATEWAY_AUTH_SOURCE, GATEWAY_POLICY_PATH, GATEWAY_AUTH_MODULE_PATH } from "../../core/fleetServices";
import { DEFAULT_GATEWAY_LIMITS } from "../../config/defaults";
import { ENGINE_SOCKET_PATH, FILTER_COMMAND, FILTER_HEALTHCHECK, FILTER_SOCKET_DIR, FILTER_SOCKET_PATH } from "../../contract/dockerFilter";
import { makeProgramHost, type ProgramHost } from "../support/programEnv";
import {
  agentContainers,
  CONTAINER,
  coreContainer,
  envOf,
  IMAGE,
  labelsOf,
  ofType,
  resourceNamed,
  WORKSPACE_FOLDER,
} from "../support/recordedFleet";
import { engineConfig, mockRandomValue, PROJECT_ROOT, runProgram, type ProgramRun, type RecordedResource } from "../support/runProgram";
import { canonicalCpus } from "../../backends/docker/providerReadBack";
import { AGENT_HEALTHCHECK } from "../../backends/docker/containerSettings";
import { fakeHost } from "../support/stackConfig";
import { validateFleetConfig } from "../../config/fleetConfig";
import { plainStackConfig } from "../../config/readStackConfig";

const STACKS = fs
  .readdirSync(PROJECT_ROOT)
  .map((f) => f.match(/^Pulumi\.(.+)\.yaml$/)?.[1])
  .filter((s): s is string => s !== undefined)
  .sort();

function stackCounts(stack: string): Record<AgentType, number> {
  return validateFleetConfig(plainStackConfig(engineConfig(stack)), stack, fakeHost()).agents;
}

describe("stack files", () => {
  it("ship dev, team, heavy and minimal, and each declares at least one agent", () => {
    expect(STACKS).to.include.members(["dev", "team", "heavy", "minimal"]);
    for (const stack of STACKS) {
      expect(Object.values(stackCounts(stack)).reduce((a, b) => a + b, 0), stack).to.be.greaterThan(0);
    }
  });

  it("minimal is one aider and nothing else", () => {
    expect(stackCounts("minimal")).to.deep.equal({ "claude-code": 0, "openai-codex": 0, aider: 1, opencode: 0 });
  });
});

const EXPECTED_UID = process.getuid!() === 0 ? 1000 : process.getuid!();

function instanceIds(counts: Record<AgentType, number>): string[] {
  return AGENT_TYPES.flatMap((t) => Array.from({ length: counts[t] }, (_, i) => `${t}-${i + 1}`));
}

function portsOf(container: RecordedResource) {
  return (container.inputs.ports ?? []) as { ip: string; external: number; internal: number; protocol: string }[];
}

for (const stack of STACKS) {
  const counts = stackCounts(stack);
  const typesInUse = AGENT_TYPES.filter((t) => counts[t] > 0);
  describe(`program under mocks: stack ${stack}`, () => {
    let host: ProgramHost;
    let run: ProgramRun;
    const total = Object.values(counts).reduce((a, b) => a + b, 0);

    before(async () => {
      host = makeProgramHost();
      run = await runProgram({ stack, env: host.env });
    });
    after(() => host.remove());

    it("declares one container per instance of each type, plus broker, its Docker API filter, LiteLLM, Postgres and the egress proxy", () => {
      for (const type of AGENT_TYPES) expect(agentContainers(run, type), type).to.have.length(counts[type]);
      expect(ofType(run, CONTAINER)).to.have.length(total + 5);
    });

    it("names containers llpm-<stack>-<id> and the core services llpm-<stack>-<service>", () => {
      const names = ofType(run, CONTAINER)
        .map((c) => c.inputs.name)
        .sort();
      const expected = [...instanceIds(counts), "broker", "docker-filter", "litellm", "postgres", "egress-proxy"].map((m) => `llpm-${stack}-${m}`).sort();
      expect(names).to.deep.equal(expected);
    });

    it("labels every agent with stack, role, id, type, index and auth mode", () => {
      for (const id of instanceIds(counts)) {
        const container = resourceNamed(run, CONTAINER, `agent-${id}`);
        const [, type, index] = id.match(/^(.+)-(\d+)$/)!;
        expect(labelsOf(container)).to.deep.equal({
          "llpm.stack": stack,
          "llpm.role": "agent",
          "llpm.agent.id": id,
          "llpm.agent.type": type,
          "llpm.agent.index": index,
          "llpm.auth.mode": "api_key",
        });
      }
    });

    it("labels the core services with stack and role", () => {
      for (const role of ["broker", "docker-filter", "litellm", "postgres"] as const) {
        expect(labelsOf(coreContainer(run, role))).to.deep.equal({ "llpm.stack": stack, "llpm.role": role });
      }
    });

    it("creates each workspace folder, owned by the agent user, and mounts it at /workspace", () => {
      const folders = ofType(run, WORKSPACE_FOLDER);
      expect(folders.map((f) => f.inputs.path).sort()).to.deep.equal(
        instanceIds(counts)
          .map((id) => `${host.workspaceRoot}/${id}`)
          .sort(),
      );
      for (const folder of folders) expect(folder.inputs).to.include({ uid: EXPECTED_UID });
      for (const container of agentContainers(run)) {
        const id = labelsOf(container)["llpm.agent.id"];
        expect(container.inputs.mounts).to.deep.equal([
          { type: "bind", source: `${host.workspaceRoot}/${id}`, target: "/workspace" },
        ]);
      }
    });

    it("publishes only broker and LiteLLM ports, on 127.0.0.1; no agent publishes any", () => {
      expect(portsOf(coreContainer(run, "broker"))).to.deep.equal([
        { ip: "127.0.0.1", external: 3010, internal: 3010, protocol: "tcp" },
      ]);
      expect(portsOf(coreContainer(run, "litellm"))).to.deep.equal([
        { ip: "127.0.0.1", external: 4000, internal: 4000, protocol: "tcp" },
      ]);
      expect(portsOf(coreContainer(run, "postgres"))).to.deep.equal([]);
      for (const type of ["claude-code", "openai-codex", "aider", "opencode"]) {
        for (const c of agentContainers(run, type)) expect(portsOf(c), c.name).to.deep.equal([]);
      }
    });

    it("hardens every agent: non-root, no capabilities, no-new-privileges, limits, init, restart, healthcheck", () => {
      for (const c of agentContainers(run)) {
        const i = c.inputs;
        expect(i.user, c.name).to.equal(`${EXPECTED_UID}:${process.getgid!() === 0 ? 1000 : process.getgid!()}`);
        expect(i.user).to.not.match(/^0:/);
        expect(i.capabilities).to.deep.equal({ drops: ["ALL"] });
        expect(i.securityOpts).to.deep.equal(["no-new-privileges:true"]);
        expect(i).to.include({ memory: 4096, memorySwap: 4096, cpus: "2.0", init: true, restart: "unless-stopped" });
        expect(i.ulimits).to.deep.equal([{ name: "nproc", soft: 8192, hard: 8192 }]);
        expect(i.healthcheck).to.deep.equal({ tests: ["CMD", "llpm-healthcheck"], ...AGENT_HEALTHCHECK });
        expect(i).to.not.have.property("privileged");
      }
    });

    it("locks down the core services too", () => {
      for (const role of ["broker", "docker-filter", "litellm", "postgres"] as const) {
        const i = coreContainer(run, role).inputs;
        expect(i.capabilities.drops, role).to.deep.equal(["ALL"]);
        expect(i.securityOpts, role).to.deep.equal(["no-new-privileges:true"]);
        expect(i.restart, role).to.equal("unless-stopped");
        expect(i.memory, role).to.be.a("number").and.be.greaterThan(0);
        expect(i.memorySwap, `${role}: no swap, said explicitly`).to.equal(i.memory);
        expect(i.healthcheck.tests, role).to.have.length.greaterThan(1);
      }
      expect(coreContainer(run, "broker").inputs.user).to.equal("1000:1000");
    });

    it("gives every container its inputs in the form the docker provider reads back", () => {
      for (const c of ofType(run, CONTAINER)) {
        const i = c.inputs;
        expect(i.memorySwap, `${c.name} memorySwap`).to.equal(i.memory);
        if (i.cpus !== undefined) {
          expect(i.cpus, `${c.name} cpus`).to.match(/^\d+\.\d+$/);
          expect(i.cpus, `${c.name} cpus`).to.equal(canonicalCpus(Number(i.cpus)));
        }
        for (const cap of i.capabilities.adds ?? []) expect(cap, `${c.name} capability`).to.match(/^CAP_[A-Z_]+$/);
        for (const duration of ["interval", "timeout", "startPeriod"]) {
          expect(i.healthcheck[duration], `${c.name} healthcheck.${duration}`).to.match(/^([1-9]|[1-5]\d)s$|^[1-9]\d*m[1-5]?\ds$/); // Go's Duration.String: "30s", "1m30s"
        }
      }
    });

    it("gives each agent the env of its type in api_key mode", () => {
      for (const c of agentContainers(run)) {
        const env = envOf(c);
        const type = labelsOf(c)["llpm.agent.type"];
        expect(env).to.include({
          LLPM_STACK: stack,
          LLPM_AUTH_MODE: "api_key",
          LLPM_AGENT_TYPE: type,
          LLPM_GATEWAY_URL: "http://litellm:4000",
        });
        const keyVar = {
          "claude-code": "ANTHROPIC_AUTH_TOKEN",
          "openai-codex": "OPENAI_API_KEY",
          aider: "OPENAI_API_KEY",
          opencode: "LLPM_GATEWAY_KEY",
        }[type]!;
        expect(env[keyVar], c.name).to.equal(gatewayKey(mockRandomValue("gateway-key-secret"), env.LLPM_AGENT_ID));
      }
    });

    it("gives every agent its own gateway key, and LiteLLM's master key to none of them", () => {
      const keys = agentContainers(run).map((c) => {
        const env = envOf(c);
        expect(Object.values(env).join("\n"), c.name).to.not.contain(run.outputs.litellmMasterKey);
        expect(Object.values(env).join("\n"), c.name).to.not.contain(mockRandomValue("gateway-key-secret"));
        return Object.values(env).filter((v) => v.startsWith(GATEWAY_KEY_PREFIX));
      });
      for (const found of keys) expect(found).to.have.length(1);
      expect(new Set(keys.flat()).size).to.equal(agentContainers(run).length);
    });

    it("builds the base image and one image per type, shared by every instance of that type", () => {
      const images = ofType(run, IMAGE);
      expect(images.map((i) => i.name).sort()).to.deep.equal(
        ["image-base", "image-broker", "image-egress-proxy", ...typesInUse.map((t) => `image-${t}`)].sort(),
      );
      const base = resourceNamed(run, IMAGE, "image-base").inputs;
      expect(base.skipPush).to.equal(true);
      expect(base.imageName).to.match(new RegExp(`^llpm-${stack}/base:[0-9a-f]{16}$`));
      expect(base.build.args).to.include({
        BASE_IMAGE: "ubuntu:22.04",
        AGENT_UID: String(EXPECTED_UID),
        EXTRA_CA_CERTIFICATES: "",
      });
      expect(base.build.args.TOOLCHAINS).to.equal("node,typescript,python,go,rust,java,dotnet,ruby,php,cpp");
      for (const type of typesInUse) {
        const image = resourceNamed(run, IMAGE, `image-${type}`).inputs;
        expect(image.build.context).to.match(new RegExp(`/images/${type}$`));
        expect(image.build.args).to.deep.equal({ LLPM_BASE_IMAGE: base.imageName, EXTRA_CA_CERTIFICATES: "" });
        for (const c of agentContainers(run, type)) expect(c.inputs.image).to.equal(image.imageName);
      }
      const broker = resourceNamed(run, IMAGE, "image-broker").inputs;
      expect(broker.build.args).to.deep.equal({ NODE_IMAGE: "node:20.20.2-bookworm-slim", EXTRA_CA_CERTIFICATES: "" });
      expect(coreContainer(run, "broker").inputs.image).to.equal(broker.imageName);
    });

    it("puts agents on the internal agents network only, Postgres on the internal backend network only", () => {
      const networks = Object.fromEntries(ofType(run, "docker:index/network:Network").map((n) => [n.inputs.name, n.inputs.internal]));
      expect(networks).to.deep.equal({ [`llpm-${stack}`]: false, [`llpm-${stack}-agents`]: true, [`llpm-${stack}-backend`]: true });
      const joined = (c: RecordedResource) => c.inputs.networksAdvanced as { name: string; aliases?: string[] }[];
      for (const c of agentContainers(run)) {
        expect(joined(c), c.name).to.deep.equal([{ name: `llpm-${stack}-agents` }]);
        for (const { name } of joined(c)) expect(networks[name], `${c.name} on ${name}`).to.equal(true);
      }
      expect(joined(coreContainer(run, "postgres"))).to.deep.equal([{ name: `llpm-${stack}-backend`, aliases: ["postgres"] }]);
      // Only LiteLLM shares a network with Postgres; agents reach LiteLLM and the broker by alias.
      expect(joined(coreContainer(run, "litellm"))).to.deep.equal([
        { name: `llpm-${stack}` },
        { name: `llpm-${stack}-agents`, aliases: ["litellm"] },
        { name: `llpm-${stack}-backend` },
      ]);
      // The broker publishes its port, which needs a network with a route out.
      expect(joined(coreContainer(run, "broker"))).to.deep.equal([{ name: `llpm-${stack}` }, { name: `llpm-${stack}-agents`, aliases: ["broker"] }]);
      expect(joined(coreContainer(run, "egress-proxy"))).to.deep.equal([
        { name: `llpm-${stack}` },
        { name: `llpm-${stack}-agents`, aliases: ["egress-proxy"] },
      ]);
    });

    it("runs the egress proxy hardened, with the default allowlist, and points every agent at it", () => {
      const proxy = coreContainer(run, "egress-proxy");
      expect(proxy.inputs).to.deep.include({
        name: `llpm-${stack}-egress-proxy`,
        user: "proxy",
        readOnly: true,
        capabilities: { drops: ["ALL"] },
        securityOpts: ["no-new-privileges:true"],
        memory: 256,
        memorySwap: 256,
        cpus: "1.0",
        mounts: [{ type: "tmpfs", target: "/tmp", tmpfsOptions: { sizeBytes: 16 * 1024 * 1024 } }],
      });
      expect(proxy.inputs.ports ?? []).to.deep.equal([]);
      const image = resourceNamed(run, IMAGE, "image-egress-proxy").inputs;
      expect(image.build.context).to.match(/\/images\/egress-proxy$/);
      expect(image.build.args).to.deep.equal({ BASE_IMAGE: "node:20.20.2-bookworm-slim" });
      expect(proxy.inputs.image).to.equal(image.imageName);
      const squid = envOf(proxy)[SQUID_CONFIG_ENV];
      const allowed = squid.match(/^acl llpm_allowed dstdomain -n (.+)$/m)?.[1].split(" ");
      const config = validateFleetConfig(plainStackConfig(engineConfig(stack)), stack, fakeHost());
      expect(allowed).to.deep.equal(config.egress.allow);
      expect(allowed).to.include.members(["registry.npmjs.org", "pypi.org", "files.pythonhosted.org", "github.com", "deb.debian.org"]);
      for (const provider of MODEL_PROVIDER_DOMAINS) expect(allowed!.some((h) => reachesDomain(h, provider)), provider).to.equal(false);
      expect(squid).to.match(/^http_access allow llpm_allowed\nhttp_access deny all$/m);
      for (const c of agentContainers(run)) {
        expect(envOf(c), c.name).to.include({
          HTTP_PROXY: "http://egress-proxy:3128",
          HTTPS_PROXY: "http://egress-proxy:3128",
          http_proxy: "http://egress-proxy:3128",
          https_proxy: "http://egress-proxy:3128",
          NO_PROXY: "litellm,broker,localhost,127.0.0.1",
          no_proxy: "litellm,broker,localhost,127.0.0.1",
        });
      }
    });

    it("gives the broker no Docker socket: only its Docker API filter's, read-only, and a data volume", () => {
      const broker = coreContainer(run, "broker").inputs;
      expect(broker).to.not.have.property("groupAdds");
      expect(broker.mounts).to.deep.equal([
        { type: "volume", source: `llpm-${stack}-broker-data`, target: "/data" },
        { type: "volume", source: `llpm-${stack}-docker-api`, target: FILTER_SOCKET_DIR, readOnly: true },
      ]);
      expect(envOf(coreContainer(run, "broker"))).to.include({
        LLPM_STACK: stack,
        BROKER_PORT: "3010",
        BROKER_DB: "/data/broker.db",
        BROKER_HOST: "0.0.0.0",
        BROKER_JOB_TIMEOUT_SECONDS: "1800",
        DOCKER_HOST: `unix://${FILTER_SOCKET_PATH}`,
      });
      expect(broker.healthcheck.tests.slice(0, 3)).to.deep.equal(["CMD", "node", "-e"]);
      expect(broker.healthcheck.tests[3]).to.contain("http://127.0.0.1:3010/health");
    });

    it("gives the broker LiteLLM's address and the usage reader's key, never the master key or the key secret", () => {
      const env = envOf(coreContainer(run, "broker"));
      expect(env).to.include({
        BROKER_LITELLM_URL: "http://litellm:4000",
        BROKER_LITELLM_USAGE_KEY: usageReaderKey(mockRandomValue("gateway-key-secret")),
      });
      expect(Object.values(env).join("\n")).to.not.contain(run.outputs.litellmMasterKey);
      expect(Object.values(env).join("\n")).to.not.contain(mockRandomValue("gateway-key-secret"));
    });

    it("runs the Docker API filter alone with the engine's socket: the broker image, no network, read-only, non-root", () => {
      const filter = coreContainer(run, "docker-filter").inputs;
      const withSocket = ofType(run, CONTAINER).filter((c) => (c.inputs.mounts ?? []).some((m: { source: string }) => m.source === host.socketPath));
      expect(withSocket.map((c) => c.inputs.name)).to.deep.equal([`llpm-${stack}-docker-filter`]);
      expect(filter.image).to.equal(coreContainer(run, "broker").inputs.image);
      expect(filter.command).to.deep.equal(FILTER_COMMAND);
      expect(filter.user).to.equal("1000:1000");
      expect(filter.groupAdds).to.deep.equal([String(host.socketGid)]);
      expect(filter.networkMode).to.equal("none");
      expect(filter).to.not.have.property("networksAdvanced");
      expect(filter).to.not.have.property("ports");
      expect(filter.readOnly).to.equal(true);
      expect(filter.mounts).to.deep.equal([
        { type: "bind", source: host.socketPath, target: ENGINE_SOCKET_PATH, readOnly: true },
        { type: "volume", source: `llpm-${stack}-docker-api`, target: FILTER_SOCKET_DIR },
      ]);
      // The stack it enforces is the program's, so the broker cannot choose a wider one.
      expect(envOf(coreContainer(run, "docker-filter"))).to.deep.equal({
        LLPM_STACK: stack,
        DOCKER_FILTER_LISTEN: `unix://${FILTER_SOCKET_PATH}`,
        DOCKER_FILTER_UPSTREAM: `unix://${ENGINE_SOCKET_PATH}`,
      });
      expect(filter.healthcheck.tests).to.deep.equal(["CMD", ...FILTER_HEALTHCHECK]);
    });

    it("runs Postgres with a data volume, pg_isready and no published port", () => {
      const pg = coreContainer(run, "postgres").inputs;
      expect(pg.image).to.equal("postgres:16.10-bookworm");
      expect(pg.mounts).to.deep.equal([
        { type: "volume", source: `llpm-${stack}-postgres-data`, target: "/var/lib/postgresql/data" },
      ]);
      expect(pg.healthcheck.tests.slice(0, 2)).to.deep.equal(["CMD", "pg_isready"]);
      expect(envOf(coreContainer(run, "postgres"))).to.include({ POSTGRES_USER: "litellm", POSTGRES_DB: "litellm" });
    });

    it("runs LiteLLM pinned, with its generated config file uploaded and the DB-backed settings in env", () => {
      const litellm = coreContainer(run, "litellm");
      expect(litellm.inputs.image).to.equal("ghcr.io/berriai/litellm:main-v1.108.14");
      expect(litellm.inputs.command).to.deep.equal(["--config", "/app/config.yaml", "--port", "4000"]);
      expect(litellm.inputs.uploads.map((u: { file: string }) => u.file)).to.deep.equal([
        "/app/config.yaml",
        GATEWAY_AUTH_MODULE_PATH,
        GATEWAY_POLICY_PATH,
      ]);
      const file = parseYaml(litellm.inputs.uploads[0].content);
      expect(file.model_list.map((m: { model_name: string }) => m.model_name)).to.deep.equal([
        "claude-sonnet-4-5",
        "gpt-5.5",
        "gpt-5",
      ]);
      expect(file.general_settings.master_key).to.equal("os.environ/LITELLM_MASTER_KEY");
      expect(file.general_settings.custom_auth).to.equal("llpm_gateway_auth.user_api_key_auth");
      expect(litellm.inputs.uploads[1].content).to.equal(
        fs.readFileSync(GATEWAY_AUTH_SOURCE, "utf8"),
      );
      const policy = JSON.parse(litellm.inputs.uploads[2].content);
      for (const type of AGENT_TYPES) expect(policy.limits[type]).to.deep.equal({ ...DEFAULT_GATEWAY_LIMITS, budgetUsd: null });
      expect(file.litellm_settings).to.deep.include({ cache: true, cache_params: { type: "local" } });
      const env = envOf(litellm);
      expect(env).to.include({
        STORE_MODEL_IN_DB: "True",
        LITELLM_LOCAL_MODEL_COST_MAP: "True",
        LITELLM_MASTER_KEY: run.outputs.litellmMasterKey,
        LLPM_GATEWAY_KEY_SECRET: mockRandomValue("gateway-key-secret"),
        LLPM_GATEWAY_POLICY_FILE: GATEWAY_POLICY_PATH,
      });
      expect(env.DATABASE_URL).to.match(/^postgresql:\/\/litellm:[^@]+@postgres:5432\/litellm$/);
      expect(env.LITELLM_SALT_KEY).to.match(/^sk-/);
      expect(litellm.inputs.healthcheck.tests.join(" ")).to.contain("/health/liveliness");
    });

    it("exports URLs, the agents and the two secrets", () => {
      expect(run.outputs).to.deep.include({
        brokerUrl: "http://127.0.0.1:3010",
        dashboardUrl: "http://127.0.0.1:3010/ui/agents",
        apiDocsUrl: "http://127.0.0.1:3010/docs",
        litellmUrl: "http://127.0.0.1:4000",
        litellmUiUrl: "http://127.0.0.1:4000/ui",
      });
      expect(run.outputs.agents.map((a: { id: string }) => a.id)).to.deep.equal(instanceIds(counts));
      for (const agent of run.outputs.agents as { id: string; index: number; type: string }[]) {
        expect(agent, agent.id).to.deep.include({
          containerName: `llpm-${stack}-${agent.id}`,
          workspacePath: `${host.workspaceRoot}/${agent.id}`,
        });
        expect(agent, agent.id).to.not.have.property("oauthPort");
      }
      expect(run.outputs.litellmMasterKey).to.match(/^sk-/);
      expect(run.outputs.brokerToken).to.be.a("string").with.length.greaterThan(20);
    });
  });
}
