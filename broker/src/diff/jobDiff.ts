import { z } from "zod";
import type { AgentRuntime, AgentWorkload } from "../runtime/runtime";
import { jobCommands } from "../runtime/jobRecord";

/** The patch's cap when the caller gives none, and the most a caller may ask for. */
export const DEFAULT_DIFF_MAX_BYTES = 256 * 1024;
export const MAX_DIFF_MAX_BYTES = 8 * 1024 * 1024;
/** llpm-job-diff's exit status when the job has no after-snapshot (docs/agent-interface.md). */
const EXIT_NO_SNAPSHOT = 3;
/** The file list and JSON quoting come on top of the patch; past this the output is not a diff. */
const OUTPUT_SLACK_BYTES = 16 * 1024 * 1024;

export const FILE_STATUSES = ["added", "modified", "deleted", "renamed"] as const;

export const ChangedFile = z.object({
  path: z.string(),
  from: z.string().optional().describe("The old path of a renamed file"),
  status: z.enum(FILE_STATUSES),
  additions: z.number().int().nullable().describe("Null for binary files"),
  deletions: z.number().int().nullable().describe("Null for binary files"),
  binary: z.boolean().describe("Binary files are named, never dumped into the patch"),
});

export const JobDiff = z.object({
  jobId: z.string(),
  before: z.string().describe("Snapshot commit before the job (refs/llpm/jobs/<id>/before)"),
  after: z.string().describe("Snapshot commit after the job (refs/llpm/jobs/<id>/after)"),
  files: z.array(ChangedFile),
  patch: z.string().describe("The unified diff, capped; past the cap it ends with a '[llpm: diff truncated …]' line"),
  truncated: z.boolean(),
});
export type JobDiff = z.infer<typeof JobDiff>;

export class DiffUnavailable extends Error {}

/**
 * Reads a job's diff from its agent's workspace by running the image's `llpm-job-diff` through the
 * runtime, so it works on any backend and for as long as the workspace keeps the snapshot refs.
 * Resolves null when the job has no after-snapshot.
 */
export async function readJobDiff(runtime: AgentRuntime, workload: AgentWorkload, jobId: string, maxBytes: number): Promise<JobDiff | null> {
  const result = await runtime.runCommand(workload.ref, jobCommands.diff(jobId, maxBytes), maxBytes + OUTPUT_SLACK_BYTES);
  if (result.exitCode === EXIT_NO_SNAPSHOT) return null;
  if (result.exitCode !== 0) {
    throw new DiffUnavailable(`llpm-job-diff in ${workload.name} exited with ${result.exitCode ?? "an unknown status"}: ${result.stderr.trim()}`);
  }
  if (result.stdoutCapped) throw new DiffUnavailable(`llpm-job-diff in ${workload.name} printed more than ${maxBytes + OUTPUT_SLACK_BYTES} bytes`);
  return JobDiff.parse(JSON.parse(result.stdout.toString("utf8")));
}
