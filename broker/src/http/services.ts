import type { AgentRegistry } from "../agents/agentRegistry";
import type { AgentView } from "../agents/agentView";
import type { BrokerConfig } from "../config";
import type { BrokerBus } from "../events/bus";
import type { Job } from "../jobs/jobTypes";
import type { Scheduler } from "../jobs/scheduler";
import type { AgentRuntime } from "../runtime/runtime";
import type { AgentStore } from "../store/agentStore";
import type { JobStore } from "../store/jobStore";
import { HttpError } from "./errors";

/** What route modules may use; they never touch Docker or SQLite directly. */
export interface Services {
  config: BrokerConfig;
  registry: AgentRegistry;
  scheduler: Scheduler;
  jobs: JobStore;
  agents: AgentStore;
  bus: BrokerBus;
  /** Only for commands of the agent interface that read a workspace (llpm-job-diff). */
  runtime: AgentRuntime;
}

export function agentBody(s: Services, view: AgentView) {
  return { ...view, queuedJobs: s.scheduler.queuedFor(view.id, view.type), usage: s.jobs.agentUsage(view.id) };
}

/** Jobs as the API shows them: where the broker resumes the job's output is its own business. */
export function jobBody(job: Job) {
  const { outputOffset: _outputOffset, ...rest } = job;
  return rest;
}

export function requireAgent(s: Services, id: string): AgentView {
  const view = s.registry.view(id);
  if (!view) throw new HttpError(404, "agent_not_found", `no agent '${id}' in stack '${s.config.stack}'; GET /agents lists them`);
  return view;
}

export function requireJob(s: Services, id: string): Job {
  const job = s.jobs.get(id);
  if (!job) throw new HttpError(404, "job_not_found", `no job '${id}'`);
  return job;
}
