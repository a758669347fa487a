/**
 * Names and labels every backend agrees on (DESIGN "Names, labels, mounts"). The broker finds
 * agents by these labels, never by parsing names, so label keys here are a contract.
 */
import { LABEL } from "../broker/src/agents/labels";
import type { AgentType, AuthMode } from "./agentTypes";

export { LABEL };

export type Role = "agent" | "broker" | "docker-filter" | "litellm" | "postgres";

/** Instance numbers start at 1: `claude-code-1`. */
export function agentId(type: AgentType, index: number): string {
  return `${type}-${index}`;
}

/** `llpm-<stack>-<id>` for agents, `llpm-<stack>-<service>` for core services. */
export function containerName(stack: string, member: string): string {
  return `llpm-${stack}-${member}`;
}

export function networkName(stack: string): string {
  return `llpm-${stack}`;
}

export function volumeName(stack: string, purpose: string): string {
  return `llpm-${stack}-${purpose}`;
}

/** Local image repository for one of the fleet's own images, e.g. `llpm-dev/claude-code`. */
export function imageRepository(stack: string, image: string): string {
  return `llpm-${stack}/${image}`;
}

export function coreLabels(stack: string, role: Role): Record<string, string> {
  return { [LABEL.stack]: stack, [LABEL.role]: role };
}

export function agentLabels(stack: string, type: AgentType, index: number, authMode: AuthMode): Record<string, string> {
  return {
    ...coreLabels(stack, "agent"),
    [LABEL.agentId]: agentId(type, index),
    [LABEL.agentType]: type,
    [LABEL.agentIndex]: String(index),
    [LABEL.authMode]: authMode,
  };
}
