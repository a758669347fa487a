import type { JobEnd, JobOutput, JobSpec } from "./runtime";

/**
 * The agent-side job commands and the framing of a job's output record (docs/agent-interface.md,
 * "Jobs"), shared by every runtime: only how a command reaches the workload differs.
 */
export const jobCommands = {
  start: (spec: JobSpec): string[] => [
    "llpm-run-job",
    "--job-id",
    spec.jobId,
    "--timeout",
    String(spec.timeoutSeconds),
    ...(spec.branch ? ["--branch", spec.branch] : []),
    "--framed",
  ],
  attach: (jobId: string, fromOffset: number): string[] => ["llpm-run-job", "--attach", jobId, "--from", String(fromOffset), "--framed"],
  cancel: (jobId: string): string[] => ["llpm-cancel-job", jobId],
  diff: (jobId: string, maxBytes: number): string[] => ["llpm-job-diff", jobId, "--max-bytes", String(maxBytes)],
};

const HEADER_BYTES = 8;
const FRAME_TYPES = { 1: "stdout", 2: "stderr" } as const;
const EXIT_FRAME = 3;
/** The attach command's own diagnostics are short; more is not worth keeping in a reason. */
const DIAGNOSTICS_CAP = 2048;

/**
 * Decodes what `llpm-run-job --framed` writes: the job's record from a byte offset, frame by
 * frame. Feed it the command's stdout and stderr, then `end` with the command's exit code.
 */
export class JobRecordReader {
  private pending: Buffer = Buffer.alloc(0);
  private offset: number;
  private exitCode: number | null = null;
  private diagnostics = "";

  constructor(
    fromOffset: number,
    private readonly output: JobOutput,
  ) {
    this.offset = fromOffset;
  }

  stdout(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= HEADER_BYTES && this.exitCode === null) {
      const size = HEADER_BYTES + this.pending.readUInt32BE(4);
      if (this.pending.length < size) break;
      const type = this.pending[0];
      const payload = this.pending.subarray(HEADER_BYTES, size);
      this.offset += size;
      if (type === EXIT_FRAME) this.exitCode = Number(payload.toString("ascii"));
      else if (type === 1 || type === 2) this.output.onOutput(FRAME_TYPES[type], Buffer.from(payload), this.offset);
      this.pending = this.pending.subarray(size);
    }
  }

  stderr(chunk: Buffer): void {
    if (this.diagnostics.length < DIAGNOSTICS_CAP) this.diagnostics += chunk.toString("utf8").slice(0, DIAGNOSTICS_CAP - this.diagnostics.length);
  }

  end(commandExitCode: number | null): JobEnd {
    if (this.exitCode !== null && Number.isInteger(this.exitCode)) return { exitCode: this.exitCode, reason: null };
    const said = this.diagnostics.trim();
    const how = commandExitCode === null ? "its stream ended" : `llpm-run-job exited with code ${commandExitCode}`;
    return { exitCode: null, reason: `the job's end was not seen (${how}${said ? `: ${said}` : ""})` };
  }
}
