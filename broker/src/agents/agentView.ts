import type { AuthMode } from "../../../contract/agentTypes";

export const AGENT_STATES = ["starting", "ready", "busy", "unhealthy", "stopped"] as const;
export type AgentState = (typeof AGENT_STATES)[number];

/** What the API and dashboard show for one agent. */
export interface AgentView {
  id: string;
  type: string;
  index: number | null;
  source: "docker" | "external";
  container: string | null;
  state: AgentState;
  authMode: AuthMode;
  authenticated: boolean;
  currentJobIds: string[];
  workspacePath: string | null;
  attachCommand: string | null;
  stoppedReason: string | null;
  lastHeartbeat: string | null;
}
