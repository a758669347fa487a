/** Stack settings beyond the presets, through the real index.ts under Pulumi mocks. */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { ConfigError } from "../../config/problems";
import { makeProgramHost, type ProgramHost } from "../support/programEnv";
import { SQUID_CONFIG_ENV } from "../../core/egressProxyImage";
import { AGENT_CATALOGUE } from "../../catalogue/agentTypes";
import { agentContainers, CONTAINER, containersWithRole, coreContainer, envOf, IMAGE, ofType, resourceNamed } from "../support/recordedFleet";
import { mockRandomValue, runProgram } from "../support/runProgram";
import { GATEWAY_KEY_HEADER, gatewayKey } from "../../core/gatewayKey";

describe("program under mocks: stack settings", () => {
  let host: ProgramHost;
  before(() => {
    host = makeProgramHost();
  });
  after(() => host.remove());

  it("subscription mode: pass-through for Claude Code with its own gateway key in a header, no other key in any agent", async () => {
    const run = await runProgram({
      stack: "dev",
      env: host.env,
      config: { authMode: "subscription", agents: { "claude-code": 1, "openai-codex": 2 }, anthropicApiKey: "sk-ant-provider" },
    });
    const claude = envOf(resourceNamed(run, CONTAINER, "agent-claude-code-1"));
    expect(claude).to.include({ ANTHROPIC_BASE_URL: "http://litellm:4000/anthropic", LLPM_AUTH_MODE: "subscription" });
    // Its OAuth token takes Authorization; LiteLLM knows the agent by this header.
    expect(claude.ANTHROPIC_CUSTOM_HEADERS).to.equal(`${GATEWAY_KEY_HEADER}: Bearer ${gatewayKey(mockRandomValue("gateway-key-secret"), "claude-code-1")}`);
    for (const c of agentContainers(run)) {
      const values = Object.values(envOf(c));
      expect(values, c.name).to.not.include(run.outputs.litellmMasterKey);
      expect(values, c.name).to.not.include("sk-ant-provider");
      expect(
        Object.keys(envOf(c)).filter((k) => /API_KEY|AUTH_TOKEN|GATEWAY_KEY/.test(k)),
        c.name,
      ).to.deep.equal([]);
    }
    expect(
      agentContainers(run).map((c) => c.inputs.labels.find((l: { label: string }) => l.label === "llpm.auth.mode").value),
    ).to.deep.equal(["subscription", "subscription", "subscription"]);
  });

  it("a count of 0 removes the pool, its folders and its image", async () => {
    const run = await runProgram({ stack: "dev", env: host.env, config: { agents: { aider: 2 } } });
    expect(agentContainers(run).map((c) => c.name)).to.deep.equal(["agent-aider-1", "agent-aider-2"]);
    expect(
      ofType(run, IMAGE)
        .map((i) => i.name)
        .sort(),
    ).to.deep.equal(["image-aider", "image-base", "image-broker", "image-egress-proxy"]);
  });

  it("mounts ~/.ssh and ~/.gitconfig read-only only when asked", async () => {
    const run = await runProgram({ stack: "dev", env: host.env, config: { hostMounts: { ssh: true, gitconfig: true } } });
    for (const c of agentContainers(run)) {
      expect(c.inputs.mounts.slice(1)).to.deep.equal([
        { type: "bind", source: path.join(host.home, ".ssh"), target: "/home/agent/.ssh", readOnly: true },
        { type: "bind", source: path.join(host.home, ".gitconfig"), target: "/home/agent/.gitconfig", readOnly: true },
      ]);
    }
  });

  it("moves ports and the bind address as configured", async () => {
    const run = await runProgram({
      stack: "dev",
      env: host.env,
      config: { ports: { broker: 13010, litellm: 14000, bindAddress: "0.0.0.0" } },
    });
    expect(coreContainer(run, "broker").inputs.ports).to.deep.equal([
      { ip: "0.0.0.0", external: 13010, internal: 3010, protocol: "tcp" },
    ]);
    // Inside the fleet the ports never move: agents still reach litellm:4000.
    expect(envOf(resourceNamed(run, CONTAINER, "agent-aider-1")).OPENAI_API_BASE).to.equal("http://litellm:4000/v1");
    expect(run.outputs.brokerUrl).to.equal("http://127.0.0.1:13010");
  });

  it("passes the extra CA bundle to every build and models' upstreams to LiteLLM", async () => {
    const pem = "-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n";
    const caFile = path.join(host.dir, "ca.pem");
    fs.writeFileSync(caFile, pem);
    const run = await runProgram({
      stack: "dev",
      env: host.env,
      config: { extraCaCertificates: caFile, litellm: { upstream: { "gpt-5": { apiBase: "http://stub:8080/v1" } } } },
    });
    // The egress proxy installs over http and only tunnels TLS (CONNECT): it has no CA to trust.
    for (const image of ofType(run, IMAGE).filter((i) => i.name !== "image-egress-proxy")) {
      expect(image.inputs.build.args.EXTRA_CA_CERTIFICATES, image.name).to.equal(pem);
    }
    const file = parseYaml(coreContainer(run, "litellm").inputs.uploads[0].content);
    expect(file.model_list.find((m: { model_name: string }) => m.model_name === "gpt-5").litellm_params.api_base).to.equal(
      "http://stub:8080/v1",
    );
  });

  it("egress.mode none: no proxy container or image, no proxy env, agents still on the internal network only", async () => {
    const run = await runProgram({ stack: "dev", env: host.env, config: { egress: { mode: "none" } } });
    expect(containersWithRole(run, "egress-proxy")).to.deep.equal([]);
    expect(ofType(run, IMAGE).map((i) => i.name)).to.not.include("image-egress-proxy");
    for (const c of agentContainers(run)) {
      expect(Object.keys(envOf(c)).filter((k) => /proxy/i.test(k)), c.name).to.deep.equal([]);
      expect(c.inputs.networksAdvanced, c.name).to.deep.equal([{ name: "llpm-dev-agents" }]);
    }
  });

  it("egress.mode open: Squid allows all but private addresses; egress.allow: exactly that list", async () => {
    const squidOf = (run: Awaited<ReturnType<typeof runProgram>>) => envOf(coreContainer(run, "egress-proxy"))[SQUID_CONFIG_ENV];
    const open = squidOf(await runProgram({ stack: "dev", env: host.env, config: { egress: { mode: "open" } } }));
    expect(open).to.match(/^acl llpm_private dst 127\.0\.0\.0\/8 10\.0\.0\.0\/8 172\.16\.0\.0\/12 192\.168\.0\.0\/16 169\.254\.0\.0\/16 /m);
    expect(open).to.match(/^http_access deny llpm_private\nhttp_access allow all$/m);
    const listed = squidOf(
      await runProgram({ stack: "dev", env: host.env, config: { egress: { allow: ["registry.npmjs.org", ".example.com", "www.example.com"] } } }),
    );
    // A host under a listed domain is left out: Squid refuses a list holding both.
    expect(listed).to.match(/^acl llpm_allowed dstdomain -n registry\.npmjs\.org \.example\.com$/m);
    const none = squidOf(await runProgram({ stack: "dev", env: host.env, config: { egress: { allow: [] } } }));
    expect(none).to.not.contain("llpm_allowed");
    expect(none).to.match(/^http_access deny CONNECT !SSL_ports\nhttp_access deny all$/m);
  });

  it("subscription mode: the proxy also allows the running types' login hosts (catalogue), api_key mode does not", async () => {
    const squidOf = (run: Awaited<ReturnType<typeof runProgram>>) => envOf(coreContainer(run, "egress-proxy"))[SQUID_CONFIG_ENV];
    const allowedBy = (squid: string) => squid.match(/^acl llpm_allowed dstdomain -n (.*)$/m)?.[1].split(" ") ?? [];
    const claudeOnly = { authMode: "subscription", agents: { "claude-code": 1, "openai-codex": 0, aider: 0, opencode: 0 } };
    const claude = allowedBy(squidOf(await runProgram({ stack: "dev", env: host.env, config: claudeOnly })));
    expect(claude).to.include.members(AGENT_CATALOGUE["claude-code"].subscription!.egressHosts);
    expect(claude).to.not.include.members(AGENT_CATALOGUE["openai-codex"].subscription!.egressHosts);
    const both = allowedBy(squidOf(await runProgram({ stack: "dev", env: host.env, config: { ...claudeOnly, agents: { ...claudeOnly.agents, "openai-codex": 1 } } })));
    expect(both).to.include.members(["platform.claude.com", "auth.openai.com", "chatgpt.com"]);
    const apiKey = allowedBy(squidOf(await runProgram({ stack: "dev", env: host.env, config: { agents: { "claude-code": 1, "openai-codex": 1 } } })));
    for (const type of ["claude-code", "openai-codex"] as const) {
      for (const entry of AGENT_CATALOGUE[type].subscription!.egressHosts) expect(apiKey).to.not.include(entry);
    }
    // The user still cannot name them: they are model-provider hosts.
    const refused = await runProgram({ stack: "dev", env: host.env, config: { ...claudeOnly, egress: { allow: ["platform.claude.com"] } } }).then(
      () => "accepted",
      (error: Error) => error.message,
    );
    expect(refused).to.contain("egress.allow.0");
  });

  it("refuses bad egress config before declaring anything, naming each key and what is allowed", async () => {
    const refusal = (egress: Record<string, unknown>) =>
      runProgram({ stack: "dev", env: host.env, config: { egress } }).then(
        () => expect.fail(`egress ${JSON.stringify(egress)} was accepted`),
        (error: unknown) => {
          expect(error).to.be.instanceOf(ConfigError);
          expect((error as { recordedResources?: unknown[] }).recordedResources).to.deep.equal([]);
          return (error as ConfigError).message;
        },
      );
    const shapes = await refusal({ mode: "closed", allow: ["Registry.npmjs.org", ".com", "*.example.com"] });
    expect(shapes).to.contain('llpm-fleet:egress.mode: got "closed"; allowed: one of allowlist, open, none');
    for (const [i, entry] of ["Registry.npmjs.org", ".com", "*.example.com"].entries()) {
      expect(shapes).to.contain(`llpm-fleet:egress.allow.${i}: got "${entry}"; allowed: a lower-case host name (registry.npmjs.org), or a domain`);
    }
    expect(await refusal({ mode: "open", allow: ["registry.npmjs.org"] })).to.contain(
      'llpm-fleet:egress.allow: got ["registry.npmjs.org"]; allowed: unset with egress.mode open',
    );
    const providers = await refusal({ allow: ["registry.npmjs.org", "api.anthropic.com", ".openai.com", "chatgpt.com"] });
    expect(providers).to.contain("(3 problems)");
    expect(providers).to.contain('llpm-fleet:egress.allow.1: got "api.anthropic.com"; allowed: a host outside the model providers');
    expect(providers).to.contain("agents reach models only through LiteLLM");
  });

  it("applies per-type resources and CLI options", async () => {
    const run = await runProgram({
      stack: "dev",
      env: host.env,
      config: { resources: { aider: { memoryMb: 1024, cpus: 0.5 } }, cliOptions: { aider: ["--no-git", "--map-tokens", "0"] } },
    });
    const aider = resourceNamed(run, CONTAINER, "agent-aider-1");
    expect(aider.inputs).to.include({ memory: 1024, memorySwap: 1024, cpus: "0.5" });
    expect(JSON.parse(envOf(aider).LLPM_CLI_OPTIONS)).to.deep.equal(["--no-git", "--map-tokens", "0"]);
  });

  it("refuses a bad config before declaring any resource, listing every problem", async () => {
    let error: unknown;
    try {
      await runProgram({ stack: "team", env: host.env, config: { agents: { aider: -2, gemini: 1 }, authMode: "sso" } });
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.key).sort()).to.deep.equal(["agents.aider", "agents.gemini", "authMode"]);
    expect((error as { recordedResources?: unknown[] }).recordedResources).to.deep.equal([]);
  });
});
