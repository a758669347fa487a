import type { AgentRegistry } from "../agents/agentRegistry";
import type { Job } from "./jobTypes";

const NOT_AUTHENTICATED = "is not authenticated (subscription mode: run signal-authenticated after logging in)";

/** Why one agent cannot take a job now, or null when it could. */
function whyNot(registry: AgentRegistry, agentId: string, maxJobsPerAgent: number): string | null {
  const w = registry.workload(agentId);
  if (!w) return "has no container";
  if (!w.running) return `is stopped${w.stoppedReason ? ` (${w.stoppedReason})` : ""}`;
  if (w.health === "starting") return "is starting";
  if (w.health === "unhealthy") return "is unhealthy";
  if (!registry.isAuthenticated(agentId)) return NOT_AUTHENTICATED;
  if (registry.runningCount(agentId) >= maxJobsPerAgent) return "is busy";
  return null;
}

/**
 * What a queued job waits for, in words a user can act on: the one agent it is pinned to (or
 * its type's only agent) and what keeps it, all agents of its type busy, or each one's reason.
 */
export function waitReason(registry: AgentRegistry, job: Job, maxJobsPerAgent: number): string {
  if (job.agentId) return `waiting: agent ${job.agentId} ${whyNot(registry, job.agentId, maxJobsPerAgent) ?? "is taking another queued job first"}`;
  const agents = registry.agentsOfType(job.agentType);
  if (agents.length === 0) return `waiting: no ${job.agentType} agent is running`;
  const reasons = agents.map((w) => ({ id: w.agentId, why: whyNot(registry, w.agentId, maxJobsPerAgent) ?? "is taking another queued job first" }));
  if (reasons.length === 1) return `waiting: agent ${reasons[0].id} ${reasons[0].why}`;
  if (reasons.every((r) => r.why === reasons[0].why)) return `waiting: all ${reasons.length} ${job.agentType} agents ${reasons[0].why.replace(/^is /, "are ")}`;
  return `waiting: no free ${job.agentType} agent: ${reasons.map((r) => `${r.id} ${r.why}`).join("; ")}`;
}
