/**
 * What the client reads from the broker. Jobs and agents come from the broker's own schemas; the
 * timeline, diff and usage shapes are those of the issue-11 contract, which the broker's route
 * table defines once those routes are merged (then import them from there instead).
 */
import type { z } from "zod";
import type { Agent as AgentSchema, Job as JobSchema, JobWithLog as JobWithLogSchema } from "../broker/src/http/schemas";

export type { JobState } from "../broker/src/jobs/jobTypes";

export interface JobUsage {
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
}
export interface AgentUsage {
  jobs: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** Optional fields: a broker before the timeline/diff/usage routes does not send them. */
export type Job = z.infer<typeof JobSchema> & { usage?: JobUsage | null; branch?: string | null };
export type JobWithLog = z.infer<typeof JobWithLogSchema> & { usage?: JobUsage | null; branch?: string | null };
export type Agent = z.infer<typeof AgentSchema> & { usage?: AgentUsage };

export type TimelineEntry =
  | { kind: "text"; text: string }
  | { kind: "command"; command: string; callId: string | null }
  | { kind: "file_write"; path: string; callId: string | null }
  | { kind: "file_edit"; path: string; callId: string | null }
  | { kind: "tool_call"; tool: string; input: string; callId: string | null }
  | { kind: "tool_result"; callId: string | null; output: string; truncated: boolean; isError: boolean }
  | { kind: "error"; message: string }
  | { kind: "result"; text: string | null; isError: boolean };

export interface DiffFile {
  path: string;
  status: "added" | "modified" | "deleted" | "renamed";
  additions: number | null;
  deletions: number | null;
  binary: boolean;
}
export interface JobDiff {
  jobId: string;
  before: string;
  after: string;
  files: DiffFile[];
  patch: string;
  truncated: boolean;
}

/** The broker's error body (`{ error: { code, message, details } }`). */
export interface BrokerErrorBody {
  error: { code: string; message: string; details: unknown };
}
