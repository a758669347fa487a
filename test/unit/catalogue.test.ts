import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { agentEnv } from "../../core/agentEnv";
import { AGENT_CATALOGUE, AGENT_TYPES, typesWithSubscription } from "../../catalogue/agentTypes";
import { agentInstances } from "../../catalogue/instances";
import { agentId, agentLabels, containerName, coreLabels, imageRepository } from "../../catalogue/naming";
import { validConfig } from "../support/stackConfig";

const SECRETS = { gatewayKey: "sk-gateway", agentToken: "agent-token" };

describe("naming", () => {
  it("names agents <type>-<n>, containers llpm-<stack>-<id>, core services by name", () => {
    expect(agentId("openai-codex", 2)).to.equal("openai-codex-2");
    expect(containerName("dev", "openai-codex-2")).to.equal("llpm-dev-openai-codex-2");
    expect(containerName("team", "broker")).to.equal("llpm-team-broker");
    expect(imageRepository("dev", "aider")).to.equal("llpm-dev/aider");
  });

  it("labels agents with stack, role, id, type, index and auth mode", () => {
    expect(agentLabels("dev", "aider", 3, "api_key")).to.deep.equal({
      "llpm.stack": "dev",
      "llpm.role": "agent",
      "llpm.agent.id": "aider-3",
      "llpm.agent.type": "aider",
      "llpm.agent.index": "3",
      "llpm.auth.mode": "api_key",
    });
    expect(coreLabels("dev", "litellm")).to.deep.equal({ "llpm.stack": "dev", "llpm.role": "litellm" });
  });
});

describe("agent catalogue", () => {
  it("has an entry with an image folder, CLI and default model for every type", () => {
    for (const type of AGENT_TYPES) {
      expect(AGENT_CATALOGUE[type].imageFolder, type).to.equal(type);
      expect(AGENT_CATALOGUE[type].cliBinary, type).to.match(/^[a-z]+$/);
    }
    expect(typesWithSubscription()).to.deep.equal(["claude-code", "openai-codex"]);
  });

  it("gives each instance its own workspace folder under the workspace root", () => {
    const config = validConfig({ agents: { "openai-codex": 3, aider: 1 } });
    expect(agentInstances(config, "openai-codex").map((a) => a.id)).to.deep.equal(["openai-codex-1", "openai-codex-2", "openai-codex-3"]);
    expect(agentInstances(config, "aider")[0].workspacePath).to.equal("/home/tester/.llpm/workspaces/aider-1");
  });
});

describe("agent environment (docs/agent-interface.md)", () => {
  const config = validConfig({ cliOptions: { aider: ["--no-git"] }, jobTimeoutSeconds: 600 });
  const envOf = (type: (typeof AGENT_TYPES)[number], c = config) => agentEnv(c, agentInstances(c, type)[0], SECRETS);

  it("sets the common LLPM_* variables", () => {
    expect(envOf("aider")).to.deep.include({
      LLPM_AGENT_ID: "aider-1",
      LLPM_AGENT_TYPE: "aider",
      LLPM_AGENT_INDEX: "1",
      LLPM_STACK: "test",
      LLPM_AUTH_MODE: "api_key",
      LLPM_BROKER_URL: "http://broker:3010",
      LLPM_AGENT_TOKEN: "agent-token",
      LLPM_GATEWAY_URL: "http://litellm:4000",
      LLPM_MODEL: "gpt-5",
      LLPM_CLI_OPTIONS: '["--no-git"]',
    });
    // The broker passes every job's timeout itself (BROKER_JOB_TIMEOUT_SECONDS when a request gives none).
    expect(envOf("aider")).to.not.have.property("LLPM_JOB_TIMEOUT_SECONDS");
    expect(envOf("opencode").LLPM_CLI_OPTIONS).to.equal("[]");
  });

  it("points each CLI at LiteLLM with the gateway key in api_key mode", () => {
    expect(envOf("claude-code")).to.deep.include({
      ANTHROPIC_BASE_URL: "http://litellm:4000",
      ANTHROPIC_AUTH_TOKEN: "sk-gateway",
      ANTHROPIC_MODEL: "claude-sonnet-4-5",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      DISABLE_AUTOUPDATER: "1",
      DISABLE_TELEMETRY: "1",
      DISABLE_ERROR_REPORTING: "1",
    });
    expect(envOf("openai-codex")).to.deep.include({ OPENAI_API_KEY: "sk-gateway", CODEX_HOME: "/home/agent/.codex" });
    expect(envOf("aider")).to.deep.include({
      OPENAI_API_BASE: "http://litellm:4000/v1",
      OPENAI_API_KEY: "sk-gateway",
      AIDER_MODEL: "openai/gpt-5",
      AIDER_ANALYTICS_DISABLE: "true",
      AIDER_CHECK_UPDATE: "false",
    });
    expect(envOf("opencode")).to.deep.include({
      LLPM_GATEWAY_KEY: "sk-gateway",
      OPENCODE_CONFIG: "/home/agent/.config/opencode/opencode.json",
      OPENCODE_DISABLE_AUTOUPDATE: "1",
      OPENCODE_DISABLE_MODELS_FETCH: "1",
      OPENCODE_DISABLE_DEFAULT_PLUGINS: "1",
      OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
      OPENCODE_DISABLE_SHARE: "1",
    });
  });

  it("uses the pass-through and carries no gateway or provider key in subscription mode", () => {
    const sub = validConfig({ authMode: "subscription", agents: { "claude-code": 1, "openai-codex": 1 } });
    const claude = envOf("claude-code", sub);
    const codex = envOf("openai-codex", sub);
    expect(claude.ANTHROPIC_BASE_URL).to.equal("http://litellm:4000/anthropic");
    expect(codex.CODEX_HOME).to.equal("/home/agent/.codex");
    for (const env of [claude, codex]) {
      expect(env.LLPM_AUTH_MODE).to.equal("subscription");
      expect(Object.values(env)).to.not.include("sk-gateway");
      expect(Object.keys(env).filter((k) => /KEY|AUTH_TOKEN/.test(k))).to.deep.equal([]);
    }
  });
});

describe("catalogue and image folders agree", () => {
  it("each type's image folder has a Dockerfile and declares the catalogue's CLI", () => {
    const images = path.resolve(__dirname, "..", "..", "images");
    for (const type of AGENT_TYPES) {
      const folder = path.join(images, AGENT_CATALOGUE[type].imageFolder);
      expect(fs.existsSync(path.join(folder, "Dockerfile")), folder).to.equal(true);
      const declared = JSON.parse(fs.readFileSync(path.join(folder, "agent.json"), "utf8"));
      expect(declared.cli, type).to.equal(AGENT_CATALOGUE[type].cliBinary);
    }
  });
});
