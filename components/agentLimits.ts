/** Resource limits of agent containers. */
import type { AgentResources } from "../config/defaults";

export function agentLimits(resources: AgentResources, processLimit: number) {
  return {
    memory: resources.memoryMb,
    // Equal to memory: no swap on top, so the limit is a real limit.
    memorySwap: resources.memoryMb,
    cpus: String(resources.cpus),
    ulimits: [{ name: "nproc", soft: processLimit, hard: processLimit }],
  };
}
