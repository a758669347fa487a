import type { Logger } from "pino";
import type { AgentRegistry } from "../agents/agentRegistry";
import type { BrokerBus } from "../events/bus";
import type { AgentWorkload } from "../runtime/runtime";
import type { JobStore, NewJob } from "../store/jobStore";
import type { JobRunner } from "./jobRunner";
import { finishJob } from "./finishJob";
import type { Job } from "./jobTypes";
import { waitReason } from "./waitReason";

export interface SchedulerDeps {
  store: JobStore;
  registry: AgentRegistry;
  runner: JobRunner;
  bus: BrokerBus;
  log: Logger;
  maxJobsPerAgent: number;
  logCapBytes: number;
}

/**
 * One FIFO over all queued jobs, in submission order. A job pinned to an agent waits for that
 * agent; a job for a type takes the lowest-index free agent of the type. Either way no agent runs
 * more than `maxJobsPerAgent` at once.
 */
export class Scheduler {
  private queue: Job[] = [];

  constructor(private readonly deps: SchedulerDeps) {
    deps.runner.onFinished = () => this.pump();
    deps.registry.onCapacity = () => this.pump();
    // Any agent change (busy, unhealthy, logged in) may change why a queued job waits.
    deps.bus.on("agent", () => this.explainWaits());
  }

  /** Reloads the queue from the database: jobs queued before a restart run in their old order. */
  start(): void {
    this.queue = this.deps.store.inState("queued");
    this.pump();
  }

  submit(input: NewJob): Job {
    const job = this.deps.store.create(input);
    this.queue.push(job);
    this.deps.bus.emit("job", job);
    this.pump();
    return this.deps.store.get(job.id)!;
  }

  /** Cancels a queued or running job; returns false when it had already finished. */
  cancel(jobId: string): boolean {
    const index = this.queue.findIndex((j) => j.id === jobId);
    if (index >= 0) {
      this.queue.splice(index, 1);
      finishJob(this.deps, jobId, { state: "cancelled", exitCode: null, reason: "cancelled while queued" });
      return true;
    }
    if (!this.deps.runner.isActive(jobId)) return false;
    this.deps.runner.cancel(jobId);
    return true;
  }

  queueDepth(): number {
    return this.queue.length;
  }

  queueDepthByType(): Record<string, number> {
    const depth: Record<string, number> = {};
    for (const job of this.queue) depth[job.agentType] = (depth[job.agentType] ?? 0) + 1;
    return depth;
  }

  queuedFor(agentId: string, agentType: string): number {
    return this.queue.filter((j) => j.agentId === agentId || (j.agentId === null && j.agentType === agentType)).length;
  }

  pump(): void {
    for (let i = 0; i < this.queue.length; ) {
      const job = this.queue[i];
      const agent = this.pick(job);
      if (!agent) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      if (!this.deps.store.start(job.id, agent.agentId)) continue;
      const started = this.deps.store.get(job.id)!;
      this.deps.runner.run(started, agent).catch((err) => this.deps.log.error({ err, jobId: job.id }, "job runner crashed"));
    }
    this.explainWaits();
  }

  /** Records in each queued job's `reason` why it waits, announcing the ones that changed. */
  private explainWaits(): void {
    // Jobs waiting for the same agent or type wait for the same reason: worked out once per call,
    // and written only when it changed, so a long queue costs no query per agent event.
    const reasons = new Map<string, string>();
    for (const job of [...this.queue]) {
      const key = job.agentId ? `agent:${job.agentId}` : `type:${job.agentType}`;
      const reason = reasons.get(key) ?? waitReason(this.deps.registry, job, this.deps.maxJobsPerAgent);
      reasons.set(key, reason);
      if (job.reason === reason) continue;
      job.reason = reason;
      if (!this.deps.store.setQueuedReason(job.id, reason)) continue;
      const now = this.deps.store.get(job.id);
      if (now) this.deps.bus.emit("job", now);
    }
  }

  private pick(job: Job): AgentWorkload | null {
    const { registry, maxJobsPerAgent } = this.deps;
    const candidates = job.agentId ? [registry.workload(job.agentId)] : registry.agentsOfType(job.agentType);
    return (
      candidates.find((w): w is AgentWorkload => !!w && registry.canRun(w.agentId) && registry.runningCount(w.agentId) < maxJobsPerAgent) ??
      null
    );
  }
}
