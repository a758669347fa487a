/**
 * LiteLLM's config file, generated from the stack config. It holds no secret: every key is an
 * `os.environ/NAME` reference resolved inside the container from env that Pulumi keeps secret.
 */
import { stringify } from "yaml";
import type { FleetConfig } from "../config/fleetConfig";
import { PROVIDER_KEYS } from "../config/secretKeys";
import { GATEWAY_KEY_HEADER } from "./gatewayKey";

/** The auth hook's module (core/gateway-auth/<name>.py), uploaded beside the config. */
export const GATEWAY_AUTH_MODULE = "llpm_gateway_auth";

function providerOf(model: string): string {
  return model.slice(0, model.indexOf("/"));
}

/** `configuredKeys`: config keys of the provider keys the stack has (only those get an api_key line). */
export function litellmConfigYaml(config: FleetConfig, configuredKeys: string[]): string {
  const modelList = config.models.list.map((entry) => {
    const key = PROVIDER_KEYS.find((k) => k.provider === providerOf(entry.model) && configuredKeys.includes(k.configKey));
    const apiBase = config.litellm.upstream[entry.name]?.apiBase;
    return {
      model_name: entry.name,
      litellm_params: {
        model: entry.model,
        ...(key ? { api_key: `os.environ/${key.litellmEnv}` } : {}),
        ...(apiBase ? { api_base: apiBase } : {}),
      },
    };
  });
  const fallbacks = Object.entries(config.litellm.fallbacks).map(([model, to]) => ({ [model]: to }));
  return stringify({
    model_list: modelList,
    litellm_settings: {
      drop_params: true,
      // LiteLLM's own count of spend and tokens per key (labels `user` = agent id), in memory, no
      // database needed; /metrics answers only keys the hook accepts there (the broker's usage reader).
      callbacks: ["prometheus"],
      require_auth_for_metrics_endpoint: true,
      ...(config.litellm.cache ? { cache: true, cache_params: { type: "local" } } : {}),
      ...(fallbacks.length > 0 ? { fallbacks } : {}),
    },
    general_settings: {
      master_key: "os.environ/LITELLM_MASTER_KEY",
      // Every key goes through the hook: agent keys (model routes only, with their limits) and the master key.
      custom_auth: `${GATEWAY_AUTH_MODULE}.user_api_key_auth`,
      litellm_key_header_name: GATEWAY_KEY_HEADER,
      database_url: "os.environ/DATABASE_URL",
      store_model_in_db: true,
    },
  });
}
