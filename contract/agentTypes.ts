/** The agent types the fleet runs; the catalogue (`catalogue/agentTypes.ts`) says how. */
export const AGENT_TYPES = ["claude-code", "openai-codex", "aider", "opencode"] as const;
export type AgentType = (typeof AGENT_TYPES)[number];

export const AUTH_MODES = ["api_key", "subscription"] as const;
export type AuthMode = (typeof AUTH_MODES)[number];
