import type Docker from "dockerode";
import { LABEL } from "../../../../contract/labels";
import type { AgentWorkload, HealthStatus } from "../runtime";
import { WORKSPACE_DIR } from "../../../../contract/workspace";

function healthOf(state: Docker.ContainerInspectInfo["State"]): HealthStatus {
  const status = state.Health?.Status;
  return status === "starting" || status === "healthy" || status === "unhealthy" ? status : "none";
}

function stoppedReason(state: Docker.ContainerInspectInfo["State"]): string | null {
  if (state.Running) return null;
  const oom = state.OOMKilled ? " (OOM killed)" : "";
  const err = state.Error ? `: ${state.Error}` : "";
  return `container ${state.Status} with exit code ${state.ExitCode}${oom}${err}`;
}

/**
 * Maps `docker inspect` to an agent workload using only labels and mounts (never the name, per
 * the design), or null when a label the broker needs is missing or malformed.
 */
export function workloadFromContainer(info: Docker.ContainerInspectInfo): AgentWorkload | null {
  const labels = info.Config?.Labels ?? {};
  const agentId = labels[LABEL.agentId];
  const agentType = labels[LABEL.agentType];
  const agentIndex = Number(labels[LABEL.agentIndex]);
  const authMode = labels[LABEL.authMode] === "subscription" ? "subscription" : "api_key";
  if (!agentId || !agentType || !Number.isInteger(agentIndex) || agentIndex < 1) return null;
  const name = info.Name.replace(/^\//, "");
  const workspace = info.Mounts?.find((m) => m.Destination === WORKSPACE_DIR);
  return {
    ref: info.Id,
    name,
    agentId,
    agentType,
    agentIndex,
    authMode,
    running: info.State.Running && !info.State.Paused,
    health: healthOf(info.State),
    stoppedReason: stoppedReason(info.State),
    workspacePath: workspace?.Source ?? null,
    attachCommand: `docker exec -it ${name} bash`,
  };
}
