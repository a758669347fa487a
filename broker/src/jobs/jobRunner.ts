import type { Logger } from "pino";
import type { AgentRegistry } from "../agents/agentRegistry";
import type { BrokerBus } from "../events/bus";
import { parserFor } from "../parsers";
import type { ParsedResult } from "../parsers/parsedResult";
import type { AgentRuntime, AgentWorkload, JobOutput, JobStream } from "../runtime/runtime";
import type { JobStore } from "../store/jobStore";
import { finishJob } from "./finishJob";
import { JobLog } from "./jobLog";
import { JobTimeline } from "./jobTimeline";
import type { Job, Outcome } from "./jobTypes";
import { decideOutcome } from "./outcome";

/** Time past the job timeout before the broker stops trusting llpm-run-job's own timeout. */
const DEADLINE_GRACE_SECONDS = 15;
/** Cancel must end a job within 5 s: llpm-cancel-job escalates to KILL after 2 s, this is the backstop. */
const STOP_BACKSTOP_MS = 4000;

interface ActiveJob {
  job: Job;
  workload: AgentWorkload;
  log: JobLog;
  timeline: JobTimeline;
  stream: JobStream | null;
  cancelRequested: boolean;
  deadlinePassed: boolean;
  /** Set when the job was picked up again after a broker restart. */
  adopted: boolean;
  settled: boolean;
}

export interface RunnerDeps {
  runtime: AgentRuntime;
  store: JobStore;
  registry: AgentRegistry;
  bus: BrokerBus;
  log: Logger;
  logCapBytes: number;
}

/** Runs jobs inside agent workloads and records how each one ended, exactly once. */
export class JobRunner {
  private readonly active = new Map<string, ActiveJob>();
  /** Called after every finished job, so the scheduler can start the next one. */
  onFinished: () => void = () => {};

  constructor(private readonly deps: RunnerDeps) {}

  isActive(jobId: string): boolean {
    return this.active.has(jobId);
  }

  /** Starts a job already claimed in the store; the agent counts as busy from the first line on. */
  async run(job: Job, workload: AgentWorkload): Promise<void> {
    const active = this.track(job, workload, false);
    const spec = { jobId: job.id, timeoutSeconds: job.timeoutSeconds, prompt: job.prompt, branch: job.branch };
    await this.stream(active, "start llpm-run-job", () => this.deps.runtime.startJob(workload.ref, spec, this.output(active)));
  }

  /**
   * Picks up a job that was running when the broker stopped: its supervisor kept running in the
   * agent, so the broker re-attaches where its stored output ends and follows it to its real end.
   */
  async adopt(job: Job, workload: AgentWorkload): Promise<void> {
    const active = this.track(job, workload, true);
    active.log.note(`broker restarted while this job ran; re-attached at byte ${job.outputOffset} of its output`);
    await this.stream(active, "re-attach to the job", () =>
      this.deps.runtime.attachJob(workload.ref, job.id, job.outputOffset, this.output(active)),
    );
  }

  /**
   * Lets go of every running job without recording an end: their processes keep running in the
   * agents and the next broker process re-attaches to them, exactly as after a crash.
   */
  detachAll(): void {
    for (const active of this.active.values()) {
      active.settled = true;
      active.stream?.detach();
    }
    this.active.clear();
  }

  cancel(jobId: string): void {
    const active = this.active.get(jobId);
    if (!active || active.cancelRequested) return;
    active.cancelRequested = true;
    this.deps.store.requestCancel(jobId);
    active.log.note("cancel requested");
    if (active.stream) this.stop(active);
  }

  private track(job: Job, workload: AgentWorkload, adopted: boolean): ActiveJob {
    const log = new JobLog(this.deps.store, this.deps.bus, job.id, this.deps.logCapBytes, job);
    const active: ActiveJob = {
      job,
      workload,
      log,
      timeline: new JobTimeline(this.deps.store, this.deps.bus, job),
      stream: null,
      cancelRequested: job.cancelRequested,
      deadlinePassed: false,
      adopted,
      settled: false,
    };
    this.active.set(job.id, active);
    this.deps.registry.jobStarted(workload.agentId, job.id);
    if (!adopted) this.deps.bus.emit("jobEvent", job.id, this.deps.store.appendEvent(job.id, "state", null, "running"));
    this.announce(job.id);
    return active;
  }

  /** Each chunk is stored together with the offset past it, so a re-attach neither repeats nor skips. */
  private output(active: ActiveJob): JobOutput {
    return {
      onOutput: (stream, chunk, offset) => {
        if (active.settled) return;
        this.deps.store.atomically(() => {
          active.log.write(stream, chunk);
          if (stream === "stdout") active.timeline.write(chunk);
          this.deps.store.setOutputOffset(active.job.id, offset);
        });
      },
    };
  }

  private async stream(active: ActiveJob, what: string, open: () => Promise<JobStream>): Promise<void> {
    try {
      active.stream = await open();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return this.settle(active, { state: "failed", exitCode: null, reason: `could not ${what}: ${message}` });
    }
    if (active.cancelRequested) this.stop(active);
    await this.follow(active);
  }

  private async follow(active: ActiveJob): Promise<void> {
    // From the job's start, not this process's: an adopted job keeps its original deadline.
    const startedAt = Date.parse(active.job.startedAt ?? new Date().toISOString());
    const deadlineMs = startedAt + (active.job.timeoutSeconds + DEADLINE_GRACE_SECONDS) * 1000 - Date.now();
    const deadline = setTimeout(() => {
      active.deadlinePassed = true;
      this.stop(active);
    }, Math.max(0, deadlineMs));
    const end = await active.stream!.done;
    clearTimeout(deadline);
    if (active.settled) return;
    active.log.flush();
    const parsed = parserFor(active.job.agentType)(active.log.stdout());
    const outcome = decideOutcome({
      exitCode: end.exitCode,
      endNotSeen: end.reason,
      cancelRequested: active.cancelRequested,
      brokerDeadlinePassed: active.deadlinePassed,
      containerStopped:
        end.exitCode === 0 || active.cancelRequested || active.deadlinePassed
          ? null
          : await this.containerStopped(active.workload.ref, end.exitCode),
      cliReportedError: parsed.isError,
    });
    this.settle(active, outcome, parsed);
  }

  /** Cancels the job in the agent; if it still has not ended shortly after, stops waiting for it. */
  private stop(active: ActiveJob): void {
    // One call is enough: llpm-cancel-job marks a job whose start has not reached the agent yet.
    void this.deps.runtime
      .cancelJob(active.workload.ref, active.job.id)
      .catch((err) => this.deps.log.warn({ err, jobId: active.job.id }, "llpm-cancel-job failed"));
    setTimeout(() => {
      if (active.settled) return;
      active.stream?.detach();
      const outcome = decideOutcome({
        exitCode: null,
        endNotSeen: null,
        cancelRequested: active.cancelRequested,
        brokerDeadlinePassed: active.deadlinePassed,
        containerStopped: null,
        cliReportedError: false,
      });
      this.settle(active, { ...outcome, reason: `${outcome.reason}; the process did not exit in time, the broker stopped waiting` });
    }, STOP_BACKSTOP_MS).unref();
  }

  /**
   * Whether the process ended because its container did. A signal death (or an unknown status)
   * can reach the exec stream before Docker marks the container dead, so those get a short look.
   */
  private async containerStopped(ref: string, exitCode: number | null): Promise<string | null> {
    const attempts = exitCode === null || exitCode >= 128 ? 8 : 1;
    for (let i = 0; i < attempts; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 150));
      const now = await this.deps.runtime.inspect(ref).catch(() => undefined);
      if (now === null) return "container removed";
      if (now && !now.running) return now.stoppedReason;
    }
    return null;
  }

  /** `parsed` is the CLI's result when its output was seen to the end, else null. */
  private settle(active: ActiveJob, outcome: Outcome, parsed: ParsedResult | null = null): void {
    if (active.settled) return;
    active.settled = true;
    const final: Outcome =
      active.adopted && outcome.reason ? { ...outcome, reason: `broker restarted while running; ${outcome.reason}` } : outcome;
    this.deps.store.setUsage(active.job.id, active.timeline.end(parsed));
    finishJob(this.deps, active.job.id, final, parsed?.text ?? null, active.log);
    this.active.delete(active.job.id);
    this.deps.registry.jobEnded(active.workload.agentId, active.job.id);
    this.onFinished();
  }

  private announce(jobId: string): void {
    const job = this.deps.store.get(jobId);
    if (job) this.deps.bus.emit("job", job);
  }
}
