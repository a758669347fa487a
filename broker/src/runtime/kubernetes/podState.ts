import type { V1ContainerStateTerminated, V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import type { AgentWorkload } from "../runtime";

export type PodAgentState = Pick<AgentWorkload, "running" | "health" | "stoppedReason">;

/** Waiting reasons of a container that is being made, not one that failed. */
const COMING_UP = new Set(["ContainerCreating", "PodInitializing"]);

const starting: PodAgentState = { running: true, health: "starting", stoppedReason: null };
const stopped = (reason: string): PodAgentState => ({ running: false, health: "none", stoppedReason: reason });

function terminated(t: V1ContainerStateTerminated): string {
  const signal = t.signal ? `, signal ${t.signal}` : "";
  const message = t.message?.trim() ? `: ${t.message.trim()}` : "";
  return `${t.reason ?? "Terminated"}, exit code ${t.exitCode}${signal}${message}`;
}

function lastExit(status: V1ContainerStatus): string {
  const last = status.lastState?.terminated;
  return last ? `; last exit: ${terminated(last)}` : "";
}

/**
 * A running container's health from its readiness probe, as Docker's healthcheck would say it:
 * no probe is "none"; not ready since it (re)started is "starting"; not ready after having been
 * ready (the Ready condition changed after the container started) is "unhealthy".
 */
function runningHealth(pod: V1Pod, status: V1ContainerStatus, hasProbe: boolean): PodAgentState {
  if (!hasProbe) return { running: true, health: "none", stoppedReason: null };
  if (status.ready) return { running: true, health: "healthy", stoppedReason: null };
  if (status.started === false) return starting;
  const readySince = pod.status?.conditions?.find((c) => c.type === "Ready")?.lastTransitionTime;
  const startedAt = status.state?.running?.startedAt;
  const wentUnready = readySince && startedAt && new Date(readySince).getTime() > new Date(startedAt).getTime();
  return wentUnready ? { running: true, health: "unhealthy", stoppedReason: null } : starting;
}

/**
 * Maps a pod's phase and its agent container's state to what the broker knows of an agent:
 * whether it runs (or is coming up), its health, and why it is not running (OOMKilled,
 * CrashLoopBackOff, ImagePullBackOff, Unschedulable, evicted, deleted...).
 */
export function podAgentState(pod: V1Pod, container: string): PodAgentState {
  const phase = pod.status?.phase ?? "Pending";
  const status = pod.status?.containerStatuses?.find((c) => c.name === container);
  if (pod.metadata?.deletionTimestamp) return stopped(`pod is being deleted${status?.state?.terminated ? ` (${terminated(status.state.terminated)})` : ""}`);
  if (phase === "Succeeded" || phase === "Failed") {
    const why = [pod.status?.reason, pod.status?.message?.trim()].filter(Boolean).join(": ");
    // The container's own end reads the same before and after the phase catches up with it.
    const exit = status?.state?.terminated ? terminated(status.state.terminated) : null;
    if (exit) return stopped(`${exit}${why ? ` (pod ${why})` : ""}`);
    return stopped(`pod ${phase}${why ? ` (${why})` : ""}`);
  }
  if (phase === "Unknown") return stopped("pod phase Unknown: its node stopped reporting");
  if (!status) {
    const scheduled = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
    if (scheduled?.status === "False") return stopped(`not scheduled: ${scheduled.reason ?? "Unschedulable"}${scheduled.message ? `: ${scheduled.message}` : ""}`);
    return starting;
  }
  const state = status.state ?? {};
  if (state.running) {
    const hasProbe = Boolean(pod.spec?.containers.find((c) => c.name === container)?.readinessProbe);
    return runningHealth(pod, status, hasProbe);
  }
  if (state.waiting) {
    const reason = state.waiting.reason ?? "Waiting";
    if (COMING_UP.has(reason) && !status.lastState?.terminated) return starting;
    const message = state.waiting.message?.trim() ? `: ${state.waiting.message.trim()}` : "";
    return stopped(`${reason}${message}${lastExit(status)}`);
  }
  if (state.terminated) return stopped(terminated(state.terminated));
  return starting;
}
