/**
 * An agent's environment (core/agentEnv.ts) split for a StatefulSet, whose pod template is
 * the same for every instance of a type: what differs per pod is either its identity (from the
 * downward API) or one of its own credentials (files, see agentCredentials.ts).
 */
import { agentToken } from "../../contract/agentToken";
import type { AgentType } from "../../catalogue/agentTypes";
import { agentInstance } from "../../catalogue/instances";
import type { FleetConfig } from "../../config/fleetConfig";
import { agentEnv } from "../../core/agentEnv";
import { gatewayKey } from "../../core/gatewayKey";
import { POD_INDEX_LABEL } from "./objectNames";

/** Per-pod identity, read from the pod itself: its name is the agent id, its ordinal the index. */
export const POD_IDENTITY_ENV: Record<string, string> = {
  LLPM_AGENT_ID: "metadata.name",
  LLPM_AGENT_INDEX: `metadata.labels['${POD_INDEX_LABEL}']`,
};

// Marks where a secret lands in the env, so the variables carrying one are found, not listed by hand.
const MARK = { gatewayKey: "\u0000llpm-gateway-key\u0000", agentToken: "\u0000llpm-agent-token\u0000" };

export interface AgentTemplateEnv {
  /** The same for every instance of the type. */
  plain: Record<string, string>;
  /** Variables whose value is one of the instance's own secrets. */
  credentialVariables: string[];
}

export function agentTemplateEnv(config: FleetConfig, type: AgentType): AgentTemplateEnv {
  const marked = agentEnv(config, agentInstance(config, type, 1), MARK);
  const plain: Record<string, string> = {};
  const credentialVariables: string[] = [];
  for (const [name, value] of Object.entries(marked)) {
    if (name in POD_IDENTITY_ENV) continue;
    if (value.includes(MARK.gatewayKey) || value.includes(MARK.agentToken)) credentialVariables.push(name);
    else plain[name] = value;
  }
  return { plain, credentialVariables: credentialVariables.sort() };
}

/** The values of instance `index`'s credential variables. */
export function agentCredentials(
  config: FleetConfig,
  type: AgentType,
  index: number,
  secrets: { gatewayKeySecret: string; brokerToken: string },
): Record<string, string> {
  const agent = agentInstance(config, type, index);
  const env = agentEnv(config, agent, {
    gatewayKey: gatewayKey(secrets.gatewayKeySecret, agent.id),
    agentToken: agentToken(secrets.brokerToken, agent.id),
  });
  return Object.fromEntries(agentTemplateEnv(config, type).credentialVariables.map((name) => [name, env[name]]));
}
