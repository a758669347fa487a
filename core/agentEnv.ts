/** The environment of one agent container, exactly as docs/agent-interface.md fixes it. */
import { AGENT_CATALOGUE } from "../catalogue/agentTypes";
import type { AgentInstance } from "../catalogue/instances";
import type { FleetConfig } from "../config/fleetConfig";
import { BROKER_ALIAS, EGRESS_PROXY_URL, LITELLM_ALIAS } from "./fleetServices";
import { BROKER_PORT, LITELLM_PORT } from "../contract/ports";
import { GATEWAY_KEY_HEADER } from "./gatewayKey";

export const GATEWAY_URL = `http://${LITELLM_ALIAS}:${LITELLM_PORT}`;
export const BROKER_URL = `http://${BROKER_ALIAS}:${BROKER_PORT}`;

/** Reached directly on the agents network, never through the proxy. */
export const NO_PROXY_HOSTS = [LITELLM_ALIAS, BROKER_ALIAS, "localhost", "127.0.0.1"];

/**
 * The egress proxy for every CLI and toolchain, in both spellings: libcurl (git, cargo) reads only
 * the lower-case `http_proxy`, most others either. Without a proxy (`egress.mode: none`) nothing
 * is set: there is no way out to point at.
 */
export function proxyEnv(config: FleetConfig): Record<string, string> {
  if (config.egress.mode === "none") return {};
  const noProxy = NO_PROXY_HOSTS.join(",");
  return {
    HTTP_PROXY: EGRESS_PROXY_URL,
    HTTPS_PROXY: EGRESS_PROXY_URL,
    http_proxy: EGRESS_PROXY_URL,
    https_proxy: EGRESS_PROXY_URL,
    NO_PROXY: noProxy,
    no_proxy: noProxy,
  };
}

export interface AgentSecretValues {
  /** This agent's own LiteLLM key (core/gatewayKey.ts); in subscription mode only in a CLI's extra headers. */
  gatewayKey: string;
  /** The agent's own broker token (broker/src/auth/agentToken.ts). */
  agentToken: string;
}

export function agentEnv(config: FleetConfig, agent: AgentInstance, secrets: AgentSecretValues): Record<string, string> {
  const entry = AGENT_CATALOGUE[agent.type];
  const model = config.models.agents[agent.type];
  const ctx = { gatewayUrl: GATEWAY_URL, model };
  const common = {
    LLPM_AGENT_ID: agent.id,
    LLPM_AGENT_TYPE: agent.type,
    LLPM_AGENT_INDEX: String(agent.index),
    LLPM_STACK: config.stack,
    LLPM_AUTH_MODE: config.authMode,
    LLPM_BROKER_URL: BROKER_URL,
    LLPM_AGENT_TOKEN: secrets.agentToken,
    LLPM_GATEWAY_URL: GATEWAY_URL,
    LLPM_MODEL: model,
    LLPM_CLI_OPTIONS: JSON.stringify(config.cliOptions[agent.type]),
    ...proxyEnv(config),
  };
  if (config.authMode === "subscription") {
    if (!entry.subscription) throw new Error(`${agent.type} has no subscription mode (config validation should have refused it)`);
    const { extraHeadersVariable } = entry.subscription;
    const keyHeader = extraHeadersVariable ? { [extraHeadersVariable]: `${GATEWAY_KEY_HEADER}: Bearer ${secrets.gatewayKey}` } : {};
    return { ...common, ...entry.subscription.env(ctx), ...keyHeader };
  }
  return { ...common, ...entry.apiKey.env(ctx), [entry.apiKey.keyVariable]: secrets.gatewayKey };
}
