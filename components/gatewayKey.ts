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
