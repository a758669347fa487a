import type { Logger } from "pino";
import type { AgentRegistry } from "../agents/agentRegistry";
import type { JobStore } from "../store/jobStore";
import type { BrokerBus } from "../events/bus";
import { finishJob } from "./finishJob";
import type { JobRunner } from "./jobRunner";

export interface ReconcileDeps {
  store: JobStore;
  registry: AgentRegistry;
  runner: JobRunner;
  bus: BrokerBus;
  log: Logger;
  logCapBytes: number;
}

/**
 * After a restart, every job the database still calls running is re-attached to (its supervisor
 * lives on in the agent and kept its output), or finished when its agent is gone or stopped.
 */
export function reconcileRunningJobs(deps: ReconcileDeps): void {
  const { store, registry, runner, log } = deps;
  for (const job of store.inState("running")) {
    const workload = job.agentId ? registry.workload(job.agentId) : null;
    const gone = (why: string) =>
      finishJob(deps, job.id, { state: "failed", exitCode: null, reason: `broker restarted while running; ${why}` });
    if (!workload) {
      gone("its agent container no longer exists");
      continue;
    }
    if (!workload.running) {
      gone(`agent container stopped mid-job: ${workload.stoppedReason ?? "not running"}`);
      continue;
    }
    log.info({ jobId: job.id, agentId: job.agentId, fromOffset: job.outputOffset }, "re-attaching to a job from before the restart");
    runner.adopt(job, workload).catch((err) => log.error({ err, jobId: job.id }, "adopted job crashed"));
  }
}
