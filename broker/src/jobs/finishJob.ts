import type { Logger } from "pino";
import type { BrokerBus } from "../events/bus";
import type { JobStore } from "../store/jobStore";
import { JobLog } from "./jobLog";
import type { Outcome } from "./jobTypes";

export interface FinishDeps {
  store: JobStore;
  bus: BrokerBus;
  log: Logger;
  logCapBytes: number;
}

/**
 * The one way a job reaches its final state, whoever decides it (runner, scheduler, restart
 * reconciliation): recorded once, its reason in its log, its state event for `/jobs/:id/events`,
 * its change for `/events` and the metrics (both listen to the bus's `job`), and one log line.
 * Returns false, doing nothing, when the job had already finished.
 */
export function finishJob(deps: FinishDeps, jobId: string, outcome: Outcome, result: string | null = null, jobLog?: JobLog): boolean {
  const { store, bus, log } = deps;
  const before = store.get(jobId);
  if (!before || !store.finish(jobId, outcome, result)) return false;
  if (outcome.reason) (jobLog ?? new JobLog(store, bus, jobId, deps.logCapBytes, before)).note(`${outcome.state}: ${outcome.reason}`);
  bus.emit("jobEvent", jobId, store.appendEvent(jobId, "state", null, outcome.state));
  const job = store.get(jobId)!;
  bus.emit("job", job);
  log.info({ jobId, agentId: job.agentId, state: job.state, exitCode: job.exitCode, reason: job.reason }, "job finished");
  return true;
}
