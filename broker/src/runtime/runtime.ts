/**
 * The broker reaches agent containers only through this interface, so a Kubernetes backend can
 * replace Docker without touching jobs, agents or HTTP. Docker is the first implementation.
 */

import type { AuthMode } from "../../../contract/agentTypes";

/** The runtimes the broker can reach agents through (`LLPM_RUNTIME`). */
export const RUNTIMES = ["docker", "kubernetes"] as const;
export type RuntimeKind = (typeof RUNTIMES)[number];

export type HealthStatus = "none" | "starting" | "healthy" | "unhealthy";

/** What the runtime knows about one agent workload, independent of the broker's own state. */
export interface AgentWorkload {
  /** Runtime handle used for exec (Docker: the container id). */
  ref: string;
  /** Human-facing name (Docker: the container name). */
  name: string;
  agentId: string;
  agentType: string;
  agentIndex: number;
  authMode: AuthMode;
  running: boolean;
  health: HealthStatus;
  /** Why it stopped, when it did (e.g. "exited with code 137 (OOM killed)"). */
  stoppedReason: string | null;
  workspacePath: string | null;
  attachCommand: string;
}

export type WorkloadChange =
  | { kind: "upsert"; workload: AgentWorkload }
  | { kind: "remove"; ref: string };

/** One job to start inside a workload (docs/agent-interface.md, "Jobs"). */
export interface JobSpec {
  jobId: string;
  timeoutSeconds: number;
  /** Handed to `llpm-run-job` on stdin, which is then closed. */
  prompt: string;
  /** Runs the job in that branch's own worktree of the workspace; null: in /workspace itself. */
  branch: string | null;
}

/** What a short command of the agent interface printed (stdout capped), and its exit code. */
export interface CommandResult {
  exitCode: number | null;
  stdout: Buffer;
  /** True when stdout went past the cap and was cut there. */
  stdoutCapped: boolean;
  /** Its last 2 KiB. */
  stderr: string;
}

export interface JobOutput {
  /**
   * One chunk of the job's output. `offset` is the byte offset in the job's output record just
   * past this chunk: persisted, it is where `attachJob` resumes after a broker restart.
   */
  onOutput(stream: "stdout" | "stderr", chunk: Buffer, offset: number): void;
}

/** How the stream of a job's record ended. */
export type JobEnd =
  /** The job ended, with this exit code (its record's exit frame). */
  | { exitCode: number; reason: null }
  /** The stream stopped before the job's end was seen (agent gone, no such job, attach failed). */
  | { exitCode: null; reason: string };

export interface JobStream {
  done: Promise<JobEnd>;
  /** Drops the stream; the job keeps running in the workload, and can be attached to again. */
  detach(): void;
}

/**
 * Jobs run under a supervisor inside the workload that keeps their output and exit code in files;
 * the runtime only starts that supervisor and streams its record, so a job outlives the broker
 * process and the stream that started it. Nothing here is Docker's: a Kubernetes runtime runs the
 * same commands through its own exec.
 */
export interface AgentRuntime {
  readonly kind: RuntimeKind;
  discover(): Promise<AgentWorkload[]>;
  /** Reports changes until the returned function is called; reconnects by itself. */
  watch(onChange: (change: WorkloadChange) => void): () => void;
  /** Current state of one workload, or null when it no longer exists. */
  inspect(ref: string): Promise<AgentWorkload | null>;
  /** Starts a job (`llpm-run-job --framed`) and streams its record from the start. */
  startJob(ref: string, spec: JobSpec, output: JobOutput): Promise<JobStream>;
  /**
   * Streams the record of a job started earlier, possibly by a previous broker process, from a
   * byte offset a previous stream reported (`llpm-run-job --attach <id> --from <offset> --framed`).
   */
  attachJob(ref: string, jobId: string, fromOffset: number, output: JobOutput): Promise<JobStream>;
  /** Cancels a job inside the workload (`llpm-cancel-job`); its stream then ends with exit 143. */
  cancelJob(ref: string, jobId: string): Promise<void>;
  /** Runs a short command of the agent interface (e.g. `llpm-job-diff`) in /workspace and collects its output. */
  runCommand(ref: string, cmd: string[], maxStdoutBytes: number): Promise<CommandResult>;
}
