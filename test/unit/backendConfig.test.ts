/** The `backend` key and the keys of the kubernetes backend: defaults, and every refusal naming what is allowed. */
import { expect } from "chai";
import { AGENT_TYPES } from "../../catalogue/agentTypes";
import { validateFleetConfig } from "../../config/fleetConfig";
import type { ConfigError, ConfigProblem } from "../../config/problems";
import { fakeHost, problemsOf, TEST_HOME, validConfig } from "../support/stackConfig";

const REFS: Record<string, string> = {
  ...Object.fromEntries(AGENT_TYPES.map((t) => [t, "registry.example/agent:1.0.0"])),
  broker: "registry.example/broker:1.0.0",
  "egress-proxy": "registry.example/egress-proxy:1.0.0",
};
const KUBECONFIG = "/etc/llpm/kubeconfig";
const host = fakeHost({ files: { [KUBECONFIG]: "apiVersion: v1\nkind: Config\n", [`${TEST_HOME}/.kube/team`]: "apiVersion: v1\n" } });
const kubernetes = (extra: Record<string, unknown> = {}) => ({ backend: "kubernetes", images: { refs: REFS }, ...extra });

describe("backend config", () => {
  it("defaults to docker, and to llpm-<stack>, 10Gi and the ambient cluster on kubernetes", () => {
    expect(validConfig().backend).to.equal("docker");
    const config = validConfig(kubernetes());
    expect(config.backend).to.equal("kubernetes");
    expect(config.kubernetes).to.deep.equal({ namespace: "llpm-test", workspaceSize: "10Gi" });
    expect(config.imageRefs).to.deep.equal(REFS);
  });

  it("takes every kubernetes key, expanding ~ in the kubeconfig path", () => {
    const config = validConfig(
      kubernetes({ kubernetes: { namespace: "agents", kubeconfig: "~/.kube/team", context: "prod", storageClass: "fast-ssd", workspaceSize: "512Mi" } }),
      host,
    );
    expect(config.kubernetes).to.deep.equal({
      namespace: "agents",
      kubeconfig: `${TEST_HOME}/.kube/team`,
      context: "prod",
      storageClass: "fast-ssd",
      workspaceSize: "512Mi",
    });
  });

  it("refuses an unknown backend, listing both", () => {
    const [problem] = problemsOf({ backend: "nomad" });
    expect(problem).to.deep.equal({ key: "backend", value: "nomad", allowed: "one of docker, kubernetes" });
  });

  it("refuses a namespace, storage class or size Kubernetes would refuse", () => {
    const problems = problemsOf(kubernetes({ kubernetes: { namespace: "Agents_1", storageClass: "-x", workspaceSize: "10GB" } }));
    expect(problems.map((p) => [p.key, p.value])).to.deep.equal([
      ["kubernetes.namespace", "Agents_1"],
      ["kubernetes.storageClass", "-x"],
      ["kubernetes.workspaceSize", "10GB"],
    ]);
    expect(problems[0].allowed).to.match(/^a DNS label/);
    expect(problems[2].allowed).to.contain("10Gi");
  });

  it("refuses a default namespace that is not a DNS label, asking to set one", () => {
    let problems: ConfigProblem[] = [];
    try {
      validateFleetConfig(kubernetes(), "Team_Stack", fakeHost());
    } catch (err) {
      problems = (err as ConfigError).problems;
    }
    expect(problems).to.have.length(1);
    expect(problems[0]).to.include({ key: "kubernetes.namespace", value: undefined });
    expect(problems[0].allowed).to.contain('"llpm-Team_Stack"').and.to.contain("so set it");
    expect(validConfig(kubernetes({ kubernetes: { namespace: "team" } })).kubernetes.namespace).to.equal("team");
  });

  it("refuses a kubeconfig that cannot be read", () => {
    const [problem] = problemsOf(kubernetes({ kubernetes: { kubeconfig: "/nowhere/kubeconfig" } }), host);
    expect(problem).to.include({ key: "kubernetes.kubeconfig", value: "/nowhere/kubeconfig" });
    expect(problem.allowed).to.contain("readable kubeconfig");
  });

  it("needs a prebuilt image for the broker, the egress proxy and every type in use, and only those", () => {
    const problems = problemsOf({ backend: "kubernetes", agents: { aider: 2 }, images: { refs: { opencode: "registry.example/agent:1.0.0" } } });
    expect(problems.map((p) => p.key)).to.deep.equal(["images.refs.aider", "images.refs.broker", "images.refs.egress-proxy"]);
    expect(problems[0].allowed).to.contain("does not build images").and.to.contain("agents.aider is 2");
    expect(problems[2].allowed).to.contain("egress.mode is allowlist");
    const refs = { aider: REFS.aider, broker: REFS.broker };
    expect(validConfig({ backend: "kubernetes", agents: { aider: 1 }, images: { refs: { ...refs, "egress-proxy": REFS["egress-proxy"] } } }).agents.aider).to.equal(1);
    // No proxy, no proxy image.
    expect(validConfig({ backend: "kubernetes", agents: { aider: 1 }, egress: { mode: "none" }, images: { refs } }).egress.mode).to.equal("none");
  });

  it("refuses floating tags and unknown names in images.refs", () => {
    const problems = problemsOf(kubernetes({ images: { refs: { ...REFS, aider: "registry.example/agent:latest", gemini: "x:1.0.0" } } }));
    expect(problems.map((p) => p.key).sort()).to.deep.equal(["images.refs.aider", "images.refs.gemini"]);
    expect(problems.find((p) => p.key === "images.refs.aider")?.allowed).to.contain("exact version tag");
  });

  it("refuses host mounts on kubernetes: pods cannot mount this host's home", () => {
    const [problem] = problemsOf(kubernetes({ hostMounts: { ssh: true } }));
    expect(problem).to.include({ key: "hostMounts.ssh", value: true });
  });

  it("refuses kubernetes-only keys on docker, so a forgotten backend is not silent", () => {
    const problems = problemsOf({ kubernetes: { namespace: "agents" }, images: { refs: { broker: REFS.broker } } });
    expect(problems.map((p) => p.key)).to.deep.equal(["kubernetes", "images.refs"]);
    expect(problems[0].allowed).to.contain("only with backend kubernetes");
  });
});
