// The environment the program gives each agent type in API-key mode, taken from the program's own
// agentEnv so these tests prove what a deployed agent gets; LiteLLM's place is taken by the stub
// (same alias and port), and a proxy logs anything that tries to leave.
import { agentInstances } from "../../../catalogue/instances";
import { agentEnv } from "../../../core/agentEnv";
import { validateFleetConfig } from "../../../config/fleetConfig";
import type { AgentType } from "./image-builds";

const PROXY_URL = "http://litellm:3128";
const PROXY_ENV = {
  HTTPS_PROXY: PROXY_URL,
  HTTP_PROXY: PROXY_URL,
  https_proxy: PROXY_URL,
  http_proxy: PROXY_URL,
  NO_PROXY: "litellm,localhost,127.0.0.1",
  no_proxy: "litellm,localhost,127.0.0.1",
};

const config = validateFleetConfig({ jobTimeoutSeconds: 120 }, "test", {
  env: {},
  homeDir: "/home/tester",
  readFile: () => undefined,
});

export interface AgentProfile {
  model: string;
  key: string;
  env: Record<string, string>;
}

export function agentProfile(type: AgentType): AgentProfile {
  const key = `sk-llpm-test-${type}`;
  const [agent] = agentInstances(config, type);
  const env = agentEnv(config, agent, { gatewayKey: key, agentToken: "agent-token-for-tests" });
  return { model: config.models.agents[type], key, env: { ...env, ...PROXY_ENV } };
}

/** The key a request carried, whichever header its API uses (Anthropic: x-api-key or Bearer; OpenAI: Bearer). */
export function keyHeaderValue(headers: Record<string, string>): string | undefined {
  return headers["x-api-key"] ?? headers.authorization?.replace(/^Bearer\s+/i, "");
}
