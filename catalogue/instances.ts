/** The agent instances a config asks for, with every name derived from the naming rules. */
import * as path from "node:path";
import type { FleetConfig } from "../config/fleetConfig";
import { AGENT_TYPES, type AgentType } from "./agentTypes";
import { agentId, containerName } from "./naming";

export interface AgentInstance {
  id: string;
  type: AgentType;
  /** From 1; resource names are built from it, so instances keep their identity when counts change. */
  index: number;
  containerName: string;
  workspacePath: string;
}

/** Instance `index` of a type, whether or not the config counts that far. */
export function agentInstance(config: FleetConfig, type: AgentType, index: number): AgentInstance {
  const id = agentId(type, index);
  return {
    id,
    type,
    index,
    containerName: containerName(config.stack, id),
    workspacePath: path.join(config.workspaceRoot, id),
  };
}

export function agentInstances(config: FleetConfig, type: AgentType): AgentInstance[] {
  return Array.from({ length: config.agents[type] }, (_, i) => agentInstance(config, type, i + 1));
}

export function allAgentInstances(config: FleetConfig): AgentInstance[] {
  return AGENT_TYPES.flatMap((t) => agentInstances(config, t));
}
