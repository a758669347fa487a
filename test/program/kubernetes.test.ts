/**
 * The kubernetes backend under mocks: what the program declares for a cluster (shapes the real
 * engine test cannot see without a CNI that enforces policies, or several runs): hardening, the
 * broker's RBAC scope, NetworkPolicies, claims, secrets, and what scaling changes.
 */
import { expect } from "chai";
import { agentToken } from "../../contract/agentToken";
import { AGENT_CATALOGUE, AGENT_TYPES } from "../../catalogue/agentTypes";
import { AGENT_CREDENTIALS_PATH, LABEL } from "../../catalogue/naming";
import { WORKSPACE_DIR } from "../../contract/workspace";
import { BROKER_PORT, EGRESS_PROXY_PORT, LITELLM_PORT } from "../../contract/ports";
import { gatewayKey, usageReaderKey } from "../../core/gatewayKey";
import { BROKER_TOKEN_ENV, BROKER_USAGE_KEY_ENV } from "../../core/serviceEnv";
import { EGRESS_PROXY_HEALTH_COMMAND, EGRESS_PROXY_USER, SQUID_CONFIG_ENV } from "../../core/egressProxyImage";
import { EGRESS_PROXY_URL } from "../../core/fleetServices";
import { MAX_INSTANCES_PER_TYPE } from "../../config/defaults";
import { ConfigError } from "../../config/problems";
import { GENERATED_SECRET_KEYS } from "../../config/secretKeys";
import { AGENT_IMAGE, k8sConfig, KUBECONFIG_TEXT, PROVIDER_KEY, PROXY_IMAGE, SECRETS } from "../support/kubernetesStack";
import { makeProgramHost, type ProgramHost } from "../support/programEnv";
import { containerEnv, K8S, kubernetesOfType, objectNamed, workloads } from "../support/recordedKubernetes";
import { runProgram, type ProgramRun } from "../support/runProgram";

describe("program under mocks: kubernetes backend", () => {
  let host: ProgramHost;
  let run: ProgramRun;

  before(async () => {
    host = makeProgramHost();
    run = await runProgram({ stack: "dev", env: host.env, config: k8sConfig(host) });
  });
  after(() => host.remove());

  it("declares only Kubernetes objects, in the namespace llpm-<stack>", () => {
    const types = new Set(run.resources.map((r) => r.type));
    expect([...types].filter((t) => !t.startsWith("kubernetes:") && t !== K8S.provider && !t.startsWith("llpm:"))).to.deep.equal([]);
    expect(objectNamed(run, K8S.namespace, "llpm-dev").inputs.metadata.labels).to.deep.equal({ [LABEL.stack]: "dev" });
    for (const r of run.resources.filter((r) => r.type.startsWith("kubernetes:") && r.type !== K8S.namespace)) {
      expect(r.inputs.metadata.namespace, `${r.type} ${r.name}`).to.equal("llpm-dev");
    }
  });

  it("uses kubernetes.namespace when set", async () => {
    const other = await runProgram({ stack: "dev", env: host.env, config: k8sConfig(host, { kubernetes: { namespace: "team-agents" } }) });
    expect(kubernetesOfType(other, K8S.namespace).map((n) => n.inputs.metadata.name)).to.deep.equal(["team-agents"]);
  });

  it("has one StatefulSet per type: replicas = count, pods named from 1, workspace claims retained", () => {
    for (const type of AGENT_TYPES) {
      const set = objectNamed(run, K8S.statefulSet, type).inputs.spec;
      expect(set.replicas).to.equal(1);
      expect(set.ordinals).to.deep.equal({ start: 1 });
      expect(set.persistentVolumeClaimRetentionPolicy).to.deep.equal({ whenScaled: "Retain", whenDeleted: "Retain" });
      const [claim] = set.volumeClaimTemplates;
      expect(claim.metadata.name).to.equal("workspace");
      expect(claim.spec).to.deep.equal({ accessModes: ["ReadWriteOnce"], storageClassName: "fast", resources: { requests: { storage: "5Gi" } } });
      const agent = set.template.spec.containers[0];
      expect(agent.image).to.equal(AGENT_IMAGE);
      expect(agent.volumeMounts).to.deep.include({ name: "workspace", mountPath: WORKSPACE_DIR });
      expect(set.template.metadata.labels).to.include({ [LABEL.stack]: "dev", [LABEL.role]: "agent", [LABEL.agentType]: type });
    }
  });

  it("leaves out the storage class when none is set, so the cluster's default applies", async () => {
    const plain = await runProgram({ stack: "minimal", env: host.env, config: k8sConfig(host, { kubernetes: {} }) });
    const set = objectNamed(plain, K8S.statefulSet, "aider").inputs.spec;
    expect(set.volumeClaimTemplates[0].spec).to.not.have.property("storageClassName");
    expect(set.volumeClaimTemplates[0].spec.resources.requests.storage).to.equal("10Gi");
  });

  it("hardens every pod: seccomp, no escalation, ALL dropped; agents non-root, limited, without an API token", () => {
    for (const { resource, pod } of workloads(run)) {
      const what = resource.inputs.metadata.name;
      expect(pod.securityContext.seccompProfile, what).to.deep.equal({ type: "RuntimeDefault" });
      for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
        expect(c.securityContext.allowPrivilegeEscalation, what).to.equal(false);
        expect(c.securityContext.capabilities.drop, what).to.deep.equal(["ALL"]);
        expect(c.resources.limits.memory, what).to.be.a("string");
      }
      const role = resource.inputs.metadata.labels[LABEL.role];
      expect(pod.automountServiceAccountToken, what).to.equal(role === "broker");
      if (role === "agent") {
        expect(pod.securityContext).to.include({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000 });
        expect(pod.containers[0].resources.limits).to.deep.equal({ memory: "4096Mi", cpu: "2000m" });
        expect(pod.containers[0].securityContext.capabilities).to.not.have.property("add");
      }
    }
  });

  it("gives the broker a Role in the namespace (pods get/list/watch, pods/exec create) and nothing cluster-wide", () => {
    expect(kubernetesOfType(run, K8S.clusterRole)).to.deep.equal([]);
    expect(kubernetesOfType(run, K8S.clusterRoleBinding)).to.deep.equal([]);
    const [role, ...moreRoles] = kubernetesOfType(run, K8S.role);
    expect(moreRoles).to.deep.equal([]);
    expect(role.inputs.rules).to.deep.equal([
      { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
      { apiGroups: [""], resources: ["pods/exec"], verbs: ["create", "get"] },
    ]);
    const binding = objectNamed(run, K8S.roleBinding, "broker").inputs;
    expect(binding.roleRef).to.deep.equal({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "broker" });
    expect(binding.subjects).to.deep.equal([{ kind: "ServiceAccount", name: "broker", namespace: "llpm-dev" }]);
    const broker = objectNamed(run, K8S.deployment, "broker").inputs.spec.template.spec;
    expect(broker.serviceAccountName).to.equal("broker");
    expect(containerEnv(broker.containers[0])).to.include({ LLPM_RUNTIME: "kubernetes" });
    expect(containerEnv(broker.containers[0]).LLPM_KUBERNETES_NAMESPACE).to.deep.equal({ from: { fieldRef: { fieldPath: "metadata.namespace" } } });
  });

  it("lets agents reach LiteLLM, the broker, the egress proxy and DNS only, and only the broker reach them", () => {
    const policy = objectNamed(run, K8S.networkPolicy, "agents").inputs.spec;
    expect(policy.podSelector).to.deep.equal({ matchLabels: { [LABEL.role]: "agent" } });
    expect(policy.policyTypes).to.deep.equal(["Ingress", "Egress"]);
    expect(policy.ingress).to.deep.equal([{ from: [{ podSelector: { matchLabels: { [LABEL.role]: "broker" } } }] }]);
    expect(policy.egress).to.deep.equal([
      { to: [{ podSelector: { matchLabels: { [LABEL.role]: "litellm" } } }], ports: [{ protocol: "TCP", port: LITELLM_PORT }] },
      { to: [{ podSelector: { matchLabels: { [LABEL.role]: "broker" } } }], ports: [{ protocol: "TCP", port: BROKER_PORT }] },
      { to: [{ podSelector: { matchLabels: { [LABEL.role]: "egress-proxy" } } }], ports: [{ protocol: "TCP", port: EGRESS_PROXY_PORT }] },
      {
        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }],
        ports: [
          { protocol: "UDP", port: 53 },
          { protocol: "TCP", port: 53 },
        ],
      },
    ]);
    const postgres = objectNamed(run, K8S.networkPolicy, "postgres").inputs.spec;
    expect(postgres.ingress[0].from).to.deep.equal([{ podSelector: { matchLabels: { [LABEL.role]: "litellm" } } }]);
    const proxy = objectNamed(run, K8S.networkPolicy, "egress-proxy").inputs.spec;
    expect(proxy.ingress).to.deep.equal([{ from: [{ podSelector: { matchLabels: { [LABEL.role]: "agent" } } }], ports: [{ protocol: "TCP", port: EGRESS_PROXY_PORT }] }]);
  });

  it("runs the egress proxy from its image with the generated Squid config, read-only, and points agents at it", () => {
    const proxy = objectNamed(run, K8S.deployment, "egress-proxy").inputs.spec.template.spec;
    const [squid] = proxy.containers;
    expect(squid.image).to.equal(PROXY_IMAGE);
    const squidConf = containerEnv(squid)[SQUID_CONFIG_ENV] as string;
    expect(squidConf).to.contain(`http_port ${EGRESS_PROXY_PORT}`).and.to.match(/^acl llpm_allowed dstdomain -n .*\.npmjs\.org/m).and.to.contain("http_access deny all");
    expect(squid.securityContext).to.include({ readOnlyRootFilesystem: true });
    expect(proxy.securityContext).to.include({ runAsNonRoot: true, runAsUser: EGRESS_PROXY_USER.uid });
    expect(squid.readinessProbe.exec.command).to.deep.equal(EGRESS_PROXY_HEALTH_COMMAND);
    expect(objectNamed(run, K8S.service, "egress-proxy").inputs.spec.ports).to.deep.equal([{ name: "tcp", port: EGRESS_PROXY_PORT }]);
    for (const type of AGENT_TYPES) {
      const env = containerEnv(objectNamed(run, K8S.statefulSet, type).inputs.spec.template.spec.containers[0]);
      expect(env).to.include({ HTTPS_PROXY: EGRESS_PROXY_URL, https_proxy: EGRESS_PROXY_URL });
    }
  });

  it("egress.mode none: no proxy, no proxy image needed, agents get no proxy env and no route to one", async () => {
    const config = k8sConfig(host, { egress: { mode: "none" } }) as { images: { refs: Record<string, string> } };
    delete config.images.refs["egress-proxy"];
    const none = await runProgram({ stack: "dev", env: host.env, config });
    expect(kubernetesOfType(none, K8S.deployment).map((d) => d.inputs.metadata.name).sort()).to.deep.equal(["broker", "litellm"]);
    expect(kubernetesOfType(none, K8S.networkPolicy).map((d) => d.inputs.metadata.name).sort()).to.deep.equal(["agents", "postgres"]);
    const agents = objectNamed(none, K8S.networkPolicy, "agents").inputs.spec;
    expect(JSON.stringify(agents.egress)).to.not.contain("egress-proxy");
    const env = containerEnv(objectNamed(none, K8S.statefulSet, "aider").inputs.spec.template.spec.containers[0]);
    expect(Object.keys(env).filter((k) => /_proxy$/i.test(k))).to.deep.equal([]);
  });

  it("keeps every secret in a Secret: stringData secret, no secret value in any plain input or output", () => {
    const secretValues = [...Object.values(SECRETS), ...Object.values(PROVIDER_KEY), "kubeconfig-secret-token-0001"];
    for (const s of kubernetesOfType(run, K8S.secret)) expect(s.secretPaths, s.inputs.metadata.name).to.deep.equal(["stringData"]);
    for (const r of run.resources) {
      const plain = JSON.stringify(r.secretPaths.length === 0 ? r.inputs : { ...r.inputs, ...Object.fromEntries(r.secretPaths.map((p) => [p.split(".")[0], null])) });
      for (const value of secretValues) expect(plain, `${r.type} ${r.name}`).to.not.contain(value);
    }
    const provider = kubernetesOfType(run, K8S.provider)[0];
    expect(provider.secretPaths).to.deep.equal(["kubeconfig"]);
    expect(provider.inputs.kubeconfig).to.equal(KUBECONFIG_TEXT);
    expect(run.secretOutputs.sort()).to.deep.equal(["brokerToken", "litellmMasterKey"]);
    const plainOutputs = JSON.stringify(Object.entries(run.outputs).filter(([k]) => !run.secretOutputs.includes(k)));
    for (const value of secretValues) expect(plainOutputs).to.not.contain(value);
    const litellm = objectNamed(run, K8S.secret, "litellm-env").inputs.stringData;
    expect(litellm).to.include({ LITELLM_MASTER_KEY: SECRETS.litellmMasterKey, ANTHROPIC_API_KEY: PROVIDER_KEY.anthropicApiKey });
    for (const type of AGENT_TYPES) {
      expect(objectNamed(run, K8S.secret, `${type}-credentials`).inputs.stringData).to.not.have.property("ANTHROPIC_API_KEY");
    }
    // The broker reads LiteLLM's per-agent usage with the usage reader's key, never the master key.
    expect(objectNamed(run, K8S.secret, "broker-env").inputs.stringData).to.deep.equal({
      [BROKER_TOKEN_ENV]: SECRETS.brokerToken,
      [BROKER_USAGE_KEY_ENV]: usageReaderKey(SECRETS.gatewayKeySecret),
    });
  });

  it("hands each agent its own credentials through its init container only", () => {
    for (const type of AGENT_TYPES) {
      const data = objectNamed(run, K8S.secret, `${type}-credentials`).inputs.stringData;
      const keyVariable = AGENT_CATALOGUE[type].apiKey.keyVariable;
      expect(Object.keys(data)).to.have.length(MAX_INSTANCES_PER_TYPE * 2);
      expect(data[`${type}-2.LLPM_AGENT_TOKEN`]).to.equal(agentToken(SECRETS.brokerToken, `${type}-2`));
      expect(data[`${type}-2.${keyVariable}`]).to.equal(gatewayKey(SECRETS.gatewayKeySecret, `${type}-2`));
      const pod = objectNamed(run, K8S.statefulSet, type).inputs.spec.template.spec;
      const secretVolume = pod.volumes.find((v: any) => v.secret).name;
      expect(pod.containers[0].volumeMounts.map((m: any) => m.name)).to.not.include(secretVolume);
      expect(pod.initContainers[0].volumeMounts.map((m: any) => m.name)).to.include(secretVolume);
      expect(pod.containers[0].volumeMounts).to.deep.include({ name: "credentials", mountPath: AGENT_CREDENTIALS_PATH, readOnly: true });
      const env = containerEnv(pod.containers[0]);
      expect(env).to.not.have.property("LLPM_AGENT_TOKEN");
      expect(env).to.not.have.property(keyVariable);
      expect(env.LLPM_AGENT_ID).to.deep.equal({ from: { fieldRef: { fieldPath: "metadata.name" } } });
    }
  });

  it("scaling a count changes only that StatefulSet's replicas", async () => {
    const scaled = await runProgram({ stack: "dev", env: host.env, config: k8sConfig(host, { agents: { "claude-code": 2, "openai-codex": 1, aider: 1, opencode: 1 } }) });
    const byKey = (r: ProgramRun) => new Map(r.resources.map((x) => [`${x.type}::${x.name}`, JSON.stringify(x.inputs)]));
    expect(byKey(run).size, "resource names are unique (the engine refuses duplicate URNs)").to.equal(run.resources.length);
    const before = byKey(run);
    const after = byKey(scaled);
    expect([...after.keys()].sort()).to.deep.equal([...before.keys()].sort());
    const changed = [...after.keys()].filter((k) => after.get(k) !== before.get(k));
    expect(changed).to.deep.equal([`${K8S.statefulSet}::agents-claude-code-statefulset`]);
    expect(objectNamed(scaled, K8S.statefulSet, "claude-code").inputs.spec.replicas).to.equal(2);
  });

  it("refuses to deploy without every fleet secret, naming each missing one", async () => {
    const without = k8sConfig(host);
    for (const key of GENERATED_SECRET_KEYS) delete without[key];
    const err = await runProgram({ stack: "dev", env: host.env, config: without }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(ConfigError);
    expect((err as ConfigError).problems.map((p) => p.key)).to.deep.equal([...GENERATED_SECRET_KEYS]);
    expect((err as { recordedResources: unknown[] }).recordedResources).to.deep.equal([]);
  });
});
