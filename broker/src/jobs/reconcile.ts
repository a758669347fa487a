import type { Logger } from "pino";
import type { AgentRegistry } from "../agents/agentRegistry";
import type { AgentRuntime } from "../runtime/runtime";
import type { JobStore } from "../store/jobStore";
import type { BrokerBus } from "../events/bus";
import type { JobRunner } from "./jobRunner";
import type { Outcome } from "./jobTypes";

export interface ReconcileDeps {
  store: JobStore;
  registry: AgentRegistry;
  runtime: AgentRuntime;
  runner: JobRunner;
  bus: BrokerBus;
  log: Logger;
}

/**
 * After a restart, every job the database still calls running is either followed again (its
 * process lives on in the container) or finished with the reason its process cannot be found.
 */
export async function reconcileRunningJobs(deps: ReconcileDeps): Promise<void> {
  const { store, registry, runtime, runner, bus, log } = deps;
  for (const job of store.inState("running")) {
    const workload = job.agentId ? registry.workload(job.agentId) : null;
    const gone = (reason: string) => {
      const outcome: Outcome = { state: "failed", exitCode: null, reason: `broker restarted while running; ${reason}` };
      store.finish(job.id, outcome, null);
      bus.emit("jobEvent", job.id, store.appendEvent(job.id, "log", "broker", `[llpm-broker] failed: ${outcome.reason}\n`));
      bus.emit("jobEvent", job.id, store.appendEvent(job.id, "state", null, "failed"));
      log.warn({ jobId: job.id, reason: outcome.reason }, "running job reconciled");
    };
    if (!workload) {
      gone("its agent container no longer exists");
      continue;
    }
    if (!job.execId) {
      gone("its process had not started");
      continue;
    }
    const status = await runtime.inspectExec(job.execId).catch(() => null);
    if (!status) {
      gone("process gone");
      continue;
    }
    log.info({ jobId: job.id, running: status.running }, "adopting job from before the restart");
    runner.adopt(job, workload).catch((err) => log.error({ err, jobId: job.id }, "adopted job crashed"));
  }
}
