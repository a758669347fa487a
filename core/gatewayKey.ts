import { createHmac } from "node:crypto";

/**
 * An agent's LiteLLM key: `sk-llpm-<agentId>-<hex HMAC-SHA256(secret, "gateway:" + agentId)>`.
 * Derived, so LiteLLM's auth hook (gateway-auth/llpm_gateway_auth.py) checks it with the secret
 * alone: no per-agent table, and scaling never touches LiteLLM. The id is in clear so the hook
 * knows whose key it is; the MAC is what makes it unforgeable.
 */
export const GATEWAY_KEY_PREFIX = "sk-llpm-";
export const GATEWAY_KEY_CONTEXT = "gateway:";
/**
 * Where a CLI that sends its own provider credential (a subscription's OAuth token in
 * `Authorization`) puts its gateway key instead; LiteLLM reads the key from it first
 * (`general_settings.litellm_key_header_name`).
 */
export const GATEWAY_KEY_HEADER = "x-litellm-api-key";

export function gatewayKey(secret: string, agentId: string): string {
  const mac = createHmac("sha256", secret).update(`${GATEWAY_KEY_CONTEXT}${agentId}`).digest("hex");
  return `${GATEWAY_KEY_PREFIX}${agentId}-${mac}`;
}

/**
 * The broker's LiteLLM identity: it may read LiteLLM's `/metrics` (spend and tokens per agent key)
 * and nothing else, not a model route, not an admin route. Not `<type>-<n>`, so never an agent's id.
 */
export const USAGE_READER_ID = "usage-reader";
/** LiteLLM routes the usage reader's key is accepted on. */
export const USAGE_READER_ROUTE_PREFIXES = ["/metrics"];

export function usageReaderKey(secret: string): string {
  return gatewayKey(secret, USAGE_READER_ID);
}
