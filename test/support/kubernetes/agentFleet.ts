/**
 * Agent pods of the broker's fake agent image (test/broker/fixtures/agent-image) in a namespace of
 * their own on the real cluster, labelled like the program's agents and hardened like them.
 * `cleanup` deletes the namespace and everything in it.
 */
import { CoreV1Api, type KubeConfig, type V1Pod } from "@kubernetes/client-node";
import Docker from "dockerode";
import { randomBytes } from "node:crypto";
import { AGENT_ROLE, LABEL } from "../../../contract/labels";
import type { AgentFleet, AgentPlacement, StartAgentOptions } from "../../broker/support/agentFleet";
import { ensureAgentImage } from "../../broker/support/agentImage";
import { waitFor } from "../waitFor";
import { CLUSTER_SETUP_TIMEOUT_MS, execInPod, exitCode, kubeConfigFrom, loadImages, startCluster, waitForNamespaceGone } from "./cluster";

/** The fake agent image's user (its base's `node`). */
const AGENT_UID = 1000;
/** The agent's container: first in the pod, as the runtime expects. */
export const AGENT_CONTAINER = "agent";
/** The agent's main process runs under a shell that records its pid, so a test can SIGKILL it (pid 1 cannot be). */
const MAIN_PID_FILE = "/tmp/llpm-main.pid";

/** Small by default: the node has 2 cores, and with only limits set the requests equal them. */
const DEFAULT_CPU_LIMIT = "250m";

type PodOptions = StartAgentOptions & {
  stack?: string;
  cpuLimit?: string;
  /** Requests below the limits (without them the requests equal the limits), so that hundreds of pods fit on the node. */
  requests?: { cpu: string; memory: string };
};

export class KubernetesAgentFleet implements AgentFleet {
  readonly runtime = "kubernetes";
  readonly killedReason = "Error, exit code 137";
  /** On a fresh machine the cluster's toolchain builds first. */
  readonly setupTimeoutMs = CLUSTER_SETUP_TIMEOUT_MS;
  readonly namespace = `llpmt-krt-${randomBytes(3).toString("hex")}`;
  /** The stack label's value; the namespace holds only this test's pods, plus decoys it makes. */
  readonly stack = this.namespace;
  kubeconfigPath = "";
  kc!: KubeConfig;
  core!: CoreV1Api;
  private image = "";

  /** Starts (or reuses) the cluster, then the three steps below: public for a caller that starts the cluster itself and times each. */
  async prepare(): Promise<void> {
    this.connect(await startCluster());
    await this.loadAgentImage();
    await this.createNamespace();
  }

  connect(kubeconfigPath: string): void {
    this.kubeconfigPath = kubeconfigPath;
    this.kc = kubeConfigFrom(kubeconfigPath);
    this.core = this.kc.makeApiClient(CoreV1Api);
  }

  /** Builds the fake agent image when missing and loads it into the cluster; resolves with what load-image.sh logged. */
  async loadAgentImage(): Promise<string> {
    this.image = await ensureAgentImage(new Docker());
    return loadImages(this.image);
  }

  async createNamespace(): Promise<void> {
    await this.core.createNamespace({ body: { metadata: { name: this.namespace, labels: { "llpm-test": "broker-runtime" } } } });
    // The ServiceAccount admission refuses pods until the namespace's default account exists.
    await waitFor("default service account", () => this.core.readNamespacedServiceAccount({ namespace: this.namespace, name: "default" }), 30000);
  }

  /** A hardened agent pod: non-root, no capabilities, no privilege escalation, read-only root, limits. */
  agentPod(type: string, index: number, opts: PodOptions = {}): V1Pod {
    const id = `${type}-${index}`;
    const stack = opts.stack ?? this.stack;
    return {
      metadata: {
        name: id,
        labels: {
          [LABEL.stack]: stack,
          [LABEL.role]: AGENT_ROLE,
          [LABEL.agentId]: id,
          [LABEL.agentType]: type,
          [LABEL.agentIndex]: String(index),
          [LABEL.authMode]: opts.authMode ?? "api_key",
        },
      },
      spec: {
        terminationGracePeriodSeconds: 1,
        // A killed agent stays stopped, as a Docker container without a restart policy does.
        restartPolicy: "Never",
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        securityContext: {
          runAsNonRoot: true,
          runAsUser: AGENT_UID,
          runAsGroup: AGENT_UID,
          fsGroup: AGENT_UID,
          seccompProfile: { type: "RuntimeDefault" },
        },
        containers: [
          {
            name: AGENT_CONTAINER,
            image: this.image,
            imagePullPolicy: "Never",
            command: ["sh", "-c", `sleep infinity & echo $! > ${MAIN_PID_FILE}; wait $!`],
            env: [
              { name: "LLPM_AGENT_ID", value: id },
              { name: "LLPM_AGENT_TYPE", value: type },
              { name: "LLPM_STACK", value: stack },
            ],
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
            // The image's HEALTHCHECK, which Kubernetes ignores, as a readiness probe.
            ...(opts.noHealthcheck ? {} : { readinessProbe: { exec: { command: ["llpm-healthcheck"] }, periodSeconds: 1, failureThreshold: 1 } }),
            resources: { limits: { memory: "128Mi", cpu: opts.cpuLimit ?? DEFAULT_CPU_LIMIT }, ...(opts.requests ? { requests: opts.requests } : {}) },
            // The read-only root leaves these writable: the workspace and the supervisor's job files.
            volumeMounts: [
              { name: "workspace", mountPath: "/workspace" },
              { name: "tmp", mountPath: "/tmp" },
            ],
          },
        ],
        volumes: [
          { name: "workspace", emptyDir: {} },
          { name: "tmp", emptyDir: {} },
        ],
      },
    };
  }

  /** Creates the agent's pod and waits until it is ready. */
  async startAgent(type: string, index: number, opts: PodOptions = {}): Promise<V1Pod> {
    return this.podReady(await this.createAgent(type, index, opts));
  }

  /** Creates the agent's pod without waiting for it; resolves with the pod's name. */
  async createAgent(type: string, index: number, opts: PodOptions = {}): Promise<string> {
    const pod = await this.core.createNamespacedPod({ namespace: this.namespace, body: this.agentPod(type, index, opts) });
    return pod.metadata!.name!;
  }

  /** Resolves once the pod's readiness probe passes; a timeout says why it is not ready. */
  podReady(name: string, timeoutMs = 120000): Promise<V1Pod> {
    return waitFor(
      `pod ${name} ready`,
      async () => {
        const pod = await this.core.readNamespacedPod({ namespace: this.namespace, name });
        const conditions = pod.status?.conditions ?? [];
        if (conditions.some((c) => c.type === "Ready" && c.status === "True")) return pod;
        const waiting = pod.status?.containerStatuses?.map((c) => c.state?.waiting?.reason).filter(Boolean);
        throw new Error(conditions.filter((c) => c.status !== "True").map((c) => `${c.type}: ${c.reason ?? ""} ${c.message ?? ""}`).join("; ") + ` ${waiting?.join(",") ?? ""}`);
      },
      timeoutMs,
    );
  }

  async deletePod(name: string, gracePeriodSeconds = 0): Promise<void> {
    await this.core.deleteNamespacedPod({ namespace: this.namespace, name, gracePeriodSeconds });
  }

  async killAgent(agentId: string): Promise<void> {
    await this.exec(agentId, ["sh", "-c", `kill -KILL "$(cat ${MAIN_PID_FILE})"`]);
  }

  async removeAgent(agentId: string): Promise<void> {
    await this.deletePod(agentId);
  }

  async exec(agentId: string, cmd: string[]): Promise<string> {
    const r = await execInPod(this.kc, this.namespace, agentId, AGENT_CONTAINER, cmd);
    const code = exitCode(r.status);
    if (code !== 0) throw new Error(`${cmd.join(" ")} in ${agentId} exited with ${code}: ${r.stderr}`);
    return r.stdout;
  }

  readWorkspaceFile(agentId: string, file: string): Promise<string> {
    return this.exec(agentId, ["cat", `/workspace/${file}`]);
  }

  brokerEnv(): Record<string, string> {
    return { LLPM_RUNTIME: "kubernetes", LLPM_KUBECONFIG: this.kubeconfigPath, LLPM_KUBERNETES_NAMESPACE: this.namespace };
  }

  placement(agentId: string): AgentPlacement {
    return {
      source: "kubernetes",
      container: agentId,
      workspacePath: null,
      attachCommand: `kubectl -n ${this.namespace} exec -it ${agentId} -c ${AGENT_CONTAINER} -- bash`,
    };
  }

  /** `timeoutMs`: how long to wait for the namespace to be gone (its pods are deleted first; hundreds take minutes). */
  async cleanup(timeoutMs?: number): Promise<void> {
    if (!this.core) return;
    await this.core.deleteNamespace({ name: this.namespace }).catch(() => undefined);
    await waitForNamespaceGone(this.core, this.namespace, timeoutMs).catch(() => undefined);
  }
}
