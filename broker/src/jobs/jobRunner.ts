import type { Logger } from "pino";
import type { AgentRegistry } from "../agents/agentRegistry";
import type { BrokerBus } from "../events/bus";
import { parserFor } from "../parsers";
import type { AgentRuntime, AgentWorkload, ExecHandle, ExecStatus } from "../runtime/runtime";
import type { JobStore } from "../store/jobStore";
import { JobLog } from "./jobLog";
import type { Job, Outcome } from "./jobTypes";
import { decideOutcome } from "./outcome";

/** Time past the job timeout before the broker stops trusting llpm-run-job's own timeout. */
const DEADLINE_GRACE_SECONDS = 15;
/** Cancel must end a job within 5 s: llpm-cancel-job escalates to KILL after 2 s, this is the backstop. */
const STOP_BACKSTOP_MS = 4000;
const KILL_RETRY_MS = 1000;
const ADOPT_POLL_MS = 500;

interface ActiveJob {
  job: Job;
  workload: AgentWorkload;
  log: JobLog;
  handle: ExecHandle | null;
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

  activeCount(): number {
    return this.active.size;
  }

  /** Starts a job already claimed in the store; the agent counts as busy from the first line on. */
  async run(job: Job, workload: AgentWorkload): Promise<void> {
    const active = this.track(job, workload, false);
    try {
      active.handle = await this.deps.runtime.exec(
        workload.ref,
        {
          cmd: ["llpm-run-job", "--job-id", job.id, "--timeout", String(job.timeoutSeconds), ...(job.branch ? ["--branch", job.branch] : [])],
          workdir: "/workspace",
          stdin: job.prompt,
        },
        { onStdout: (c) => active.log.write("stdout", c), onStderr: (c) => active.log.write("stderr", c) },
      );
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return this.settle(active, { state: "failed", exitCode: null, reason: `could not start llpm-run-job: ${message}` });
    }
    this.deps.store.setExecId(job.id, active.handle.id);
    if (active.cancelRequested) this.stop(active);
    await this.follow(active);
  }

  /**
   * Picks up a job that was running when the broker stopped. Its output stream died with the old
   * process, so only its exit status can still be had: by polling the exec Docker kept.
   */
  async adopt(job: Job, workload: AgentWorkload): Promise<void> {
    const active = this.track(job, workload, true);
    active.handle = this.pollingHandle(job.execId!);
    active.log.note("broker restarted while this job ran; following its process, later output is not captured");
    await this.follow(active);
  }

  /**
   * Lets go of every running job without recording an end: their processes keep running in the
   * containers and the next broker process reconciles them, exactly as after a crash.
   */
  detachAll(): void {
    for (const active of this.active.values()) {
      active.settled = true;
      active.handle?.detach();
    }
    this.active.clear();
  }

  cancel(jobId: string): void {
    const active = this.active.get(jobId);
    if (!active || active.cancelRequested) return;
    active.cancelRequested = true;
    this.deps.store.requestCancel(jobId);
    active.log.note("cancel requested");
    if (active.handle) this.stop(active);
  }

  private track(job: Job, workload: AgentWorkload, adopted: boolean): ActiveJob {
    const log = new JobLog(this.deps.store, this.deps.bus, job.id, this.deps.logCapBytes, job);
    const active: ActiveJob = {
      job,
      workload,
      log,
      handle: null,
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

  private async follow(active: ActiveJob): Promise<void> {
    const deadline = setTimeout(() => {
      active.deadlinePassed = true;
      this.stop(active);
    }, (active.job.timeoutSeconds + DEADLINE_GRACE_SECONDS) * 1000);
    const exitCode = await active.handle!.done;
    clearTimeout(deadline);
    if (active.settled) return;
    active.log.flush();
    const parsed = parserFor(active.job.agentType)(active.log.stdout());
    const outcome = decideOutcome({
      exitCode,
      cancelRequested: active.cancelRequested,
      brokerDeadlinePassed: active.deadlinePassed,
      containerStopped:
        exitCode === 0 || active.cancelRequested || active.deadlinePassed
          ? null
          : await this.containerStopped(active.workload.ref, exitCode),
      cliReportedError: parsed.isError,
    });
    this.settle(active, outcome, parsed.text);
  }

  /** Kills the job's process group; if it still has not ended shortly after, stops waiting for it. */
  private stop(active: ActiveJob): void {
    const kill = () =>
      this.deps.runtime
        .kill(active.workload.ref, active.job.id)
        .catch((err) => this.deps.log.warn({ err, jobId: active.job.id }, "llpm-cancel-job failed"));
    void kill();
    // A cancel that lands before llpm-run-job has written its pid file finds nothing to kill: try again.
    setTimeout(() => {
      if (!active.settled) void kill();
    }, KILL_RETRY_MS).unref();
    setTimeout(() => {
      if (active.settled) return;
      active.handle?.detach();
      const outcome = decideOutcome({
        exitCode: null,
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

  private settle(active: ActiveJob, outcome: Outcome, result: string | null = null): void {
    if (active.settled) return;
    active.settled = true;
    const final: Outcome = active.adopted
      ? { ...outcome, reason: `broker restarted while running; ${outcome.reason ?? "it completed meanwhile"}` }
      : outcome;
    if (final.reason) active.log.note(`${final.state}: ${final.reason}`);
    const { store, bus } = this.deps;
    store.finish(active.job.id, final, result);
    this.active.delete(active.job.id);
    this.deps.registry.jobEnded(active.workload.agentId, active.job.id);
    bus.emit("jobEvent", active.job.id, store.appendEvent(active.job.id, "state", null, final.state));
    this.announce(active.job.id);
    this.onFinished();
  }

  private announce(jobId: string): void {
    const job = this.deps.store.get(jobId);
    if (job) this.deps.bus.emit("job", job);
  }

  private pollingHandle(execId: string): ExecHandle {
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<number | null>((resolve) => {
      const poll = async () => {
        const status: ExecStatus | null = await this.deps.runtime.inspectExec(execId).catch(() => null);
        if (!status || !status.running) return resolve(status?.exitCode ?? null);
        timer = setTimeout(() => void poll(), ADOPT_POLL_MS);
      };
      void poll();
    });
    return { id: execId, done, detach: () => clearTimeout(timer) };
  }
}
