import type { AuthMode } from "../../../contract/agentTypes";
import type { RuntimeKind } from "../runtime/runtime";

export const AGENT_STATES = ["starting", "ready", "busy", "unhealthy", "stopped"] as const;
export type AgentState = (typeof AGENT_STATES)[number];

/** What the API and dashboard show for one agent. */
export interface AgentView {
  id: string;
  type: string;
  index: number | null;
  /** The runtime that discovered it, or "external": registered through the compatibility routes. */
  source: RuntimeKind | "external";
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
