import type { HealthStatus } from "../runtime/runtime";
import type { AgentState } from "./agentView";

/** Unhealthy or stopped outranks busy: a job on a failing container is the agent's lesser news. */
export function deriveAgentState(input: { running: boolean; health: HealthStatus; busy: boolean }): AgentState {
  if (!input.running) return "stopped";
  if (input.health === "starting") return "starting";
  if (input.health === "unhealthy") return "unhealthy";
  return input.busy ? "busy" : "ready";
}

/** Agents outside Docker are alive only as long as they keep sending heartbeats. */
export function externalAgentState(lastHeartbeat: string, now: number, staleAfterMs: number): AgentState {
  return now - Date.parse(lastHeartbeat) <= staleAfterMs ? "ready" : "stopped";
}
