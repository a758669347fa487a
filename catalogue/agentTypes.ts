/**
 * The agent-type catalogue: everything the fleet knows about each coding-agent CLI, free of any
 * container-runtime specifics so another backend (Kubernetes) can reuse it. Adding an agent type
 * is one entry here plus one image folder `images/<type>/`.
 */

import { AGENT_TYPES, AUTH_MODES, type AgentType, type AuthMode } from "../contract/agentTypes";

export { AGENT_TYPES, AUTH_MODES, type AgentType, type AuthMode };

/** What an entry needs to know to produce its environment; URLs are as seen from inside the fleet. */
export interface AgentEnvContext {
  gatewayUrl: string;
  model: string;
}

export interface AgentTypeEntry {
  /** Folder under `images/` holding the type's Dockerfile. */
  imageFolder: string;
  /** The CLI binary the image installs (its healthcheck looks for it). */
  cliBinary: string;
  /** LiteLLM model name used when the stack config names none. */
  defaultModel: string;
  apiKey: {
    /** The variable that carries the gateway key; kept apart so the program can treat it as a secret. */
    keyVariable: string;
    env(ctx: AgentEnvContext): Record<string, string>;
  };
  /** Present only for CLIs that can log in with the user's own subscription. */
  subscription?: {
    env(ctx: AgentEnvContext): Record<string, string>;
    /**
     * The variable through which the CLI sends extra headers: the agent's gateway key goes there,
     * since its own credential takes `Authorization`. Without it the CLI does not talk to LiteLLM.
     */
    extraHeadersVariable?: string;
    /**
     * Provider hosts the CLI itself must reach in this mode (its login's token endpoint; Codex also
     * its model backend, since it does not go through LiteLLM then). The egress proxy allows them
     * only in subscription mode and only for agent types the stack runs; `egress.allow` may not
     * name them (config/crossChecks.ts).
     */
    egressHosts: string[];
    /**
     * The port of the CLI's browser-login callback server, which listens on the agent's own
     * loopback only: a cluster reaches it with `kubectl port-forward` (no Service, no
     * NetworkPolicy involved); on Docker nothing can, so that backend uses the device code.
     */
    loginCallbackPort?: number;
  };
}

const CLAUDE_QUIET = {
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
  DISABLE_AUTOUPDATER: "1",
  DISABLE_TELEMETRY: "1",
  DISABLE_ERROR_REPORTING: "1",
};

const CODEX_HOME = { CODEX_HOME: "/home/agent/.codex" };

export const AGENT_CATALOGUE: Record<AgentType, AgentTypeEntry> = {
  "claude-code": {
    imageFolder: "claude-code",
    cliBinary: "claude",
    defaultModel: "claude-sonnet-4-5",
    apiKey: {
      keyVariable: "ANTHROPIC_AUTH_TOKEN",
      env: ({ gatewayUrl, model }) => ({ ANTHROPIC_BASE_URL: gatewayUrl, ANTHROPIC_MODEL: model, ...CLAUDE_QUIET }),
    },
    subscription: {
      // LiteLLM's Anthropic pass-through: the CLI's own OAuth token goes upstream untouched.
      env: ({ gatewayUrl }) => ({ ANTHROPIC_BASE_URL: `${gatewayUrl}/anthropic`, ...CLAUDE_QUIET }),
      extraHeadersVariable: "ANTHROPIC_CUSTOM_HEADERS",
      // The OAuth token endpoint (login, `claude setup-token`, refresh); the browser does the rest.
      egressHosts: ["platform.claude.com"],
    },
  },
  "openai-codex": {
    imageFolder: "openai-codex",
    cliBinary: "codex",
    // One the pinned Codex has metadata for: with any other it adds an "error" event to every run.
    defaultModel: "gpt-5.5",
    apiKey: {
      keyVariable: "OPENAI_API_KEY",
      // The entrypoint writes config.toml from LLPM_GATEWAY_URL/LLPM_MODEL: Codex ignores OPENAI_BASE_URL.
      env: () => ({ ...CODEX_HOME }),
    },
    subscription: {
      env: () => ({ ...CODEX_HOME }),
      // Login (either flow) and token refresh; then the ChatGPT backend, its model path in this mode.
      egressHosts: ["auth.openai.com", "chatgpt.com"],
      loginCallbackPort: 1455,
    },
  },
  aider: {
    imageFolder: "aider",
    cliBinary: "aider",
    defaultModel: "gpt-5",
    apiKey: {
      keyVariable: "OPENAI_API_KEY",
      env: ({ gatewayUrl, model }) => ({
        OPENAI_API_BASE: `${gatewayUrl}/v1`,
        AIDER_MODEL: `openai/${model}`,
        AIDER_ANALYTICS_DISABLE: "true",
        AIDER_CHECK_UPDATE: "false",
      }),
    },
  },
  opencode: {
    imageFolder: "opencode",
    cliBinary: "opencode",
    defaultModel: "claude-sonnet-4-5",
    apiKey: {
      keyVariable: "LLPM_GATEWAY_KEY",
      env: () => ({
        OPENCODE_CONFIG: "/home/agent/.config/opencode/opencode.json",
        OPENCODE_DISABLE_AUTOUPDATE: "1",
        OPENCODE_DISABLE_MODELS_FETCH: "1",
        OPENCODE_DISABLE_DEFAULT_PLUGINS: "1",
        OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
        OPENCODE_DISABLE_SHARE: "1",
      }),
    },
  },
};

export function typesWithSubscription(): AgentType[] {
  return AGENT_TYPES.filter((t) => AGENT_CATALOGUE[t].subscription !== undefined);
}
