/**
 * What the client reads from the broker, from the broker's own schemas. The timeline and usage
 * shapes are written here until the broker's route table defines them.
 */
import type { z } from "zod";
import type { Agent as AgentSchema, ErrorBody, Job as JobSchema, JobWithLog as JobWithLogSchema } from "../broker/src/http/schemas";
import type { ChangedFile, JobDiff as JobDiffSchema } from "../broker/src/diff/jobDiff";

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
export type Job = z.infer<typeof JobSchema> & { usage?: JobUsage | null };
export type JobWithLog = z.infer<typeof JobWithLogSchema> & { usage?: JobUsage | null };
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

export type JobDiff = z.infer<typeof JobDiffSchema>;
export type DiffFile = z.infer<typeof ChangedFile>;
export type BrokerErrorBody = z.infer<typeof ErrorBody>;
