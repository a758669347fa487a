/**
 * The environment of the fleet's core services, split into plain values and the variables that
 * carry a secret: the Docker backend writes both into a container's (secret) env, the Kubernetes
 * backend puts the secret ones in a Secret and refers to it.
 */
import { PROVIDER_KEYS } from "../config/secretKeys";
import { GATEWAY_POLICY_PATH, LITELLM_ALIAS, POSTGRES_ALIAS, POSTGRES_PORT } from "./fleetServices";
import { BROKER_PORT, LITELLM_PORT } from "../contract/ports";

export const LITELLM_PLAIN_ENV: Record<string, string> = {
  LLPM_GATEWAY_POLICY_FILE: GATEWAY_POLICY_PATH,
  STORE_MODEL_IN_DB: "True",
  // The cost map ships in the image; fetching it at start is a needless outbound call.
  LITELLM_LOCAL_MODEL_COST_MAP: "True",
};

/** LiteLLM's secret variables, by the fleet secret each one carries. */
export const LITELLM_SECRET_ENV = {
  masterKey: "LITELLM_MASTER_KEY",
  gatewayKeySecret: "LLPM_GATEWAY_KEY_SECRET",
  saltKey: "LITELLM_SALT_KEY",
  databaseUrl: "DATABASE_URL",
} as const;

/** The provider keys the stack has, as LiteLLM's variable names (its config refers to them). */
export function litellmProviderEnv<T>(providerKeys: Record<string, T>): { name: string; value: T }[] {
  return PROVIDER_KEYS.filter((k) => providerKeys[k.configKey] !== undefined).map((k) => ({
    name: k.litellmEnv,
    value: providerKeys[k.configKey],
  }));
}

/** The broker's own state (its job database) lives in this folder, on a volume. */
export const BROKER_DATA_PATH = "/data";
export const BROKER_DB_PATH = `${BROKER_DATA_PATH}/broker.db`;
export const BROKER_TOKEN_ENV = "BROKER_TOKEN";
/** LiteLLM's per-agent spend is read from its /metrics with this key, good for nothing else. */
export const BROKER_USAGE_KEY_ENV = "BROKER_LITELLM_USAGE_KEY";

export function brokerPlainEnv(stack: string, jobTimeoutSeconds: number): Record<string, string> {
  return {
    LLPM_STACK: stack,
    BROKER_PORT: String(BROKER_PORT),
    BROKER_DB: BROKER_DB_PATH,
    // Inside its container the broker must listen beyond loopback for the published port to reach it.
    BROKER_HOST: "0.0.0.0",
    BROKER_JOB_TIMEOUT_SECONDS: String(jobTimeoutSeconds),
    BROKER_LITELLM_URL: `http://${LITELLM_ALIAS}:${LITELLM_PORT}`,
  };
}

/**
 * The broker's runtime on Kubernetes: LLPM_RUNTIME selects it, and the namespace it manages comes
 * from LLPM_KUBERNETES_NAMESPACE (the service account's namespace file says the same).
 */
export const BROKER_RUNTIME_ENV = "LLPM_RUNTIME";
export const BROKER_NAMESPACE_ENV = "LLPM_KUBERNETES_NAMESPACE";

export const POSTGRES_DATABASE = "litellm";
export const POSTGRES_USER = "litellm";
export const POSTGRES_PASSWORD_ENV = "POSTGRES_PASSWORD";
export const POSTGRES_PLAIN_ENV: Record<string, string> = { POSTGRES_USER, POSTGRES_DB: POSTGRES_DATABASE };

export function postgresDatabaseUrl(password: string): string {
  return `postgresql://${POSTGRES_USER}:${password}@${POSTGRES_ALIAS}:${POSTGRES_PORT}/${POSTGRES_DATABASE}`;
}
