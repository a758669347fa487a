/** The `backend` key and the keys of the kubernetes backend: defaults, and every refusal naming what is allowed. */
import { expect } from "chai";
import { AGENT_TYPES } from "../../catalogue/agentTypes";
import { registrySecretProblems } from "../../config/backendChecks";
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
    expect(problems[0].allowed).to.contain("does not build images").and.to.contain("agents.aider is 2").and.to.contain("or set images.registry");
    expect(problems[2].allowed).to.contain("egress.mode is allowlist");
    const refs = { aider: REFS.aider, broker: REFS.broker };
    expect(validConfig({ backend: "kubernetes", agents: { aider: 1 }, images: { refs: { ...refs, "egress-proxy": REFS["egress-proxy"] } } }).agents.aider).to.equal(1);
    // No proxy, no proxy image.
    expect(validConfig({ backend: "kubernetes", agents: { aider: 1 }, egress: { mode: "none" }, images: { refs } }).egress.mode).to.equal("none");
  });

  it("takes images.registry on kubernetes, which makes every ref optional", () => {
    const registry = { server: "registry.example.com:5000/team", username: "deployer" };
    const config = validConfig({ backend: "kubernetes", images: { registry } });
    expect(config.imageRegistry).to.deep.equal(registry);
    expect(config.imageRefs).to.deep.equal({});
    expect(validConfig({ backend: "kubernetes", images: { refs: { aider: REFS.aider }, registry: { server: "localhost:5000" } } }).imageRegistry).to.deep.equal({
      server: "localhost:5000",
    });
    expect(validConfig(kubernetes()).imageRegistry).to.equal(undefined);
  });

  it("takes a registry server as host[:port][/path] only", () => {
    for (const server of ["registry.example.com", "localhost", "localhost:5000", "10.0.0.5:5000", "ghcr.io/team/sub_images", "registry:5000", "docker.io/team"]) {
      expect(validConfig({ backend: "kubernetes", images: { registry: { server } } }).imageRegistry, server).to.deep.equal({ server });
    }
    const bad = ["https://registry.example.com", "team/images", "registry", "Registry.example.com", "registry.example.com:99999", "registry.example.com/", "ghcr.io/Team", "ghcr.io/team:1.0", "-x.io", ""];
    for (const server of bad) {
      const [problem, ...more] = problemsOf({ backend: "kubernetes", images: { registry: { server } } });
      expect(more, server).to.deep.equal([]);
      expect(problem, server).to.include({ key: "images.registry.server", value: server });
      expect(problem.allowed).to.contain("host[:port][/path]").and.to.contain("a dot, a port or to be localhost");
    }
    const [missing] = problemsOf({ backend: "kubernetes", images: { registry: { username: "deployer" } } });
    expect(missing).to.include({ key: "images.registry.server", value: undefined });
    expect(problemsOf({ backend: "kubernetes", images: { registry: { server: "x.io", password: "p" } } }).map((p) => p.key)).to.deep.equal(["images.registry.password"]);
  });

  it("checks registryPassword against images.registry and the backend, never showing its value", () => {
    const withRegistry = (registry: Record<string, unknown>) => validConfig({ backend: "kubernetes", images: { registry } });
    const user = withRegistry({ server: "x.io", username: "deployer" });
    expect(registrySecretProblems(user, true)).to.deep.equal([]);
    expect(registrySecretProblems(user, false)).to.deep.equal([
      { key: "registryPassword", value: undefined, allowed: "a secret set with `pulumi config set --secret registryPassword ...`: images.registry.username is set" },
    ]);
    const anonymous = withRegistry({ server: "x.io" });
    expect(registrySecretProblems(anonymous, false)).to.deep.equal([]);
    expect(registrySecretProblems(anonymous, true).map((p) => p.key)).to.deep.equal(["images.registry.username"]);
    const [stray] = registrySecretProblems(validConfig(kubernetes()), true);
    expect(stray).to.include({ key: "registryPassword", value: "(a secret)" });
    expect(stray.allowed).to.contain("without images.registry");
    expect(registrySecretProblems(validConfig(kubernetes()), false)).to.deep.equal([]);
    const [onDocker] = registrySecretProblems(validConfig(), true);
    expect(onDocker).to.include({ key: "registryPassword", value: "(a secret)" });
    expect(onDocker.allowed).to.contain("only with backend kubernetes");
    expect(registrySecretProblems(validConfig(), false)).to.deep.equal([]);
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
    const registry = { server: "x.io" };
    const problems = problemsOf({ kubernetes: { namespace: "agents" }, images: { refs: { broker: REFS.broker }, registry } });
    expect(problems.map((p) => p.key)).to.deep.equal(["kubernetes", "images.refs", "images.registry"]);
    expect(problems[0].allowed).to.contain("only with backend kubernetes");
    expect(problems[2]).to.deep.equal({ key: "images.registry", value: registry, allowed: problems[0].allowed });
  });
});
