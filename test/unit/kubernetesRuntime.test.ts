/**
 * The pure parts of the broker's Kubernetes runtime: pod phase and container state → agent state
 * and reason, pod → workload, exec status → exit code, and the runtime's configuration.
 */
import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { AGENT_ROLE, LABEL } from "../../contract/labels";
import { deriveAgentState } from "../../broker/src/agents/agentState";
import { ConfigError, loadConfig } from "../../broker/src/config";
import { RUNTIMES } from "../../broker/src/runtime/runtime";
import { agentLabelSelector } from "../../broker/src/runtime/kubernetes/agentPods";
import { kubernetesTarget } from "../../broker/src/runtime/kubernetes/kubeConfig";
import { describeExecError, exitCodeOfStatus } from "../../broker/src/runtime/kubernetes/podExec";
import { podAgentState } from "../../broker/src/runtime/kubernetes/podState";
import { workloadFromPod } from "../../broker/src/runtime/kubernetes/workloadFromPod";

const STARTED = "2026-12-03T12:00:00Z";
const LATER = "2026-12-03T12:05:00Z";
const BEFORE = "2026-12-03T11:59:58Z";

function pod(opts: { phase?: string; status?: Partial<V1ContainerStatus>; probe?: boolean; ready?: { status: string; at: string }; extra?: Partial<V1Pod> } = {}): V1Pod {
  return {
    metadata: {
      name: "claude-code-1",
      namespace: "llpm-dev",
      labels: { [LABEL.stack]: "dev", [LABEL.role]: AGENT_ROLE, [LABEL.agentId]: "claude-code-1", [LABEL.agentType]: "claude-code", [LABEL.agentIndex]: "1", [LABEL.authMode]: "api_key" },
    },
    spec: {
      containers: [
        { name: "agent", image: "x", volumeMounts: [{ name: "workspace", mountPath: "/workspace" }], ...(opts.probe ? { readinessProbe: { exec: { command: ["llpm-healthcheck"] } } } : {}) },
        { name: "proxy", image: "y" },
      ],
      volumes: [{ name: "workspace", persistentVolumeClaim: { claimName: "workspace-claude-code-1" } }],
    },
    status: {
      phase: opts.phase ?? "Running",
      conditions: opts.ready ? [{ type: "Ready", status: opts.ready.status, lastTransitionTime: new Date(opts.ready.at) }] : [],
      containerStatuses: opts.status
        ? [{ name: "agent", image: "x", imageID: "", ready: false, restartCount: 0, ...opts.status } as V1ContainerStatus]
        : undefined,
    },
    ...opts.extra,
  };
}

const running = (extra: Partial<V1ContainerStatus> = {}) => ({ state: { running: { startedAt: new Date(STARTED) } }, started: true, ...extra });
const agentState = (p: V1Pod, busy = false) => deriveAgentState({ ...podAgentState(p, "agent"), busy });

describe("kubernetes runtime: pod state → agent state", () => {
  it("a running container with no readiness probe is ready, like a container without a healthcheck", () => {
    const p = pod({ status: running({ ready: true }) });
    expect(podAgentState(p, "agent")).to.deep.equal({ running: true, health: "none", stoppedReason: null });
    expect(agentState(p)).to.equal("ready");
    expect(agentState(p, true)).to.equal("busy");
  });

  it("with a readiness probe: ready is healthy; not yet ready since it started is starting; unready later is unhealthy", () => {
    expect(podAgentState(pod({ probe: true, status: running({ ready: true }) }), "agent").health).to.equal("healthy");
    expect(agentState(pod({ probe: true, status: running(), ready: { status: "False", at: BEFORE } }))).to.equal("starting");
    expect(agentState(pod({ probe: true, status: running({ started: false }), ready: { status: "False", at: LATER } }))).to.equal("starting");
    expect(agentState(pod({ probe: true, status: running(), ready: { status: "False", at: LATER } }))).to.equal("unhealthy");
  });

  it("a pod being scheduled or its container being created is starting", () => {
    expect(agentState(pod({ phase: "Pending" }))).to.equal("starting");
    expect(agentState(pod({ phase: "Pending", status: { state: { waiting: { reason: "ContainerCreating" } } } }))).to.equal("starting");
  });

  it("an unschedulable pod is stopped, with the scheduler's reason", () => {
    const p = pod({ phase: "Pending" });
    p.status!.conditions = [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/1 nodes are available: 1 Insufficient memory." }];
    const s = podAgentState(p, "agent");
    expect(s.running).to.equal(false);
    expect(s.stoppedReason).to.equal("not scheduled: Unschedulable: 0/1 nodes are available: 1 Insufficient memory.");
    expect(agentState(p)).to.equal("stopped");
  });

  it("CrashLoopBackOff names the last exit, OOMKilled included", () => {
    const p = pod({
      status: {
        state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 20s restarting failed container=agent" } },
        lastState: { terminated: { reason: "OOMKilled", exitCode: 137 } },
        restartCount: 2,
      },
    });
    expect(podAgentState(p, "agent")).to.deep.equal({
      running: false,
      health: "none",
      stoppedReason: "CrashLoopBackOff: back-off 20s restarting failed container=agent; last exit: OOMKilled, exit code 137",
    });
  });

  it("a container recreated after a crash is not 'starting' while it waits: the crash is the news", () => {
    const p = pod({ status: { state: { waiting: { reason: "ContainerCreating" } }, lastState: { terminated: { reason: "Error", exitCode: 1 } } } });
    expect(podAgentState(p, "agent").stoppedReason).to.equal("ContainerCreating; last exit: Error, exit code 1");
  });

  it("image pull failures are stopped with the kubelet's message", () => {
    const p = pod({ phase: "Pending", status: { state: { waiting: { reason: "ImagePullBackOff", message: 'Back-off pulling image "llpm/agent:1"' } } } });
    expect(podAgentState(p, "agent").stoppedReason).to.equal('ImagePullBackOff: Back-off pulling image "llpm/agent:1"');
    const never = pod({ phase: "Pending", status: { state: { waiting: { reason: "ErrImageNeverPull", message: "image not present with pull policy of Never" } } } });
    expect(agentState(never)).to.equal("stopped");
  });

  it("a terminated container says why and with which code", () => {
    const p = pod({ status: { state: { terminated: { reason: "OOMKilled", exitCode: 137 } } } });
    expect(podAgentState(p, "agent").stoppedReason).to.equal("OOMKilled, exit code 137");
  });

  it("finished, evicted, lost and deleted pods are stopped with the pod's reason", () => {
    const evicted = pod({ phase: "Failed", extra: {} });
    evicted.status!.reason = "Evicted";
    evicted.status!.message = "The node was low on resource: memory.";
    expect(podAgentState(evicted, "agent").stoppedReason).to.equal("pod Failed (Evicted: The node was low on resource: memory.)");
    const done = pod({ phase: "Succeeded", status: { state: { terminated: { reason: "Completed", exitCode: 0 } } } });
    expect(podAgentState(done, "agent").stoppedReason).to.equal("Completed, exit code 0");
    const killedThenFailed = pod({ phase: "Failed", status: { state: { terminated: { reason: "OOMKilled", exitCode: 137 } } } });
    expect(podAgentState(killedThenFailed, "agent").stoppedReason, "as before the phase changed").to.equal("OOMKilled, exit code 137");
    expect(podAgentState(pod({ phase: "Unknown" }), "agent").stoppedReason).to.match(/^pod phase Unknown/);
    const deleting = pod({ status: running({ ready: true }) });
    deleting.metadata!.deletionTimestamp = new Date(LATER);
    expect(podAgentState(deleting, "agent")).to.deep.equal({ running: false, health: "none", stoppedReason: "pod is being deleted" });
  });
});

describe("kubernetes runtime: a failed exec says why", () => {
  it("keeps the message of the WebSocket's error event, an Error's, or else the whole value", () => {
    expect(describeExecError({ type: "error", message: "Unexpected server response: 403" })).to.equal("Unexpected server response: 403");
    expect(describeExecError({ error: { message: "connect ECONNREFUSED" } })).to.equal("connect ECONNREFUSED");
    expect(describeExecError(new Error("boom"))).to.equal("boom");
    expect(describeExecError({ code: 7 })).to.equal('{"code":7}');
  });
});

describe("kubernetes runtime: pod → workload", () => {
  it("reads the agent from the labels, the workspace claim from the spec, and offers kubectl exec into the agent container", () => {
    const w = workloadFromPod(pod({ status: running({ ready: true }) }));
    expect(w).to.deep.equal({
      ref: "claude-code-1",
      name: "claude-code-1",
      agentId: "claude-code-1",
      agentType: "claude-code",
      agentIndex: 1,
      authMode: "api_key",
      running: true,
      health: "none",
      stoppedReason: null,
      workspacePath: "pvc/workspace-claude-code-1",
      attachCommand: "kubectl -n llpm-dev exec -it claude-code-1 -c agent -- bash",
    });
  });

  it("takes a StatefulSet pod's id and index from the labels its controller adds (the fleet's template has neither)", () => {
    const p = pod({ status: running({ ready: true }) });
    const { [LABEL.agentId]: _id, [LABEL.agentIndex]: _index, ...shared } = p.metadata!.labels!;
    p.metadata!.name = "aider-2";
    p.metadata!.labels = { ...shared, [LABEL.agentType]: "aider", "statefulset.kubernetes.io/pod-name": "aider-2", "apps.kubernetes.io/pod-index": "2" };
    expect(workloadFromPod(p)).to.include({ ref: "aider-2", agentId: "aider-2", agentType: "aider", agentIndex: 2 });
  });

  it("ignores pods whose agent labels are missing or malformed", () => {
    const cases: Record<string, string>[] = [{ [LABEL.agentId]: "" }, { [LABEL.agentIndex]: "0" }, { [LABEL.agentIndex]: "one" }, { [LABEL.agentType]: "" }];
    for (const broken of cases) {
      const p = pod();
      p.metadata!.labels = { ...p.metadata!.labels, ...broken };
      expect(workloadFromPod(p), JSON.stringify(broken)).to.equal(null);
    }
  });

  it("selects the stack's agents by the same label keys the Docker runtime filters by", () => {
    expect(agentLabelSelector("dev")).to.equal(`${LABEL.stack}=dev,${LABEL.role}=${AGENT_ROLE}`);
  });
});

describe("kubernetes runtime: exec status → exit code", () => {
  it("Success is 0, NonZeroExitCode carries its code, anything else has none", () => {
    expect(exitCodeOfStatus({ status: "Success" })).to.equal(0);
    expect(exitCodeOfStatus({ status: "Failure", reason: "NonZeroExitCode", details: { causes: [{ reason: "ExitCode", message: "143" }] } })).to.equal(143);
    expect(exitCodeOfStatus({ status: "Failure", message: "container not found" })).to.equal(null);
    expect(exitCodeOfStatus(null)).to.equal(null);
  });
});

describe("kubernetes runtime: configuration", () => {
  const base = { BROKER_TOKEN: "0123456789abcdef", LLPM_STACK: "dev" };
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(os.tmpdir(), "llpmt-kcfg-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("defaults to Docker and takes Kubernetes settings only with LLPM_RUNTIME=kubernetes", () => {
    expect(loadConfig(base).runtime).to.deep.equal({ kind: "docker" });
    expect(loadConfig({ ...base, LLPM_RUNTIME: "kubernetes", LLPM_KUBERNETES_NAMESPACE: "llpm-dev", LLPM_KUBECONFIG: "/k" }).runtime).to.deep.equal({
      kind: "kubernetes",
      namespace: "llpm-dev",
      kubeconfig: "/k",
      context: null,
    });
    expect(() => loadConfig({ ...base, LLPM_KUBERNETES_NAMESPACE: "llpm-dev" })).to.throw(ConfigError, /LLPM_KUBERNETES_NAMESPACE: only used with LLPM_RUNTIME=kubernetes/);
  });

  it("names what is allowed for a bad runtime or namespace", () => {
    expect(() => loadConfig({ ...base, LLPM_RUNTIME: "nomad" })).to.throw(ConfigError, new RegExp(`LLPM_RUNTIME must be one of: ${RUNTIMES.join(", ")}`));
    expect(() => loadConfig({ ...base, LLPM_RUNTIME: "kubernetes", LLPM_KUBERNETES_NAMESPACE: "Bad_NS" })).to.throw(ConfigError, /LLPM_KUBERNETES_NAMESPACE must be a namespace name/);
    expect(() => loadConfig({ ...base, LLPM_RUNTIME: "kubernetes", LLPM_KUBERNETES_CONTEXT: "x" })).to.throw(ConfigError, /needs LLPM_KUBECONFIG/);
  });

  it("reaches the cluster from a kubeconfig file, or explains why it cannot", () => {
    const file = path.join(dir, "kubeconfig");
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "c", cluster: { server: "https://127.0.0.1:16443" } }],
        users: [{ name: "u", user: { token: "t" } }],
        contexts: [{ name: "ctx", context: { cluster: "c", user: "u" } }],
        "current-context": "ctx",
      }),
    );
    const target = kubernetesTarget({ namespace: "llpm-dev", kubeconfig: file, context: "ctx" }, dir);
    expect(target.namespace).to.equal("llpm-dev");
    expect(target.kc.getCurrentCluster()?.server).to.equal("https://127.0.0.1:16443");
    expect(() => kubernetesTarget({ namespace: "n", kubeconfig: file, context: "other" }, dir)).to.throw(ConfigError, /no context other in .* \(it has: ctx\)/);
    expect(() => kubernetesTarget({ namespace: "n", kubeconfig: path.join(dir, "none"), context: null }, dir)).to.throw(ConfigError, /LLPM_KUBECONFIG: no file at/);
    expect(() => kubernetesTarget({ namespace: null, kubeconfig: file, context: null }, dir)).to.throw(ConfigError, /LLPM_KUBERNETES_NAMESPACE is not set/);
    writeFileSync(path.join(dir, "namespace"), "llpm-team\n");
    expect(kubernetesTarget({ namespace: null, kubeconfig: file, context: null }, dir).namespace).to.equal("llpm-team");
    const saved = process.env.KUBERNETES_SERVICE_HOST;
    delete process.env.KUBERNETES_SERVICE_HOST;
    try {
      expect(() => kubernetesTarget({ namespace: "n", kubeconfig: null, context: null }, dir)).to.throw(ConfigError, /not running in a pod .* set LLPM_KUBECONFIG/);
    } finally {
      if (saved !== undefined) process.env.KUBERNETES_SERVICE_HOST = saved;
    }
  });
});
