// The environment the program gives each agent type in API-key mode (docs/agent-interface.md),
// pointed at the stub as if it were LiteLLM, plus a proxy that logs anything trying to leave.
import type { AgentType } from "./image-builds";

export const GATEWAY_URL = "http://litellm:4000";
const PROXY_URL = "http://litellm:3128";

export interface AgentProfile {
  model: string;
  key: string;
  env: Record<string, string>;
}

const common = (type: AgentType, model: string): Record<string, string> => ({
  LLPM_AGENT_ID: `${type}-1`,
  LLPM_AGENT_TYPE: type,
  LLPM_AGENT_INDEX: "1",
  LLPM_STACK: "test",
  LLPM_AUTH_MODE: "api_key",
  LLPM_BROKER_URL: "http://broker:3010",
  LLPM_AGENT_TOKEN: "agent-token-for-tests",
  LLPM_GATEWAY_URL: GATEWAY_URL,
  LLPM_MODEL: model,
  LLPM_CLI_OPTIONS: "[]",
  LLPM_JOB_TIMEOUT_SECONDS: "120",
  HTTPS_PROXY: PROXY_URL,
  HTTP_PROXY: PROXY_URL,
  https_proxy: PROXY_URL,
  http_proxy: PROXY_URL,
  NO_PROXY: "litellm,localhost,127.0.0.1",
  no_proxy: "litellm,localhost,127.0.0.1",
});

export function agentProfile(type: AgentType): AgentProfile {
  const key = `sk-llpm-test-${type}`;
  switch (type) {
    case "claude-code": {
      const model = "claude-sonnet-4-5";
      return { model, key, env: { ...common(type, model), ANTHROPIC_BASE_URL: GATEWAY_URL, ANTHROPIC_AUTH_TOKEN: key, ANTHROPIC_MODEL: model,
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1", DISABLE_AUTOUPDATER: "1", DISABLE_TELEMETRY: "1", DISABLE_ERROR_REPORTING: "1" } };
    }
    case "openai-codex": {
      const model = "gpt-5-codex";
      return { model, key, env: { ...common(type, model), OPENAI_API_KEY: key, CODEX_HOME: "/home/agent/.codex" } };
    }
    case "aider": {
      const model = "gpt-4o";
      return { model, key, env: { ...common(type, model), OPENAI_API_BASE: `${GATEWAY_URL}/v1`, OPENAI_API_KEY: key,
        AIDER_MODEL: `openai/${model}`, AIDER_ANALYTICS_DISABLE: "true", AIDER_CHECK_UPDATE: "false" } };
    }
    case "opencode": {
      const model = "gpt-4o";
      return { model, key, env: { ...common(type, model), LLPM_GATEWAY_KEY: key, OPENCODE_CONFIG: "/home/agent/.config/opencode/opencode.json",
        OPENCODE_DISABLE_AUTOUPDATE: "1", OPENCODE_DISABLE_MODELS_FETCH: "1", OPENCODE_DISABLE_DEFAULT_PLUGINS: "1",
        OPENCODE_DISABLE_LSP_DOWNLOAD: "1", OPENCODE_DISABLE_SHARE: "1" } };
    }
  }
}

/** The key a request carried, whichever header its API uses (Anthropic: x-api-key or Bearer; OpenAI: Bearer). */
export function keyHeaderValue(headers: Record<string, string>): string | undefined {
  return headers["x-api-key"] ?? headers.authorization?.replace(/^Bearer\s+/i, "");
}
