import type { V1Pod } from "@kubernetes/client-node";
import { LABEL } from "../../../../contract/labels";
import { WORKSPACE_DIR } from "../../../../contract/workspace";
import type { AgentWorkload } from "../runtime";
import { agentContainer } from "./agentPods";
import { podAgentState } from "./podState";

/** Where the workspace lives, as kubectl names it: the claim mounted at /workspace, if one is. */
function workspaceOf(pod: V1Pod, container: string): string | null {
  const mount = pod.spec?.containers.find((c) => c.name === container)?.volumeMounts?.find((m) => m.mountPath === WORKSPACE_DIR);
  const claim = pod.spec?.volumes?.find((v) => v.name === mount?.name)?.persistentVolumeClaim?.claimName;
  return claim ? `pvc/${claim}` : null;
}

/**
 * Labels the StatefulSet controller puts on each of its pods. The fleet's StatefulSets share one
 * pod template per type, which cannot carry a per-pod id or index, so those come from here; their
 * ordinals start at 1, so the pod is named after its instance id and its index is the ordinal.
 */
const STATEFULSET_POD_NAME = "statefulset.kubernetes.io/pod-name";
const STATEFULSET_POD_INDEX = "apps.kubernetes.io/pod-index";

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
  const agentId = labels[LABEL.agentId] || labels[STATEFULSET_POD_NAME];
  const agentType = labels[LABEL.agentType];
  const agentIndex = Number(labels[LABEL.agentIndex] || labels[STATEFULSET_POD_INDEX]);
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
