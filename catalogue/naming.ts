/**
 * Names and labels every backend agrees on (docs/agent-interface.md, "Names, labels, mounts"). The broker finds
 * agents by these labels, never by parsing names, so label keys here are a contract.
 */
import { LABEL } from "../contract/labels";
import type { AgentType, AuthMode } from "./agentTypes";

export { LABEL };

/**
 * Where an agent finds its own credentials as files, one per variable (`ANTHROPIC_AUTH_TOKEN`,
 * `LLPM_AGENT_TOKEN`...), on backends whose pods of a type share one template (Kubernetes):
 * `llpm-run-job` adds them to a job's environment.
 */
export const AGENT_CREDENTIALS_PATH = "/run/llpm/credentials";
/** The variable that tells `llpm-run-job` where those files are; unset on Docker, where they are env. */
export const AGENT_CREDENTIALS_ENV = "LLPM_CREDENTIALS_DIR";

export type Role = "agent" | "broker" | "docker-filter" | "litellm" | "postgres" | "egress-proxy";

/** Instance numbers start at 1: `claude-code-1`. */
export function agentId(type: AgentType, index: number): string {
  return `${type}-${index}`;
}

/** `llpm-<stack>-<id>` for agents, `llpm-<stack>-<service>` for core services. */
export function containerName(stack: string, member: string): string {
  return `llpm-${stack}-${member}`;
}

/** The fleet's one network with a route out: the egress proxy, LiteLLM and the broker (its published port). */
export function networkName(stack: string): string {
  return `llpm-${stack}`;
}

/**
 * The fleet's internal networks (Docker's `internal: true`, no route out): `agents` holds the
 * agents and what they may reach (LiteLLM, the broker, the egress proxy); `backend` holds LiteLLM
 * and Postgres, so no agent can reach the database.
 */
export type InternalNetwork = "agents" | "backend";

export function internalNetworkName(stack: string, purpose: InternalNetwork): string {
  return `llpm-${stack}-${purpose}`;
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
