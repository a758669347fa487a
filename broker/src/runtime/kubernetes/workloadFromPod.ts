import type { V1Pod } from "@kubernetes/client-node";
import { LABEL } from "../../agents/labels";
import type { AgentWorkload } from "../runtime";
import { agentContainer } from "./agentPods";
import { podAgentState } from "./podState";

/** Where the workspace lives, as kubectl names it: the claim mounted at /workspace, if one is. */
function workspaceOf(pod: V1Pod, container: string): string | null {
  const mount = pod.spec?.containers.find((c) => c.name === container)?.volumeMounts?.find((m) => m.mountPath === "/workspace");
  const claim = pod.spec?.volumes?.find((v) => v.name === mount?.name)?.persistentVolumeClaim?.claimName;
  return claim ? `pvc/${claim}` : null;
}

/**
 * Maps a pod to an agent workload using only its labels and spec (never its name, as with Docker),
 * or null when a label the broker needs is missing or malformed. The pod's name is its ref: exec
 * addresses pods by name, and a StatefulSet gives a replaced pod the same one.
 */
export function workloadFromPod(pod: V1Pod): AgentWorkload | null {
  const labels = pod.metadata?.labels ?? {};
  const name = pod.metadata?.name;
  const namespace = pod.metadata?.namespace;
  const container = agentContainer(pod);
  const agentId = labels[LABEL.agentId];
  const agentType = labels[LABEL.agentType];
  const agentIndex = Number(labels[LABEL.agentIndex]);
  const authMode = labels[LABEL.authMode] === "subscription" ? "subscription" : "api_key";
  if (!name || !namespace || !container || !agentId || !agentType || !Number.isInteger(agentIndex) || agentIndex < 1) return null;
  return {
    ref: name,
    name,
    agentId,
    agentType,
    agentIndex,
    authMode,
    ...podAgentState(pod, container),
    workspacePath: workspaceOf(pod, container),
    attachCommand: `kubectl -n ${namespace} exec -it ${name} -c ${container} -- bash`,
  };
}
