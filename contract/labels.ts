/**
 * The Docker labels the broker discovers agents by (docs/agent-interface.md, "Names, labels, mounts").
 * On Kubernetes the same keys are the pods' labels.
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
