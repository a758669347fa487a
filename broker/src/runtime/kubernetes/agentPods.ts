import type { V1Pod } from "@kubernetes/client-node";
import { AGENT_ROLE, LABEL } from "../../../../contract/labels";

/**
 * Which pods of the broker's namespace are the stack's agents: the same labels the Docker runtime
 * filters containers by, within the one namespace the broker is given.
 */
export function agentLabelSelector(stack: string): string {
  return `${LABEL.stack}=${stack},${LABEL.role}=${AGENT_ROLE}`;
}

/**
 * The container an agent's commands run in: the pod's first one. Sidecars (an egress proxy, say)
 * come after it or are init containers, so they are never picked.
 */
export function agentContainer(pod: V1Pod): string | null {
  return pod.spec?.containers?.[0]?.name ?? null;
}
