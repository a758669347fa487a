/**
 * Where the fleet's services are reached from inside the fleet, whatever the backend: the Docker
 * network aliases and the Kubernetes Service names are these same names, so an agent's environment
 * (core/agentEnv.ts) is identical on both. Also the files LiteLLM reads inside its container.
 */
import * as path from "node:path";
import { EGRESS_PROXY_PORT } from "../contract/ports";
import { GATEWAY_AUTH_MODULE } from "./litellmConfig";

export const BROKER_ALIAS = "broker";
/** The `node` user of the official Node image the broker's image is built on. */
export const BROKER_USER = { uid: 1000, gid: 1000 };
export const LITELLM_ALIAS = "litellm";
export const EGRESS_PROXY_ALIAS = "egress-proxy";
export const EGRESS_PROXY_URL = `http://${EGRESS_PROXY_ALIAS}:${EGRESS_PROXY_PORT}`;
export const POSTGRES_ALIAS = "postgres";
export const POSTGRES_PORT = 5432;

/** What the Postgres image's entrypoint needs as root to prepare its data folder before it drops to `postgres`. */
export const POSTGRES_ENTRYPOINT_CAPABILITIES = ["CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"];
export const POSTGRES_DATA_PATH = "/var/lib/postgresql/data";

export const LITELLM_CONFIG_PATH = "/app/config.yaml";
/** Beside the config, in LiteLLM's working directory, where `custom_auth` finds the module. */
export const GATEWAY_AUTH_MODULE_PATH = `/app/${GATEWAY_AUTH_MODULE}.py`;
export const GATEWAY_POLICY_PATH = "/app/llpm_gateway_policy.json";
export const GATEWAY_AUTH_SOURCE = path.join(__dirname, "gateway-auth", `${GATEWAY_AUTH_MODULE}.py`);
