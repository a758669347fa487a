/** The security settings and resource shapes every pod of the fleet shares on Kubernetes. */
import type * as k8s from "@pulumi/kubernetes";
import type { AgentResources } from "../../config/defaults";
import type { HostUser } from "../../config/hostUser";

type SecurityContext = k8s.types.input.core.v1.SecurityContext;
type PodSecurityContext = k8s.types.input.core.v1.PodSecurityContext;
type Resources = k8s.types.input.core.v1.ResourceRequirements;

/** No capabilities unless listed, no privilege gain through setuid. */
export function restrictedContainer(keepCapabilities: string[] = []): SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: ["ALL"], ...(keepCapabilities.length > 0 ? { add: keepCapabilities } : {}) },
  };
}

const RUNTIME_DEFAULT_SECCOMP = { type: "RuntimeDefault" };

/** A pod whose containers all run as `user`; fsGroup gives it provisioned volumes (hostPath ignores it). */
export function nonRootPod(user: HostUser): PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: user.uid,
    runAsGroup: user.gid,
    fsGroup: user.gid,
    seccompProfile: RUNTIME_DEFAULT_SECCOMP,
  };
}

/** A pod whose image starts as root and drops to its own user (Postgres, LiteLLM's official image). */
export function imageUserPod(): PodSecurityContext {
  return { seccompProfile: RUNTIME_DEFAULT_SECCOMP };
}

/** Requests equal to the limits: the scheduler reserves what an agent may use (Guaranteed QoS). */
export function agentResources(resources: AgentResources): Resources {
  const amounts = { memory: `${resources.memoryMb}Mi`, cpu: `${Math.round(resources.cpus * 1000)}m` };
  return { limits: amounts, requests: amounts };
}

/** Core services: a memory limit as on Docker, and a small CPU request so they schedule beside the agents. */
export function serviceResources(memoryMb: number): Resources {
  return { limits: { memory: `${memoryMb}Mi` }, requests: { memory: `${memoryMb}Mi`, cpu: "100m" } };
}
