/**
 * The broker reaches agent containers only through this interface, so a Kubernetes backend can
 * replace Docker without touching jobs, agents or HTTP. Docker is the first implementation.
 */

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
  authMode: "api_key" | "subscription";
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

export interface ExecSpec {
  cmd: string[];
  workdir?: string;
  /** Written to the process's stdin, which is then closed. */
  stdin?: string;
}

export interface ExecHandle {
  /** Identifies the process so it can be inspected again after a broker restart. */
  id: string;
  /** Resolves with the exit code once the process ends; null when the runtime cannot tell. */
  done: Promise<number | null>;
  /** Drops the output stream (the process keeps running; kill it with `kill`). */
  detach(): void;
}

export interface ExecOutput {
  onStdout(chunk: Buffer): void;
  onStderr(chunk: Buffer): void;
}

export interface ExecStatus {
  running: boolean;
  exitCode: number | null;
}

export interface AgentRuntime {
  discover(): Promise<AgentWorkload[]>;
  /** Reports changes until the returned function is called; reconnects by itself. */
  watch(onChange: (change: WorkloadChange) => void): () => void;
  exec(ref: string, spec: ExecSpec, output: ExecOutput): Promise<ExecHandle>;
  /** Status of an exec started earlier, possibly by a previous broker process; null when gone. */
  inspectExec(execId: string): Promise<ExecStatus | null>;
  /** Stops the job's process group inside the workload (the image's `llpm-cancel-job`). */
  kill(ref: string, jobId: string): Promise<void>;
  /** Current state of one workload, or null when it no longer exists. */
  inspect(ref: string): Promise<AgentWorkload | null>;
}
