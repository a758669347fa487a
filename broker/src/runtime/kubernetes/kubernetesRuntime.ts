import { CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { AgentWorkload, WorkloadChange } from "../runtime";
import { ExecAgentRuntime, type ExecSinks, type RunningExec } from "../execAgentRuntime";
import { agentContainer, agentLabelSelector } from "./agentPods";
import { PodExec } from "./podExec";
import { WATCH_TIMEOUT_SECONDS, watchPods } from "./podWatch";
import { workloadFromPod } from "./workloadFromPod";

/** How long a lost exec stream waits for the pod's status to report its container's end. */
const STATUS_WAIT_MS = 10000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const discard = { stdout: () => {}, stderr: () => {} };

function isNotFound(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: number }).code === 404;
}

/**
 * Agents as pods of one namespace, found by the stack's labels and reached through the API's exec.
 * It needs only namespaced rights: pods get, list and watch; pods/exec create.
 */
export class KubernetesRuntime extends ExecAgentRuntime {
  readonly kind = "kubernetes";
  private readonly core: CoreV1Api;
  private readonly podExec: PodExec;
  private readonly selector: string;
  /** Each pod's agent container, so an exec needs no read of the pod first. */
  private readonly containers = new Map<string, string>();

  constructor(
    private readonly kc: KubeConfig,
    private readonly namespace: string,
    stack: string,
    log: Logger,
    private readonly watchTimeoutSeconds = WATCH_TIMEOUT_SECONDS,
  ) {
    super(log);
    this.core = kc.makeApiClient(CoreV1Api);
    this.podExec = new PodExec(kc, namespace);
    this.selector = agentLabelSelector(stack);
  }

  async discover(): Promise<AgentWorkload[]> {
    const list = await this.core.listNamespacedPod({ namespace: this.namespace, labelSelector: this.selector });
    return list.items.map((pod) => this.remember(pod)).filter((w): w is AgentWorkload => w !== null);
  }

  async inspect(ref: string): Promise<AgentWorkload | null> {
    try {
      return this.remember(await this.core.readNamespacedPod({ namespace: this.namespace, name: ref }));
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  watch(onChange: (change: WorkloadChange) => void): () => void {
    return watchPods(
      this.kc,
      this.namespace,
      this.selector,
      this.log,
      ({ type, pod }) => {
        const ref = pod.metadata?.name;
        if (!ref) return;
        const workload = type === "DELETED" ? null : this.remember(pod);
        onChange(workload ? { kind: "upsert", workload } : { kind: "remove", ref });
      },
      this.watchTimeoutSeconds,
    );
  }

  protected async exec(ref: string, cmd: string[], stdin: string | undefined, sinks: ExecSinks): Promise<RunningExec> {
    let container = this.containers.get(ref);
    if (!container) {
      const found = await this.inspect(ref);
      container = found ? this.containers.get(ref) : undefined;
      if (!container) throw new Error(`no agent pod ${ref} in namespace ${this.namespace}`);
    }
    const run = await this.podExec.run(ref, container, cmd, stdin, sinks);
    let detached = false;
    return {
      // A signal death (137 when the container is killed) can be the exec's own, not the job's.
      done: run.done.then((code) => ((code === null || code >= 128) && !detached ? this.settleStatus(ref, container).then(() => code) : code)),
      detach: () => {
        detached = true;
        run.detach();
      },
    };
  }

  /**
   * A stream that ended without an exit status, or with a signal's, may mean the container died,
   * which the pod's status reports only a second or two later (the kubelet's next relist). A probe
   * exec tells at once; if the container is gone, waiting for the status lets `inspect` give the
   * reason (OOMKilled...).
   */
  private async settleStatus(ref: string, container: string): Promise<void> {
    const probe = await this.podExec.run(ref, container, ["true"], undefined, discard).then((r) => r.done, () => null);
    if (probe === 0) return;
    const deadline = Date.now() + STATUS_WAIT_MS;
    while (Date.now() < deadline) {
      const now = await this.inspect(ref).catch(() => undefined);
      if (now === null || (now && !now.running)) break;
      await sleep(250);
    }
  }

  private remember(pod: Parameters<typeof workloadFromPod>[0]): AgentWorkload | null {
    const workload = workloadFromPod(pod);
    const container = agentContainer(pod);
    if (workload && container) this.containers.set(workload.ref, container);
    return workload;
  }
}
