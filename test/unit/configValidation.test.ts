import { expect } from "chai";
import { ConfigError, formatProblem } from "../../config/problems";
import { DEFAULT_GATEWAY_LIMITS } from "../../config/defaults";
import { MAX_EXTRA_CA_BYTES, validateFleetConfig } from "../../config/fleetConfig";
import { EGRESS_HOST_ALLOWED, MODEL_PROVIDER_DOMAINS, reachesDomain } from "../../config/egressAllowlist";
import { fakeHost, problemsOf, validConfig } from "../support/stackConfig";

function only(raw: Record<string, unknown>) {
  const problems = problemsOf(raw);
  expect(problems, JSON.stringify(problems)).to.have.length(1);
  return problems[0];
}

describe("stack config validation", () => {
  it("fills every default when nothing is set (the dev preset)", () => {
    const config = validConfig();
    expect(config.agents).to.deep.equal({ "claude-code": 1, "openai-codex": 1, aider: 1, opencode: 1 });
    expect(config.authMode).to.equal("api_key");
    expect(config.ports).to.deep.equal({ broker: 3010, litellm: 4000, bindAddress: "127.0.0.1" });
    expect(config.workspaceRoot).to.equal("/home/tester/.llpm/workspaces");
    expect(config.models.agents).to.deep.equal({
      "claude-code": "claude-sonnet-4-5",
      "openai-codex": "gpt-5.5",
      aider: "gpt-5",
      opencode: "claude-sonnet-4-5",
    });
    expect(config.models.list.map((m) => m.model)).to.deep.equal([
      "anthropic/claude-sonnet-4-5",
      "openai/gpt-5.5",
      "openai/gpt-5",
    ]);
    expect(config.litellm).to.deep.include({ cache: true, fallbacks: {}, upstream: {} });
    expect(config.hostMounts).to.deep.equal({ ssh: false, gitconfig: false });
    expect(config.extraCaCertificates).to.equal("");
  });

  it("counts a type left out of a set agents object as 0", () => {
    expect(validConfig({ agents: { aider: 2 } }).agents).to.deep.equal({
      "claude-code": 0,
      "openai-codex": 0,
      aider: 2,
      opencode: 0,
    });
  });

  it("merges partial objects with their defaults", () => {
    const config = validConfig({ ports: { broker: 3999 }, resources: { aider: { memoryMb: 2048 } } });
    expect(config.ports).to.deep.include({ broker: 3999, litellm: 4000 });
    expect(config.resources.aider).to.deep.equal({ memoryMb: 2048, cpus: 2, processes: 512 });
  });

  it("gives every type the default gateway limits, and takes partial ones per type", () => {
    expect(validConfig().limits.aider).to.deep.equal(DEFAULT_GATEWAY_LIMITS);
    const config = validConfig({ limits: { aider: { rpm: 5, budgetUsd: 2.5 } } });
    expect(config.limits.aider).to.deep.equal({ ...DEFAULT_GATEWAY_LIMITS, rpm: 5, budgetUsd: 2.5 });
    expect(config.limits["claude-code"]).to.deep.equal(DEFAULT_GATEWAY_LIMITS);
  });

  it("refuses bad gateway limits, naming the key", () => {
    expect(only({ limits: { aider: { rpm: 0 } } })).to.deep.equal({
      key: "limits.aider.rpm",
      value: 0,
      allowed: "a whole number from 1 to 1000000",
    });
    expect(only({ limits: { aider: { budgetUsd: "5" } } }).key).to.equal("limits.aider.budgetUsd");
    expect(only({ limits: { aider: { parallel: 2 } } })).to.deep.include({
      key: "limits.aider.parallel",
      allowed: "one of the keys rpm, tpm, parallelRequests, budgetUsd",
    });
  });

  for (const [label, value] of [
    ["negative", -1],
    ["fractional", 1.5],
    ["textual", "2"],
  ] as const) {
    it(`refuses a ${label} count, naming key, value and the allowed range`, () => {
      const p = only({ agents: { aider: value } });
      expect(p).to.deep.equal({ key: "agents.aider", value, allowed: "a whole number from 0 to 50" });
      expect(formatProblem(p)).to.equal(
        `llpm-fleet:agents.aider: got ${JSON.stringify(value)}; allowed: a whole number from 0 to 50`,
      );
    });
  }

  it("refuses an unknown agent type and lists the known ones", () => {
    const p = only({ agents: { "claude-cod": 1 } });
    expect(p.key).to.equal("agents.claude-cod");
    expect(p.allowed).to.equal("one of the keys claude-code, openai-codex, aider, opencode");
  });

  it("refuses an unknown top-level key (a typo is not silently ignored)", () => {
    const p = only({ agent: { aider: 1 } });
    expect(p.key).to.equal("agent");
    expect(p.allowed).to.contain("agents").and.to.contain("authMode");
  });

  it("refuses an unknown auth mode", () => {
    expect(only({ authMode: "oauth" })).to.deep.equal({
      key: "authMode",
      value: "oauth",
      allowed: "one of api_key, subscription",
    });
  });

  for (const port of [0, 65536, 80.5]) {
    it(`refuses port ${port}`, () => {
      expect(only({ ports: { broker: port } })).to.deep.equal({
        key: "ports.broker",
        value: port,
        allowed: "a whole number from 1 to 65535",
      });
    });
  }

  it("refuses the same port for broker and LiteLLM", () => {
    const p = only({ ports: { broker: 4000 } });
    expect(p.key).to.equal("ports.litellm");
    expect(p.value).to.equal(4000);
    expect(p.allowed).to.contain("the broker (ports.broker)");
  });

  it("refuses ports.oauthBase, gone since agents sit on an internal network (Codex logs in by device code)", () => {
    const p = only({ ports: { oauthBase: 1455 } });
    expect(p.key).to.contain("ports");
    expect(JSON.stringify(p)).to.contain("oauthBase");
  });

  it("refuses a relative workspace root, after ~ expansion", () => {
    expect(only({ workspaceRoot: "work/agents" })).to.include({ key: "workspaceRoot", value: "work/agents" });
    expect(only({ workspaceRoot: "~other/agents" }).allowed).to.equal("an absolute folder path, or one starting with ~/");
    expect(validConfig({ workspaceRoot: "~/agents" }).workspaceRoot).to.equal("/home/tester/agents");
  });

  it("refuses subscription mode while a type without one has instances", () => {
    const problems = problemsOf({ authMode: "subscription" });
    expect(problems.map((p) => p.key)).to.deep.equal(["authMode", "authMode"]);
    expect(problems[0].allowed).to.contain("agents.aider is 1");
    expect(problems[1].allowed).to.contain("agents.opencode is 1");
  });

  it("accepts subscription mode for the types that have one", () => {
    expect(validConfig({ authMode: "subscription", agents: { "claude-code": 2, "openai-codex": 1 } }).authMode).to.equal(
      "subscription",
    );
  });

  it("reports several problems together", () => {
    const problems = problemsOf({
      agents: { aider: -1, opencode: 0.5 },
      authMode: "x",
      ports: { litellm: 70000 },
      workspaceRoot: "rel",
    });
    expect(problems.map((p) => p.key).sort()).to.deep.equal([
      "agents.aider",
      "agents.opencode",
      "authMode",
      "ports.litellm",
      "workspaceRoot",
    ]);
  });

  it("throws one ConfigError whose message lists every problem", () => {
    expect(() => validateFleetConfig({ agents: { aider: -1 }, authMode: "x" }, "test", fakeHost())).to.throw(
      ConfigError,
      /2 problems[\s\S]*agents\.aider: got -1[\s\S]*authMode: got "x"/,
    );
  });

  it("refuses an agent default model absent from the model list", () => {
    expect(only({ models: { agents: { aider: "gpt-4o" } } })).to.include({ key: "models.agents.aider", value: "gpt-4o" });
  });

  it("ignores the default model of a type with no instances", () => {
    expect(
      validConfig({ agents: { aider: 1 }, models: { list: [{ name: "gpt-5", model: "openai/gpt-5" }] } }).agents.aider,
    ).to.equal(1);
  });

  it("refuses fallbacks and upstreams naming unknown models, and duplicate model names", () => {
    const problems = problemsOf({
      models: {
        list: [
          { name: "gpt-5", model: "openai/gpt-5" },
          { name: "gpt-5", model: "openai/gpt-5" },
        ],
      },
      agents: { aider: 1 },
      litellm: { fallbacks: { "gpt-5": ["nope"] }, upstream: { other: { apiBase: "http://127.0.0.1:9" } } },
    });
    expect(problems.map((p) => p.key)).to.deep.equal([
      "models.list.1.name",
      "litellm.fallbacks.gpt-5.0",
      "litellm.upstream.other",
    ]);
  });

  it("refuses a malformed model id and an upstream that is not a URL", () => {
    const problems = problemsOf({
      models: { list: [{ name: "x", model: "no-provider" }] },
      litellm: { upstream: { x: { apiBase: "ftp://a" } } },
    });
    expect(problems.map((p) => p.key)).to.deep.equal(["models.list.0.model", "litellm.upstream.x.apiBase"]);
  });

  it("refuses floating image tags and the compromised LiteLLM releases", () => {
    expect(only({ baseImage: "ubuntu" }).allowed).to.contain("exact version tag");
    expect(only({ baseImage: "ubuntu:latest" }).key).to.equal("baseImage");
    expect(only({ litellm: { image: "ghcr.io/berriai/litellm:main-latest" } }).key).to.equal("litellm.image");
    for (const bad of ["ghcr.io/berriai/litellm:main-v1.82.7", "ghcr.io/berriai/litellm:v1.82.8-stable"]) {
      expect(only({ litellm: { image: bad } })).to.include({ key: "litellm.image", value: bad });
    }
    expect(validConfig({ litellm: { image: "registry.local:5000/litellm:1.82.70" } }).litellm.image).to.equal(
      "registry.local:5000/litellm:1.82.70",
    );
  });

  it("refuses an unknown toolchain and a non-boolean host mount", () => {
    const problems = problemsOf({ toolchains: ["node", "cobol"], hostMounts: { ssh: "yes" } });
    expect(problems.map((p) => [p.key, p.value])).to.deep.equal([
      ["hostMounts.ssh", "yes"],
      ["toolchains.1", "cobol"],
    ]);
  });

  it("reads the extra CA bundle, and refuses a missing or non-PEM file", () => {
    const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    const host = fakeHost({ files: { "/home/tester/ca.pem": pem, "/home/tester/notes.txt": "hello" } });
    expect(validConfig({ extraCaCertificates: "~/ca.pem" }, host).extraCaCertificates).to.equal(pem);
    expect(problemsOf({ extraCaCertificates: "~/missing.pem" }, host)[0]).to.include({
      key: "extraCaCertificates",
      value: "~/missing.pem",
    });
    expect(problemsOf({ extraCaCertificates: "~/notes.txt" }, host)[0].key).to.equal("extraCaCertificates");
  });

  it("refuses a bundle too large to pass as a build arg, and says what to pass instead", () => {
    const bundle = "-----BEGIN CERTIFICATE-----\n" + "A".repeat(MAX_EXTRA_CA_BYTES) + "\n-----END CERTIFICATE-----\n";
    const host = fakeHost({ files: { "/home/tester/bundle.pem": bundle } });
    const [problem] = problemsOf({ extraCaCertificates: "~/bundle.pem" }, host);
    expect(problem).to.include({ key: "extraCaCertificates", value: "~/bundle.pem" });
    expect(problem.allowed).to.include("/usr/local/share/ca-certificates");
  });
});

describe("process limit", () => {
  it("defaults to 8192, enough for the heavy preset", () => {
    expect(validConfig({ agents: { "claude-code": 2, "openai-codex": 3, aider: 3, opencode: 2 } }).processLimit).to.equal(8192);
  });

  it("must hold every agent's processes plus the margin", () => {
    const problems = problemsOf({ agents: { aider: 4 }, resources: { aider: { processes: 2048 } } });
    expect(problems).to.have.length(1);
    expect(problems[0]).to.include({ key: "processLimit", value: 8192 });
    expect(problems[0].allowed).to.match(/^at least 9216 /);
  });
});

describe("unknown keys", () => {
  it("points at --path when a nested key was set without it", () => {
    const [problem] = problemsOf({ "ports.broker": "3011" });
    expect(problem.key).to.equal("ports.broker");
    expect(problem.allowed).to.match(/^one of the keys agents, .*\(set nested values with pulumi config set --path\)$/);
  });

  it("defaults egress to the allowlist of the selected toolchains' registries, mirrors and git hosting", () => {
    const full = validConfig().egress;
    expect(full.mode).to.equal("allowlist");
    expect(full.allow).to.include.members(["registry.npmjs.org", "pypi.org", "proxy.golang.org", "index.crates.io", "repo1.maven.org", "deb.debian.org", "github.com"]);
    const small = validConfig({ toolchains: ["node", "python"] }).egress.allow;
    expect(small).to.include.members(["registry.npmjs.org", "pypi.org", "files.pythonhosted.org", "deb.debian.org", "github.com"]);
    expect(small).to.not.include.members(["proxy.golang.org", "index.crates.io", "repo1.maven.org"]);
    for (const provider of MODEL_PROVIDER_DOMAINS) expect(full.allow.some((h) => reachesDomain(h, provider)), provider).to.equal(false);
    expect(validConfig({ egress: { mode: "none" } }).egress.mode).to.equal("none");
    expect(validConfig({ egress: { allow: ["mirror", ".corp.example"] } }).egress.allow).to.deep.equal(["mirror", ".corp.example"]);
  });

  it("refuses bad egress entries, naming the key and what is allowed", () => {
    expect(only({ egress: { mode: "closed" } })).to.deep.equal({ key: "egress.mode", value: "closed", allowed: "one of allowlist, open, none" });
    for (const entry of ["Registry.npmjs.org", ".com", "*.example.com", "https://github.com", "a..b", "-x.org", ""]) {
      expect(only({ egress: { allow: [entry] } }), entry).to.deep.equal({ key: "egress.allow.0", value: entry, allowed: EGRESS_HOST_ALLOWED });
    }
    expect(only({ egress: { allow: "github.com" } })).to.deep.include({ key: "egress.allow", value: "github.com" });
    expect(only({ egress: { mode: "none", allow: ["github.com"] } })).to.deep.equal({
      key: "egress.allow",
      value: ["github.com"],
      allowed: "unset with egress.mode none: the list applies only to egress.mode allowlist",
    });
    expect(only({ egress: { open: true } })).to.deep.include({ key: "egress.open", allowed: "one of the keys mode, allow" });
  });

  it("refuses model providers in egress.allow, also through a wider domain", () => {
    const problems = problemsOf({ egress: { allow: ["github.com", "api.openai.com", ".anthropic.com", ".googleapis.com"] } });
    expect(problems.map((p) => [p.key, p.value])).to.deep.equal([
      ["egress.allow.1", "api.openai.com"],
      ["egress.allow.2", ".anthropic.com"],
      ["egress.allow.3", ".googleapis.com"],
    ]);
    expect(problems[0].allowed).to.contain("agents reach models only through LiteLLM");
  });
});
