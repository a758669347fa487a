/** Resource limits of agent containers. */
import type { AgentResources } from "../../config/defaults";
import { canonicalCpus, memoryWithoutSwap } from "./providerReadBack";

export function agentLimits(resources: AgentResources, processLimit: number) {
  return {
    // No swap on top, so the limit is a real limit.
    ...memoryWithoutSwap(resources.memoryMb),
    cpus: canonicalCpus(resources.cpus),
    ulimits: [{ name: "nproc", soft: processLimit, hard: processLimit }],
  };
}
