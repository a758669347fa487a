/**
 * The Docker labels the broker discovers agents by (DESIGN "Names, labels, mounts": a contract).
 * Dependency-free like auth/agentToken.ts, so the Pulumi program can import the same constants.
 */
export const LABEL = {
  stack: "llpm.stack",
  role: "llpm.role",
  agentId: "llpm.agent.id",
  agentType: "llpm.agent.type",
  agentIndex: "llpm.agent.index",
  authMode: "llpm.auth.mode",
} as const;

/** The `llpm.role` of the containers the broker runs jobs in. */
export const AGENT_ROLE = "agent";
