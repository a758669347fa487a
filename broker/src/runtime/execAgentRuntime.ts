import type { Logger } from "pino";
import type { AgentRuntime, AgentWorkload, CommandResult, JobOutput, JobSpec, JobStream, RuntimeKind, WorkloadChange } from "./runtime";
import { JobRecordReader, jobCommands } from "./jobRecord";

/** A failing command explains itself at the end of its stderr. */
const STDERR_KEPT = 2048;

/** Where an exec's output goes, chunk by chunk. */
export interface ExecSinks {
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
}

/** One command running inside a workload. */
export interface RunningExec {
  /** Its exit code; null when it was detached or the runtime could not tell. */
  done: Promise<number | null>;
  /** Drops the stream; what the command started under the supervisor keeps running. */
  detach(): void;
}

/**
 * The agent interface's job and command handling, the same for every runtime: a runtime supplies
 * discovery and one primitive, running a command in /workspace of a workload with optional stdin.
 */
export abstract class ExecAgentRuntime implements AgentRuntime {
  abstract readonly kind: RuntimeKind;

  constructor(protected readonly log: Logger) {}

  abstract discover(): Promise<AgentWorkload[]>;
  abstract watch(onChange: (change: WorkloadChange) => void): () => void;
  abstract inspect(ref: string): Promise<AgentWorkload | null>;
  /** Runs `cmd` in /workspace of workload `ref`; `stdin`, when given, is written and then closed. */
  protected abstract exec(ref: string, cmd: string[], stdin: string | undefined, sinks: ExecSinks): Promise<RunningExec>;

  startJob(ref: string, spec: JobSpec, output: JobOutput): Promise<JobStream> {
    return this.streamRecord(ref, jobCommands.start(spec), spec.prompt, 0, output);
  }

  attachJob(ref: string, jobId: string, fromOffset: number, output: JobOutput): Promise<JobStream> {
    return this.streamRecord(ref, jobCommands.attach(jobId, fromOffset), undefined, fromOffset, output);
  }

  async cancelJob(ref: string, jobId: string): Promise<void> {
    const reader = new JobRecordReader(0, { onOutput: () => {} });
    const run = await this.exec(ref, jobCommands.cancel(jobId), undefined, reader);
    const code = await run.done;
    if (code !== 0) this.log.warn({ ref, jobId, code }, "llpm-cancel-job did not exit 0");
  }

  async runCommand(ref: string, cmd: string[], maxStdoutBytes: number): Promise<CommandResult> {
    const stdout: Buffer[] = [];
    let size = 0;
    let stderr = "";
    const run = await this.exec(ref, cmd, undefined, {
      stdout: (chunk) => {
        if (size < maxStdoutBytes) stdout.push(chunk.subarray(0, maxStdoutBytes - size));
        size += chunk.length;
      },
      stderr: (chunk) => (stderr = (stderr + chunk.toString("utf8")).slice(-STDERR_KEPT)),
    });
    const exitCode = await run.done;
    return { exitCode, stdout: Buffer.concat(stdout), stdoutCapped: size > maxStdoutBytes, stderr };
  }

  private async streamRecord(ref: string, cmd: string[], stdin: string | undefined, from: number, output: JobOutput): Promise<JobStream> {
    const reader = new JobRecordReader(from, output);
    const run = await this.exec(ref, cmd, stdin, reader);
    return { done: run.done.then((code) => reader.end(code)), detach: run.detach };
  }
}
