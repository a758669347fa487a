/**
 * The policy file LiteLLM's auth hook reads (no secret in it): how agent keys are made, the limits
 * per agent type, and the routes an agent key may use. Everything else needs the master key.
 */
import { AGENT_TYPES } from "../catalogue/agentTypes";
import type { FleetConfig } from "../config/fleetConfig";
import { GATEWAY_KEY_CONTEXT, GATEWAY_KEY_PREFIX, USAGE_READER_ID, USAGE_READER_ROUTE_PREFIXES } from "./gatewayKey";

/**
 * The model routes (with and without LiteLLM's `/v1` prefix) and the provider pass-throughs:
 * all a CLI calls. Admin and management routes (`/key/*`, `/model/*`, `/user/*`, `/config/*`,
 * `/spend/*`, `/ui` ...) are not here, so an agent key gets 403 on them.
 */
export const AGENT_ROUTE_PREFIXES = [
  "/v1/chat/completions",
  "/chat/completions",
  "/v1/completions",
  "/completions",
  "/v1/messages",
  "/v1/responses",
  "/responses",
  "/v1/embeddings",
  "/embeddings",
  "/v1/models",
  "/models",
  "/anthropic/",
  "/openai/",
];

export interface GatewayPolicy {
  keyPrefix: string;
  keyContext: string;
  agentRoutePrefixes: string[];
  usageReader: { id: string; routePrefixes: string[] };
  limits: Record<string, { rpm: number; tpm: number; parallelRequests: number; budgetUsd: number | null }>;
}

export function gatewayPolicy(config: FleetConfig): GatewayPolicy {
  return {
    keyPrefix: GATEWAY_KEY_PREFIX,
    keyContext: GATEWAY_KEY_CONTEXT,
    agentRoutePrefixes: AGENT_ROUTE_PREFIXES,
    usageReader: { id: USAGE_READER_ID, routePrefixes: USAGE_READER_ROUTE_PREFIXES },
    limits: Object.fromEntries(
      AGENT_TYPES.map((t) => {
        const l = config.limits[t];
        return [t, { rpm: l.rpm, tpm: l.tpm, parallelRequests: l.parallelRequests, budgetUsd: l.budgetUsd ?? null }];
      }),
    ),
  };
}

export function gatewayPolicyJson(config: FleetConfig): string {
  return `${JSON.stringify(gatewayPolicy(config), null, 2)}\n`;
}
